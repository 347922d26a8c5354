"""Dispatch requests from draft to closed. Every change goes through one of these services, is
checked against the allowed paths (choices.TRANSITIONS) and audited. Submitting and approving lock the
company's row first, so concurrent requests cannot exceed a scheme's visit limit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.audit import audit_record
from ouentai.core.calendar import fiscal_year, local_today, wareki_fiscal_year
from ouentai.core.errors import DomainError
from ouentai.network.choices import REPORT_FIELDS, TRANSITIONS, DispatchStatus, DispatchTheme
from ouentai.network.models import DispatchRequest, DispatchScheme, DispatchVisit, Expert
from ouentai.network.services.rules import dispatch_check


@dataclass(frozen=True)
class DispatchData:
    scheme_id: int
    theme: str
    requested_visits: int
    preferred_dates: str = ""
    first_preferred_on: dt.date | None = None
    purpose: str = ""
    engagement_id: int | None = None


def _move(
    request: DispatchRequest,
    status: str,
    actor: User | None,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    if status not in TRANSITIONS[request.status]:
        raise DomainError(
            _("「%(from)s」の申請は「%(to)s」にできません。")
            % {"from": request.get_status_display(), "to": DispatchStatus(status).label},
            code="dispatch.transition",
        )
    previous = request.status
    request.status = status
    audit_record(
        actor=actor,
        action=action,
        target=request,
        details={"from": previous, "to": status, **(details or {})},
    )


def _scheme(organization_id: int, scheme_id: int) -> DispatchScheme:
    scheme = (
        DispatchScheme.objects.select_related("support_organization")
        .filter(organization_id=organization_id, pk=scheme_id)
        .first()
    )
    if scheme is None:
        raise DomainError(_("派遣制度を選んでください。"), code="dispatch.scheme", field="scheme")
    return scheme


def _fields(company: Company, data: DispatchData) -> dict[str, Any]:
    if data.theme not in DispatchTheme.values:
        raise DomainError(_("テーマを選んでください。"), code="dispatch.theme", field="theme")
    if data.engagement_id is not None and not company.engagements.filter(pk=data.engagement_id).exists():
        raise DomainError(
            _("この企業の支援案件を選んでください。"), code="dispatch.engagement", field="engagement"
        )
    return {
        "theme": data.theme,
        "requested_visits": data.requested_visits,
        "preferred_dates": data.preferred_dates.strip()[:300],
        "first_preferred_on": data.first_preferred_on,
        "purpose": data.purpose.strip(),
        "engagement_id": data.engagement_id,
        "fiscal_year": fiscal_year(data.first_preferred_on or local_today()),
    }


def dispatch_create(
    *, organization: Organization, company: Company, data: DispatchData, actor: User
) -> DispatchRequest:
    """Start a request as a draft (from a company or an engagement). The scheme's rules are checked now
    so that staff see a problem at once, and again on submission."""
    if company.organization_id != organization.pk:
        raise DomainError(_("別の組織の企業です。"), code="dispatch.company_scope")
    scheme = _scheme(organization.pk, data.scheme_id)
    fields = _fields(company, data)
    dispatch_check(
        scheme=scheme,
        company=company,
        theme=fields["theme"],
        visits=fields["requested_visits"],
        fiscal_year=fields["fiscal_year"],
        today=local_today(),
    )
    with transaction.atomic():
        request = DispatchRequest.objects.create(
            organization=organization, company=company, scheme=scheme, created_by=actor, **fields
        )
        audit_record(actor=actor, action="network.request.created", target=request)
    return request


def dispatch_update(*, request: DispatchRequest, data: DispatchData, actor: User) -> DispatchRequest:
    """Change a draft."""
    scheme = _scheme(request.organization_id, data.scheme_id)
    fields = _fields(request.company, data)
    with transaction.atomic():
        request = _locked(request)
        if request.status != DispatchStatus.DRAFT:
            raise DomainError(_("提出した申請は変更できません。"), code="dispatch.not_draft")
        dispatch_check(
            scheme=scheme,
            company=request.company,
            theme=fields["theme"],
            visits=fields["requested_visits"],
            fiscal_year=fields["fiscal_year"],
            today=local_today(),
            exclude_pk=request.pk,
        )
        request.scheme = scheme
        for name, value in fields.items():
            setattr(request, name, value)
        request.save()
        audit_record(actor=actor, action="network.request.updated", target=request)
    return request


def _locked(request: DispatchRequest) -> DispatchRequest:
    """Lock the company (the unit the visit limits count by), then the request."""
    Company.objects.select_for_update().filter(pk=request.company_id).first()
    return (
        DispatchRequest.objects.select_for_update(of=("self",))
        .select_related("company", "scheme", "scheme__support_organization")
        .get(pk=request.pk)
    )


def dispatch_submit(*, request: DispatchRequest, actor: User) -> DispatchRequest:
    """File the request with the support organization. The scheme's rules must hold now, counting every
    other request of the company under the scheme this fiscal year."""
    with transaction.atomic():
        request = _locked(request)
        # The 年度 the visits count against, as of now (a draft may have waited across April 1).
        request.fiscal_year = fiscal_year(request.first_preferred_on or local_today())
        dispatch_check(
            scheme=request.scheme,
            company=request.company,
            theme=request.theme,
            visits=request.requested_visits,
            fiscal_year=request.fiscal_year,
            today=local_today(),
            exclude_pk=request.pk,
        )
        _move(request, DispatchStatus.SUBMITTED, actor, "network.request.submitted")
        request.submitted_at = timezone.now()
        request.save(update_fields=["status", "submitted_at", "fiscal_year", "updated_at"])
    return request


def partner_can_decide(user: User, request: DispatchRequest) -> bool:
    account = getattr(user, "partner_account", None)
    return account is not None and account.support_organization_id == request.scheme.support_organization_id


def dispatch_approve(*, request: DispatchRequest, actor: User, note: str = "") -> DispatchRequest:
    """Approval by a user of the scheme's support organization (role partner). The limits are checked
    again under the company lock: requests approved meanwhile count."""
    with transaction.atomic():
        request = _locked(request)
        if not partner_can_decide(actor, request):
            raise DomainError(
                _("この制度の支援機関の担当者だけが承認できます。"), code="dispatch.not_partner"
            )
        dispatch_check(
            scheme=request.scheme,
            company=request.company,
            theme=request.theme,
            visits=request.requested_visits,
            fiscal_year=request.fiscal_year,
            today=timezone.localdate(request.submitted_at) if request.submitted_at else local_today(),
            exclude_pk=request.pk,
        )
        _move(request, DispatchStatus.APPROVED, actor, "network.request.approved", {"note": note})
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return request


def dispatch_reject(*, request: DispatchRequest, actor: User, note: str) -> DispatchRequest:
    """Refusal by the scheme's support organization, with the reason (required)."""
    if not note.strip():
        raise DomainError(_("却下の理由を入力してください。"), code="dispatch.reason", field="note")
    with transaction.atomic():
        request = _locked(request)
        if not partner_can_decide(actor, request):
            raise DomainError(
                _("この制度の支援機関の担当者だけが却下できます。"), code="dispatch.not_partner"
            )
        _move(request, DispatchStatus.REJECTED, actor, "network.request.rejected", {"note": note})
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return request


