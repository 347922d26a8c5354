"""Engagements: create and change them, move their phase (in any order), tick the phase checklist,
keep notes and files."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import CONSOLE_ROLES
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.audit import audit_record
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.models import (
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    Engagement,
    Note,
    PhaseChange,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class EngagementData:
    title: str
    lead_id: int
    started_on: dt.date
    target_on: dt.date | None = None
    challenges: str = ""
    strategy: str = ""
    member_ids: tuple[int, ...] = ()


def _check(organization_id: int, data: EngagementData) -> None:
    if not data.title.strip():
        raise DomainError(_("案件名を入力してください。"), code="engagement.title_required", field="title")
    people = set(
        User.objects.filter(
            organization_id=organization_id,
            role__in=CONSOLE_ROLES,
            is_active=True,
            pk__in={data.lead_id, *data.member_ids},
        ).values_list("pk", flat=True)
    )
    if data.lead_id not in people:
        raise DomainError(
            _("主担当はこの組織のスタッフから選んでください。"), code="engagement.lead", field="lead"
        )
    if not set(data.member_ids) <= people:
        raise DomainError(
            _("メンバーはこの組織のスタッフから選んでください。"), code="engagement.members", field="members"
        )
    if data.target_on and data.target_on < data.started_on:
        raise DomainError(
            _("目標日は開始日より後にしてください。"), code="engagement.dates", field="target_on"
        )


def _fields(data: EngagementData) -> dict[str, object]:
    values = asdict(data)
    values.pop("member_ids")
    return values


def engagement_create(
    *,
    organization: Organization,
    company: Company,
    data: EngagementData,
    phase: str = Phase.STRATEGY,
    actor: User,
) -> Engagement:
    """Open an engagement for a company of the organization, in the phase it enters at (any phase: a
    company may come in midway). The first phase is recorded like every later change."""
    if company.organization_id != organization.pk:
        raise DomainError(_("別の組織の企業です。"), code="engagement.company_scope")
    if phase not in Phase.values:
        raise DomainError(_("フェーズを選んでください。"), code="engagement.phase", field="phase")
    _check(organization.pk, data)
    with transaction.atomic():
        engagement = Engagement.objects.create(
            organization=organization, company=company, phase=phase, **_fields(data)
        )
        engagement.members.set(data.member_ids)
        PhaseChange.objects.create(engagement=engagement, from_phase="", to_phase=phase, actor=actor)
        audit_record(
            actor=actor, action="engagements.engagement.created", target=engagement, details={"phase": phase}
        )
    return engagement


def engagement_update(*, engagement: Engagement, data: EngagementData, actor: User) -> Engagement:
    """Change the engagement's description, dates and people (the phase and status have their own
    services)."""
    _check(engagement.organization_id, data)
    with transaction.atomic():
        before = {name: getattr(engagement, name) for name in _fields(data)}
        for name, value in _fields(data).items():
            setattr(engagement, name, value)
        engagement.save()
        engagement.members.set(data.member_ids)
        changed = sorted(name for name, value in before.items() if getattr(engagement, name) != value)
        audit_record(
            actor=actor,
            action="engagements.engagement.updated",
            target=engagement,
            details={"changed": changed},
        )
    return engagement


def engagement_set_phase(*, engagement: Engagement, phase: str, actor: User, note: str = "") -> Engagement:
    """Move the engagement to any phase (forwards, back, or skipping some). Records who, when and from
    where; moving to the phase it is in changes nothing."""
    if phase not in Phase.values:
        raise DomainError(_("フェーズを選んでください。"), code="engagement.phase", field="phase")
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if engagement.phase == phase:
            return engagement
        if engagement.status in (EngagementStatus.COMPLETED, EngagementStatus.WITHDRAWN):
            raise DomainError(
                _("完了または中止した案件のフェーズは変えられません。先に状態を進行中に戻してください。"),
                code="engagement.closed",
            )
        previous = engagement.phase
        engagement.phase = phase
        engagement.save(update_fields=["phase", "updated_at"])
        PhaseChange.objects.create(
            engagement=engagement, from_phase=previous, to_phase=phase, actor=actor, note=note[:500]
        )
        audit_record(
            actor=actor,
            action="engagements.engagement.phase_changed",
            target=engagement,
            details={"from": previous, "to": phase, "note": note[:500]},
        )
    return engagement


def engagement_set_status(*, engagement: Engagement, status: str, actor: User) -> Engagement:
    """進行中 / 保留 / 完了 / 中止, in any direction (a withdrawn engagement can be taken up again).
    Completing sets ``completed_on`` to today (the date the fiscal-year outcomes count it on); leaving
    完了 clears it, so an engagement reopened and completed again counts once, on its last completion."""
    if status not in EngagementStatus.values:
        raise DomainError(_("状態を選んでください。"), code="engagement.status", field="status")
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if engagement.status == status:
            return engagement
        previous = engagement.status
        engagement.status = status
        engagement.completed_on = local_today() if status == EngagementStatus.COMPLETED else None
        engagement.save(update_fields=["status", "completed_on", "updated_at"])
        audit_record(
            actor=actor,
            action="engagements.engagement.status_changed",
            target=engagement,
            details={"from": previous, "to": status},
        )
    return engagement


def checklist_set(*, engagement: Engagement, item: ChecklistItem, done: bool, actor: User) -> None:
    """Tick or untick one checklist item of the organization's checklist for this engagement."""
    if item.organization_id != engagement.organization_id:
        raise DomainError(_("別の組織のチェック項目です。"), code="checklist.scope")
    with transaction.atomic():
        if done:
            _check_row, created = ChecklistCheck.objects.get_or_create(
                engagement=engagement, item=item, defaults={"done_by": actor}
            )
            if created:
                audit_record(
                    actor=actor,
                    action="engagements.checklist.checked",
                    target=engagement,
                    details={"item": item.label},
                )
        elif ChecklistCheck.objects.filter(engagement=engagement, item=item).delete()[0]:
            audit_record(
                actor=actor,
                action="engagements.checklist.unchecked",
                target=engagement,
                details={"item": item.label},
            )


