"""Reads of the know-how library, always through what the reader may see (``item_visible_q``):

- console users (org admin, staff, coordinator): their own organization's items, whatever their
  visibility, and every organization's items shared with all organizations or the public;
- experts and partners (signed in to /network/): the items shared with all organizations or the public;
- everyone else, and every public page: public items only.

The search index holds every item (staff search their own organization's private items too); the
visibility filter is applied to the queryset before ``search_filter``, so a search never returns what
the reader may not see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from ouentai.accounts.choices import Role
from ouentai.core.search import SearchDocument, search_filter
from ouentai.engagements.models import Engagement
from ouentai.knowhow.choices import SHARED, Visibility
from ouentai.knowhow.models import Item, ItemFile, Tag

ITEM_SEARCH_KIND = "knowhow.item"
EXTERNAL_ROLES = frozenset({Role.EXPERT, Role.PARTNER})


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str = ""
    tag: str = ""
    visibility: str = ""


def item_visible_q(user: Any) -> Q:
    """The items ``user`` may see (anonymous or None: public items only)."""
    if user is not None and user.is_authenticated and user.is_active:
        if user.can_use_console:
            return Q(organization_id=user.organization_id) | Q(visibility__in=SHARED)
        if user.role in EXTERNAL_ROLES:
            return Q(visibility__in=SHARED)
    return Q(visibility=Visibility.PUBLIC)


def _latest_file() -> QuerySet[ItemFile]:
    return ItemFile.objects.filter(item=OuterRef("pk")).order_by("-number")


def item_list(*, user: Any, filters: ItemFilters) -> QuerySet[Item]:
    """The items ``user`` may see, filtered, with organization, author, tags and the latest file's
    version number and name (two queries for a page, whatever its length): ranked by the search when
    there is a query, else the most recently updated first."""
    queryset = (
        Item.objects.filter(item_visible_q(user))
        .select_related("organization", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(
            latest_number=Subquery(_latest_file().values("number")[:1]),
            latest_name=Subquery(_latest_file().values("name")[:1]),
        )
    )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.visibility:
        queryset = queryset.filter(visibility=filters.visibility)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.q.strip():
        return search_filter(queryset, kind=ITEM_SEARCH_KIND, query=filters.q)
    return queryset.order_by("-updated_at", "-pk")


def item_public_list(*, filters: ItemFilters) -> QuerySet[Item]:
    """Public items only (the public pages, whoever is signed in)."""
    return item_list(user=None, filters=ItemFilters(q=filters.q, kind=filters.kind, tag=filters.tag))


def item_get(*, user: Any, pk: int) -> Item | None:
    """One item ``user`` may see, with its files (newest version first) and tags; None otherwise."""
    if not pk:
        return None
    return (
        Item.objects.filter(item_visible_q(user), pk=pk)
        .select_related("organization", "author")
        .prefetch_related(
            Prefetch("files", queryset=ItemFile.objects.select_related("uploaded_by").order_by("-number")),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
        )
        .first()
    )


def item_public_get(*, pk: int) -> Item | None:
    return item_get(user=None, pk=pk)


def item_file_get(*, item: Item, number: int | None = None) -> ItemFile | None:
    """A version of the item's file (None: the latest)."""
    files = ItemFile.objects.filter(item=item).order_by("-number")
    if number is not None:
        files = files.filter(number=number)
    found = files.first()
    if found is not None:
        found.item = item
    return found


def tag_choices(*, user: Any) -> list[str]:
    """The tags of the items ``user`` may see, by name (one query)."""
    visible = Item.objects.filter(item_visible_q(user)).values("pk")
    return list(
        Tag.objects.filter(items__in=visible).values_list("name", flat=True).distinct().order_by("name")
    )


def item_may_see_engagements(*, user: Any, item: Item) -> bool:
    """The engagements an item was used in are shown only to those who may see them: the console users
    of the engagement's (and so the item's) organization."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.can_use_console
        and user.organization_id == item.organization_id
    )


def item_engagements(*, user: Any, item: Item) -> list[Engagement]:
    """The engagements ``item`` was used in, for ``user`` (empty unless they may see them)."""
    if not item_may_see_engagements(user=user, item=item):
        return []
    return list(
        item.engagements.filter(organization_id=item.organization_id)
        .select_related("company")
        .order_by("-started_on", "-pk")
    )


def engagement_choices(*, organization_id: int) -> QuerySet[Engagement]:
    """The engagements an organization's staff may link an item to: their own organization's."""
    return (
        Engagement.objects.filter(organization_id=organization_id)
        .select_related("company")
        .order_by("-started_on", "-pk")
    )


def item_document(item: Item, tag_names: list[str]) -> SearchDocument:
    """What the search index holds of an item: the title above the summary above the body and tags."""
    body = "\n".join([*item.body.splitlines(), *tag_names])
    return SearchDocument(
        object_id=item.pk,
        organization_id=item.organization_id,
        title=item.title,
        secondary=item.summary,
        body=body,
    )


def item_documents() -> Iterator[SearchDocument]:
    """Every item's document, in chunks (manage.py search_reindex --kind knowhow.item)."""
    items = Item.objects.prefetch_related("tags").order_by("pk")
    for item in items.iterator(chunk_size=1000):
        yield item_document(item, sorted(tag.name for tag in item.tags.all()))