def dispatch_cancel(*, request: DispatchRequest, actor: User, note: str = "") -> DispatchRequest:
    """Withdraw a request before visits begin (its visits stop counting against the limit)."""
    with transaction.atomic():
        request = _locked(request)
        _move(request, DispatchStatus.CANCELLED, actor, "network.request.cancelled", {"note": note})
        request.save(update_fields=["status", "updated_at"])
    return request


def dispatch_assign_expert(*, request: DispatchRequest, expert: Expert, actor: User) -> DispatchRequest:
    """Choose the expert (staff, usually from the matching's suggestions), before the visits start."""
    if expert.organization_id != request.organization_id:
        raise DomainError(
            _("この組織の専門家を選んでください。"), code="dispatch.expert_scope", field="expert"
        )
    with transaction.atomic():
        request = _locked(request)
        if request.status not in (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED):
            raise DomainError(
                _("訪問が始まった申請の専門家は変えられません。"), code="dispatch.expert_locked"
            )
        request.expert = expert
        request.save(update_fields=["expert", "updated_at"])
        audit_record(
            actor=actor,
            action="network.request.expert_assigned",
            target=request,
            details={"expert": expert.name},
        )
    return request


def _expert_of(actor: User, request: DispatchRequest) -> None:
    profile = getattr(actor, "expert_profile", None)
    if profile is None or request.expert_id != profile.pk:
        raise DomainError(_("担当の専門家だけが記録できます。"), code="dispatch.not_expert")


