"""Writes of the know-how library. Every write checks who may make it, runs in one transaction with
its audit entry, and keeps the item's search entry in step (put on create and every change, removed
on delete). Views, commands and the demo data call these functions only."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import normalize_single_line
from ouentai.core.search import index_document, index_remove
from ouentai.engagements.services.engagements import MAX_ATTACHMENT_BYTES
from ouentai.knowhow.choices import MAX_TAG_LENGTH, MAX_TAGS, ItemKind, Visibility
from ouentai.knowhow.models import Item, ItemFile, Tag
from ouentai.knowhow.selectors import ITEM_SEARCH_KIND, engagement_choices, item_document

_TAG_SEPARATORS = re.compile(r"[,、，\s]+")


@dataclass(frozen=True)
class ItemData:
    """What a person writes about an item (forms normalize the text first)."""

    kind: str
    title: str
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    visibility: str = Visibility.ORGANIZATION


def tags_parse(text: str) -> tuple[str, ...]:
    """Tags typed in one field, separated by commas (、 , ，) or spaces: each normalized like any name
    (half-width kana widened, full-width Latin and digits narrowed), a leading # dropped, duplicates
    (ignoring case) removed, in the order typed. Raises DomainError beyond MAX_TAGS tags or
    MAX_TAG_LENGTH characters."""
    tags: list[str] = []
    seen: set[str] = set()
    for piece in _TAG_SEPARATORS.split(text or ""):
        name = normalize_single_line(piece).lstrip("#＃").strip()
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise DomainError(
                _("タグは1つ%(max)s文字までです。") % {"max": MAX_TAG_LENGTH},
                code="knowhow.tag_long",
                field="tags",
            )
        seen.add(name.casefold())
        tags.append(name)
    if len(tags) > MAX_TAGS:
        raise DomainError(
            _("タグは%(max)s個までです。") % {"max": MAX_TAGS}, code="knowhow.tags_many", field="tags"
        )
    return tuple(tags)


def item_may_create(*, user: User) -> bool:
    """Any console user (org admin, staff, coordinator) may add items to their own organization."""
    return bool(user.is_authenticated and user.can_use_console and user.organization_id)


def item_may_edit(*, user: User, item: Item) -> bool:
    """The item's organization's console users may change it (its text, visibility, files and
    engagements); nobody of another organization may, whatever the item's visibility."""
    return item_may_create(user=user) and user.organization_id == item.organization_id


def item_may_delete(*, user: User, item: Item) -> bool:
    """Deleting takes every version with it: the author, or the organization's staff and admins."""
    return item_may_edit(user=user, item=item) and (user.manages_inbox or item.author_id == user.pk)


def _refuse_edit(user: User, item: Item) -> None:
    if not item_may_edit(user=user, item=item):
        raise DomainError(
            _("このノウハウを変更できるのは、登録した組織の職員です。"), code="knowhow.edit_forbidden"
        )


def _check(data: ItemData) -> None:
    if not data.title.strip():
        raise DomainError(_("タイトルを入力してください。"), code="knowhow.title_empty", field="title")
    if data.kind not in ItemKind.values:
        raise DomainError(_("種類を選んでください。"), code="knowhow.kind", field="kind")
    if data.visibility not in Visibility.values:
        raise DomainError(_("公開範囲を選んでください。"), code="knowhow.visibility", field="visibility")