def note_add(*, engagement: Engagement, body: str, actor: User) -> Note:
    if not body.strip():
        raise DomainError(_("メモを入力してください。"), code="note.empty", field="body")
    with transaction.atomic():
        note = Note.objects.create(engagement=engagement, author=actor, body=body.strip())
        audit_record(
            actor=actor, action="engagements.note.added", target=engagement, details={"note": note.pk}
        )
    return note


def attachment_add(*, engagement: Engagement, upload: UploadedFile, actor: User) -> Attachment:
    """Keep a file with the engagement (at most 20 MB) on the configured storage."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("空のファイルは添付できません。"), code="attachment.empty", field="file")
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("添付できるファイルは20MBまでです。"), code="attachment.too_large", field="file")
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        attachment = Attachment(engagement=engagement, name=name, size=size, uploaded_by=actor)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="engagements.attachment.added",
            target=engagement,
            details={"name": name, "size": size},
        )
    return attachment


def attachment_may_remove(*, user: User, engagement: Engagement) -> bool:
    """Who may remove an engagement's files: staff and org admins of its organization (they look after
    every record of it) and the engagement's lead. Other coordinators may read and add files, not
    remove them. The engagement page offers removal by this rule; attachment_remove enforces it."""
    if user.organization_id != engagement.organization_id:
        return False
    return user.manages_inbox or engagement.lead_id == user.pk


def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Delete a file (from the storage too, once the deletion has committed). Refused
    (``attachment.remove_forbidden``) to anyone ``attachment_may_remove`` does not allow."""
    engagement = attachment.engagement
    if not attachment_may_remove(user=actor, engagement=engagement):
        raise DomainError(
            _("添付ファイルを削除できるのは、事務局と案件の主担当です。"), code="attachment.remove_forbidden"
        )
    with transaction.atomic():
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        audit_record(
            actor=actor,
            action="engagements.attachment.removed",
            target=engagement,
            details={"name": attachment.name},
        )
        if path:
            transaction.on_commit(lambda: storage.delete(path))
