"""Writes for memberships: status changes along the allowed paths, the coordinator in charge, and the
IT-investment cycle that feeds the pipeline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.choices import CONSOLE_ROLES
from ouentai.accounts.models import User
from ouentai.community.choices import MEMBERSHIP_TRANSITIONS, MembershipStatus
from ouentai.community.models import Company, Membership
from ouentai.core.audit import audit_record
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _next_due(membership: Membership) -> dt.date | None:
    if membership.last_it_investment_on is None:
        return None
    return add_years(membership.last_it_investment_on, membership.it_cycle_years)


def membership_create(
    *, company: Company, status: str = MembershipStatus.APPLIED, actor: User | None, source: str = ""
) -> Membership:
    """Give a company its place in the community (one membership per company)."""
    with transaction.atomic():
        if Membership.objects.filter(company=company).exists():
            raise DomainError(_("この企業はすでに会員として登録されています。"), code="membership.exists")
        today = local_today()
        membership = Membership.objects.create(
            organization_id=company.organization_id,
            company=company,
            status=status,
            status_since=today,
            joined_on=today if status == MembershipStatus.ACTIVE else None,
        )
        audit_record(
            actor=actor,
            action="community.membership.created",
            target=company,
            details={"status": status, **({"source": source} if source else {})},
        )
    return membership


def membership_set_status(*, membership: Membership, status: str, actor: User | None) -> Membership:
    """Move a membership along an allowed path (申込中 → 会員 → 休眠 / 退会; 休眠 → 会員; 退会 → 再申込).
    The first time it becomes active, the joining date is set."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("company").get(pk=membership.pk)
        if status == membership.status:
            return membership
        if status not in MEMBERSHIP_TRANSITIONS.get(membership.status, set()):
            raise DomainError(
                _("「%(old)s」から「%(new)s」には変更できません。")
                % {"old": membership.get_status_display(), "new": MembershipStatus(status).label},
                code="membership.transition",
                field="status",
            )
        previous = membership.status
        membership.status = status
        membership.status_since = local_today()
        if status == MembershipStatus.ACTIVE and membership.joined_on is None:
            membership.joined_on = membership.status_since
        membership.save()
        audit_record(
            actor=actor,
            action="community.membership.status_changed",
            target=membership.company,
            details={"from": previous, "to": status},
        )
    return membership


def membership_assign_coordinator(
    *, membership: Membership, coordinator: User | None, actor: User
) -> Membership:
    """Put a coordinator (or nobody) in charge of a member; they must work in the same organization."""
    if coordinator is not None and (
        coordinator.organization_id != membership.organization_id or coordinator.role not in CONSOLE_ROLES
    ):
        raise DomainError(
            _("この組織の担当者を選んでください。"),
            code="membership.coordinator_invalid",
            field="coordinator",
        )
    with transaction.atomic():
        membership.coordinator = coordinator
        membership.save(update_fields=["coordinator", "updated_at"])
        audit_record(
            actor=actor,
            action="community.membership.coordinator_assigned",
            target=membership.company,
            details={"coordinator": coordinator.name if coordinator else None},
        )
    return membership


def membership_record_investment(
    *, membership: Membership, on: dt.date, note: str, cycle_years: int, actor: User
) -> Membership:
    """Record the member's latest IT investment and its cycle; the next expected one follows."""
    if on > local_today():
        raise DomainError(_("未来の日付は記録できません。"), code="membership.future_investment", field="on")
    if not 1 <= cycle_years <= 20:
        raise DomainError(
            _("周期は1〜20年で入力してください。"), code="membership.cycle", field="cycle_years"
        )
    with transaction.atomic():
        membership.last_it_investment_on = on
        membership.last_it_investment_note = note.strip()
        membership.it_cycle_years = cycle_years
        membership.next_investment_due = _next_due(membership)
        membership.save()
        audit_record(
            actor=actor,
            action="community.membership.investment_recorded",
            target=membership.company,
            details={
                "on": on.isoformat(),
                "cycle_years": cycle_years,
                "next_due": str(membership.next_investment_due),
            },
        )
    return membership


def membership_activate(*, company: Company, actor: User | None, source: str = "") -> Membership:
    """Make a company an active member: create the membership, or move an existing one to 会員."""
    membership = Membership.objects.filter(company=company).first()
    if membership is None:
        return membership_create(company=company, status=MembershipStatus.ACTIVE, actor=actor, source=source)
    if membership.status != MembershipStatus.ACTIVE:
        if membership.status == MembershipStatus.WITHDRAWN:
            membership = membership_set_status(
                membership=membership, status=MembershipStatus.APPLIED, actor=actor
            )
        membership = membership_set_status(membership=membership, status=MembershipStatus.ACTIVE, actor=actor)
    return membership