def _check_upload(upload: UploadedFile) -> int:
    """The engagements' attachment rules (engagements.services.attachment_add): not empty, at most
    20 MB, any type (files are only ever sent as downloads)."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("空のファイルは添付できません。"), code="attachment.empty", field="file")
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("添付できるファイルは20MBまでです。"), code="attachment.too_large", field="file")
    return size


def _set_tags(item: Item, names: Iterable[str]) -> list[str]:
    names = list(names)
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    tags = [existing.get(name) or Tag.objects.get_or_create(name=name)[0] for name in names]
    item.tags.set(tags)
    return sorted(names)


def _index(item: Item, tag_names: list[str]) -> None:
    document = item_document(item, tag_names)
    index_document(kind=ITEM_SEARCH_KIND, document=document)


def _add_file(*, item: Item, upload: UploadedFile, size: int, note: str, actor: User) -> ItemFile:
    # The item's row is locked so that two uploads at once get numbers one after the other (on SQLite
    # the IMMEDIATE transaction serializes writers; the unique constraint holds either way).
    Item.objects.select_for_update().filter(pk=item.pk).first()
    number = (item.files.aggregate(top=Max("number"))["top"] or 0) + 1
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    version = ItemFile(item=item, number=number, name=name, size=size, note=note[:200], uploaded_by=actor)
    version.file.save(name, upload, save=False)
    version.save()
    audit_record(
        actor=actor,
        action="knowhow.item.file_added",
        target=item,
        details={"number": number, "file": name, "note": note[:200]},
    )
    return version


def item_create(
    *,
    organization: Organization,
    data: ItemData,
    actor: User,
    upload: UploadedFile | None = None,
    note: str = "",
) -> Item:
    """Add an item to ``organization`` (the actor's own, as a console user), with its first file if
    given (version 1), and index it. Raises DomainError for a missing title, an unknown kind or
    visibility, a file the attachment rules refuse, or an actor of another organization."""
    if not item_may_create(user=actor) or actor.organization_id != organization.pk:
        raise DomainError(
            _("ノウハウを登録できるのは、その組織の職員です。"), code="knowhow.create_forbidden"
        )
    _check(data)
    size = _check_upload(upload) if upload is not None else 0
    with transaction.atomic():
        item = Item.objects.create(
            organization=organization,
            kind=data.kind,
            title=data.title.strip(),
            summary=data.summary.strip(),
            body=data.body.strip(),
            visibility=data.visibility,
            author=actor,
        )
        tag_names = _set_tags(item, data.tags)
        audit_record(
            actor=actor,
            action="knowhow.item.created",
            target=item,
            details={"kind": item.kind, "visibility": item.visibility, "tags": tag_names},
        )
        if upload is not None:
            _add_file(item=item, upload=upload, size=size, note=note, actor=actor)
        _index(item, tag_names)
    return item


def item_update(*, item: Item, data: ItemData, actor: User) -> Item:
    """Change an item's text, kind, tags and visibility; re-index it. A change of visibility is an audit
    entry of its own (from, to), apart from the other changed fields. Refused to anyone but the item's
    organization's console users."""
    _refuse_edit(actor, item)
    _check(data)
    with transaction.atomic():
        before: dict[str, Any] = {name: getattr(item, name) for name in ("kind", "title", "summary", "body")}
        old_tags = sorted(tag.name for tag in item.tags.all())
        old_visibility = item.visibility
        item.kind = data.kind
        item.title = data.title.strip()
        item.summary = data.summary.strip()
        item.body = data.body.strip()
        item.visibility = data.visibility
        item.save()
        tag_names = _set_tags(item, data.tags)
        changed = [name for name, value in before.items() if getattr(item, name) != value]
        if tag_names != old_tags:
            changed.append("tags")
        if changed:
            audit_record(
                actor=actor, action="knowhow.item.updated", target=item, details={"changed": changed}
            )
        if old_visibility != item.visibility:
            audit_record(
                actor=actor,
                action="knowhow.item.visibility_changed",
                target=item,
                details={"from": old_visibility, "to": item.visibility},
            )
        _index(item, tag_names)
    return item


def item_set_visibility(*, item: Item, visibility: str, actor: User) -> Item:
    """Change only who may see the item (audited from → to)."""
    data = ItemData(
        kind=item.kind,
        title=item.title,
        summary=item.summary,
        body=item.body,
        tags=tuple(tag.name for tag in item.tags.all()),
        visibility=visibility,
    )
    return item_update(item=item, data=data, actor=actor)


def item_file_add(*, item: Item, upload: UploadedFile, actor: User, note: str = "") -> ItemFile:
    """Upload a new version of the item's file: the next number, the earlier versions kept. The
    engagements' attachment rules apply (not empty, at most 20 MB)."""
    _refuse_edit(actor, item)
    size = _check_upload(upload)
    with transaction.atomic():
        version = _add_file(item=item, upload=upload, size=size, note=note.strip(), actor=actor)
        item.save(update_fields=["updated_at"])
    return version


def item_set_engagements(*, item: Item, engagement_ids: Iterable[int], actor: User) -> Item:
    """Name the engagements the item was used in: only engagements of the item's (and the actor's)
    organization; any other id is refused."""
    _refuse_edit(actor, item)
    wanted = set(engagement_ids)
    allowed = set(
        engagement_choices(organization_id=item.organization_id)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise DomainError(
            _("選べるのは自組織の支援案件だけです。"), code="knowhow.engagement_other", field="engagements"
        )
    with transaction.atomic():
        before = set(item.engagements.values_list("pk", flat=True))
        item.engagements.set(sorted(allowed))
        if before != allowed:
            audit_record(
                actor=actor,
                action="knowhow.item.engagements_set",
                target=item,
                details={"added": sorted(allowed - before), "removed": sorted(before - allowed)},
            )
    return item


def _delete_files(paths: list[tuple[Any, str]]) -> None:
    for storage, path in paths:
        storage.delete(path)


def item_delete(*, item: Item, actor: User) -> None:
    """Delete the item with every version of its file (from the storage once the deletion commits) and
    its search entry. Refused to anyone but its author and its organization's staff and admins."""
    if not item_may_delete(user=actor, item=item):
        raise DomainError(
            _("ノウハウを削除できるのは、作成者と事務局です。"), code="knowhow.delete_forbidden"
        )
    with transaction.atomic():
        files = [(version.file.storage, version.file.name) for version in item.files.all()]
        audit_record(
            actor=actor,
            action="knowhow.item.deleted",
            target=item,
            details={"title": item.title, "files": len(files)},
        )
        index_remove(kind=ITEM_SEARCH_KIND, object_id=item.pk)
        item.delete()
        paths = [(storage, path) for storage, path in files if path]
        transaction.on_commit(lambda: _delete_files(paths))