def visit_log(
    *,
    request: DispatchRequest,
    actor: User,
    visited_on: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    summary: str,
    next_steps: str = "",
) -> DispatchVisit:
    """The assigned expert records a visit of an approved request (the first one puts it in progress).
    Never more visits than requested; the end after the start; not in the future; a summary."""
    if ends_at <= starts_at:
        raise DomainError(_("終了時刻は開始時刻より後にしてください。"), code="visit.times", field="ends_at")
    if visited_on > local_today():
        raise DomainError(
            _("これからの訪問は記録できません。訪問した後に記録してください。"),
            code="visit.future",
            field="visited_on",
        )
    if not summary.strip():
        raise DomainError(_("実施内容を入力してください。"), code="visit.summary", field="summary")
    with transaction.atomic():
        request = _locked(request)
        _expert_of(actor, request)
        if request.status not in (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS):
            raise DomainError(_("承認された申請だけ訪問を記録できます。"), code="visit.status")
        if fiscal_year(visited_on) != request.fiscal_year:
            raise DomainError(
                _("この申請の訪問は%(year)sの間に行ってください（訪問回数はその年度に数えます）。")
                % {"year": wareki_fiscal_year(request.fiscal_year)},
                code="visit.fiscal_year",
                field="visited_on",
            )
        if request.visits.count() >= request.requested_visits:
            raise DomainError(
                _("承認された訪問回数（%(n)s回）をすべて記録済みです。") % {"n": request.requested_visits},
                code="visit.limit",
            )
        if request.status == DispatchStatus.APPROVED:
            _move(request, DispatchStatus.IN_PROGRESS, actor, "network.request.updated")
            request.save(update_fields=["status", "updated_at"])
        visit = DispatchVisit.objects.create(
            request=request,
            visited_on=visited_on,
            starts_at=starts_at,
            ends_at=ends_at,
            summary=summary.strip(),
            next_steps=next_steps.strip(),
            logged_by=actor,
        )
        audit_record(
            actor=actor,
            action="network.visit.logged",
            target=request,
            details={"visit": visit.pk, "on": visited_on.isoformat()},
        )
    return visit


def report_submit(*, request: DispatchRequest, actor: User, fields: dict[str, str]) -> DispatchRequest:
    """The expert's completion report: every field the scheme requires must be filled; at least one
    visit must be recorded."""
    with transaction.atomic():
        request = _locked(request)
        _expert_of(actor, request)
        if not request.visits.exists():
            raise DomainError(_("訪問を記録してから報告してください。"), code="report.no_visits")
        cleaned = {key: (fields.get(key) or "").strip() for key in REPORT_FIELDS}
        for key in request.scheme.report_fields or ["summary"]:
            if key in REPORT_FIELDS and not cleaned.get(key):
                raise DomainError(
                    _("「%(label)s」を入力してください（この制度の報告書の必須項目です）。")
                    % {"label": REPORT_FIELDS[key]},
                    code="report.required",
                    field=key,
                )
        _move(request, DispatchStatus.REPORTED, actor, "network.report.submitted")
        request.report = cleaned
        request.reported_at = timezone.now()
        request.save(update_fields=["status", "report", "reported_at", "updated_at"])
    return request


def dispatch_confirm(
    *, request: DispatchRequest, actor: User, rating: int, comment: str = ""
) -> DispatchRequest:
    """The company confirms the dispatch took place and rates it 1–5 (a member of the company, or staff
    on the company's behalf)."""
    account = getattr(actor, "member_account", None)
    is_member = account is not None and account.company_id == request.company_id
    is_staff = actor.can_use_console and actor.organization_id == request.organization_id
    if not (is_member or is_staff):
        raise DomainError(_("この企業の方だけが確認できます。"), code="dispatch.not_company")
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("評価は1から5で選んでください。"), code="dispatch.rating", field="rating")
    with transaction.atomic():
        request = _locked(request)
        _move(request, DispatchStatus.CONFIRMED, actor, "network.request.confirmed", {"rating": rating})
        request.rating, request.rating_comment, request.confirmed_at = rating, comment.strip(), timezone.now()
        request.save(update_fields=["status", "rating", "rating_comment", "confirmed_at", "updated_at"])
    return request


def dispatch_close(*, request: DispatchRequest, actor: User) -> DispatchRequest:
    """Staff close a confirmed dispatch (the fee can be paid)."""
    with transaction.atomic():
        request = _locked(request)
        _move(request, DispatchStatus.CLOSED, actor, "network.request.closed")
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at", "updated_at"])
    return request
