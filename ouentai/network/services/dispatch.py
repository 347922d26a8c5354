"""Dispatch requests from draft to closed. Every change goes through one of these services, is
checked against the allowed paths (choices.TRANSITIONS) and who may take it, and is audited.
Submitting and approving lock the company's row first, so concurrent requests cannot exceed a scheme's
visit limit.

Who may do what is decided here once: the ``dispatch_can_*`` predicates say whether a user may take a
step on a request now (pages show a button only when its predicate holds), and each write refuses
what its predicate refuses, whoever calls it (console, member area, expert and partner pages, demo
data, later the API)."""

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
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.errors import DomainError
from ouentai.core.rating import RATING_REQUIRED, rating_value
from ouentai.network.choices import (
    EXPERT_ASSIGNABLE,
    REPORT_FIELDS,
    TRANSITIONS,
    VISITS_OPEN,
    DispatchStatus,
    DispatchTheme,
)
from ouentai.network.models import DispatchRequest, DispatchScheme, DispatchVisit, Expert
from ouentai.network.rules import dispatch_problem, visit_problem
from ouentai.network.selectors.allowance import visits_left


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


# --- Who may take which step now ----------------------------------------------------------------------


def _console_user_of(user: User, request: DispatchRequest) -> bool:
    return user.can_use_console and user.organization_id == request.organization_id


def _manager_of(user: User, request: DispatchRequest) -> bool:
    """Staff and org admins of the request's organization (not coordinators)."""
    return user.manages_inbox and user.organization_id == request.organization_id


def _company_member(user: User, request: DispatchRequest) -> bool:
    account = getattr(user, "member_account", None)
    return account is not None and account.company_id == request.company_id


def _assigned_expert(user: User, request: DispatchRequest) -> bool:
    profile = getattr(user, "expert_profile", None)
    return profile is not None and request.expert_id == profile.pk


def partner_can_decide(user: User, request: DispatchRequest) -> bool:
    """A user of the scheme's support organization (role partner with its partner account)."""
    account = getattr(user, "partner_account", None)
    return account is not None and account.support_organization_id == request.scheme.support_organization_id


def dispatch_can_edit(user: User, request: DispatchRequest) -> bool:
    """Staff and coordinators change a draft; a filed request is the support organization's to decide."""
    return _console_user_of(user, request) and request.status == DispatchStatus.DRAFT


def dispatch_can_submit(user: User, request: DispatchRequest) -> bool:
    return _console_user_of(user, request) and DispatchStatus.SUBMITTED in TRANSITIONS[request.status]


def _may_cancel(user: User, request: DispatchRequest) -> bool:
    return _manager_of(user, request) or (
        _console_user_of(user, request) and request.created_by_id == user.pk
    )


def dispatch_can_cancel(user: User, request: DispatchRequest) -> bool:
    """Staff and org admins, or the coordinator who made it, withdraw a request before visits begin."""
    return _may_cancel(user, request) and DispatchStatus.CANCELLED in TRANSITIONS[request.status]


def dispatch_can_assign(user: User, request: DispatchRequest) -> bool:
    """Staff and org admins choose the expert until the visits begin."""
    return _manager_of(user, request) and request.status in EXPERT_ASSIGNABLE


def dispatch_can_decide(user: User, request: DispatchRequest) -> bool:
    """The scheme's support organization approves or rejects a request waiting for it."""
    return partner_can_decide(user, request) and request.status == DispatchStatus.SUBMITTED


def _may_confirm(user: User, request: DispatchRequest) -> bool:
    return _company_member(user, request) or _manager_of(user, request)


def dispatch_can_confirm(user: User, request: DispatchRequest) -> bool:
    """A member of the company, or staff on the company's behalf, confirm and rate a reported dispatch."""
    return _may_confirm(user, request) and request.status == DispatchStatus.REPORTED


def dispatch_can_close(user: User, request: DispatchRequest) -> bool:
    return _manager_of(user, request) and DispatchStatus.CLOSED in TRANSITIONS[request.status]


def visit_can_log(user: User, request: DispatchRequest, *, logged: int) -> bool:
    """The assigned expert logs visits of an approved request, up to the visits approved (``logged``:
    how many are recorded)."""
    return (
        _assigned_expert(user, request)
        and request.status in VISITS_OPEN
        and logged < request.requested_visits
    )


def report_can_submit(user: User, request: DispatchRequest, *, logged: int) -> bool:
    """The assigned expert reports once at least one visit is recorded."""
    return _assigned_expert(user, request) and request.status == DispatchStatus.IN_PROGRESS and logged > 0


# The console's request page: which step each posted ``action`` is, and whether the user may ask for
# it at all (refused with 403). Whether the request's state allows it is the service's answer (400),
# except for cancelling, which is refused outright once a request can no longer be withdrawn.
CONSOLE_ACTIONS = {
    "submit": lambda user, request: _console_user_of(user, request),
    "cancel": dispatch_can_cancel,
    "assign": _manager_of,
    "confirm": _manager_of,
    "close": _manager_of,
}


def dispatch_action_permitted(action: str, user: User, request: DispatchRequest) -> bool:
    check = CONSOLE_ACTIONS.get(action)
    return check is not None and bool(check(user, request))


def _refuse(message: Any, code: str = "dispatch.not_allowed") -> DomainError:
    return DomainError(message, code=code)


# --- The scheme's rules ------------------------------------------------------------------------------


def dispatch_check(
    *,
    scheme: DispatchScheme,
    company: Company,
    theme: str,
    visits: int,
    fiscal_year: int,
    today: dt.date,
    exclude_pk: int | None = None,
) -> None:
    """Raise DomainError with a Japanese sentence for the first rule the request breaks
    (rules.dispatch_problem): scheme not accepting, outside the application window, company not an
    SME (or unknown), company outside the scheme's area, or more visits than are left this fiscal
    year for the theme (selectors.visits_left, counting every other request that counts)."""
    limit, left = visits_left(
        scheme=scheme, company=company, fiscal_year=fiscal_year, theme=theme, exclude_pk=exclude_pk
    )
    error = dispatch_problem(
        scheme=scheme,
        company=company,
        visits=visits,
        fiscal_year=fiscal_year,
        today=today,
        limit=limit,
        left=left,
    )
    if error is not None:
        raise error


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
    """Start a request as a draft (from a company or an engagement), by staff or a coordinator of the
    organization. The scheme's rules are checked now so that staff see a problem at once, and again on
    submission."""
    if company.organization_id != organization.pk:
        raise DomainError(_("別の組織の企業です。"), code="dispatch.company_scope")
    if not (actor.can_use_console and actor.organization_id == organization.pk):
        raise _refuse(_("派遣の申請は事務局とITコーディネータが作成します。"))
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
    """Change a draft (dispatch_can_edit)."""
    if not _console_user_of(actor, request):
        raise _refuse(_("派遣の申請は事務局とITコーディネータが変更します。"))
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
    """File the request with the support organization (staff or a coordinator of the organization).
    The scheme's rules must hold now, counting every other request of the company under the scheme
    this fiscal year."""
    if not _console_user_of(actor, request):
        raise _refuse(_("派遣の申請は事務局とITコーディネータが提出します。"))
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


def dispatch_approve(*, request: DispatchRequest, actor: User, note: str = "") -> DispatchRequest:
    """Approval by a user of the scheme's support organization (role partner). The limits are checked
    again under the company lock: requests approved meanwhile count. The day of approval is the first
    day visits may be logged."""
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
    """Withdraw a request before visits begin (its visits stop counting against the limit): staff and
    org admins, or the coordinator who made it (dispatch_can_cancel)."""
    with transaction.atomic():
        request = _locked(request)
        if not _may_cancel(actor, request):
            raise _refuse(_("申請を取り消せるのは事務局と、申請を作成した方です。"))
        _move(request, DispatchStatus.CANCELLED, actor, "network.request.cancelled", {"note": note})
        request.save(update_fields=["status", "updated_at"])
    return request


def dispatch_assign_expert(*, request: DispatchRequest, expert: Expert, actor: User) -> DispatchRequest:
    """Choose the expert (staff and org admins, usually from the matching's suggestions), before the
    visits start (dispatch_can_assign)."""
    if expert.organization_id != request.organization_id:
        raise DomainError(
            _("この組織の専門家を選んでください。"), code="dispatch.expert_scope", field="expert"
        )
    if not _manager_of(actor, request):
        raise _refuse(_("専門家は事務局が決めます。"))
    with transaction.atomic():
        request = _locked(request)
        if request.status not in EXPERT_ASSIGNABLE:
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
    if not _assigned_expert(actor, request):
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
    Refused, whoever calls: anyone but the assigned expert (staff do not log visits on the expert's
    behalf); a request not approved or already reported; more visits than approved; and the date and
    times rules.visit_problem refuses: a visit is logged after it took place (not after today), on or
    after the day the request was created and the day it was approved, within the request's 年度, its
    end after its start.

    A visit longer than the scheme's hours per visit is accepted as it happened (the record says what
    was done) and counts only up to the scheme's hours (rules.counted_minutes) for the hours on every
    page, the report PDF, the totals and the fee. Audited as network.visit.logged."""
    if not summary.strip():
        raise DomainError(_("実施内容を入力してください。"), code="visit.summary", field="summary")
    with transaction.atomic():
        request = _locked(request)
        _expert_of(actor, request)
        if request.status not in VISITS_OPEN:
            raise DomainError(_("承認された申請だけ訪問を記録できます。"), code="visit.status")
        error = visit_problem(
            visited_on=visited_on,
            starts_at=starts_at,
            ends_at=ends_at,
            created_on=timezone.localdate(request.created_at),
            approved_on=timezone.localdate(request.decided_at) if request.decided_at else None,
            fiscal_year=request.fiscal_year,
            today=local_today(),
        )
        if error is not None:
            raise error
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
    visit.request = request
    return visit


def report_submit(*, request: DispatchRequest, actor: User, fields: dict[str, str]) -> DispatchRequest:
    """The expert's completion report: every field the scheme requires must be filled; at least one
    visit must be recorded. No visit can be logged afterwards."""
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
    """The company confirms the dispatch took place and rates it on the product's one 1–5 scale
    (ouentai.core.rating): a member of the company, or staff and org admins on the company's behalf
    (dispatch_can_confirm)."""
    if not _may_confirm(actor, request):
        raise DomainError(_("この企業の方だけが確認できます。"), code="dispatch.not_company")
    value = rating_value(rating)
    if value is None:
        raise DomainError(RATING_REQUIRED, code="dispatch.rating", field="rating")
    with transaction.atomic():
        request = _locked(request)
        _move(request, DispatchStatus.CONFIRMED, actor, "network.request.confirmed", {"rating": value})
        request.rating, request.rating_comment, request.confirmed_at = value, comment.strip(), timezone.now()
        request.save(update_fields=["status", "rating", "rating_comment", "confirmed_at", "updated_at"])
    return request


def dispatch_close(*, request: DispatchRequest, actor: User) -> DispatchRequest:
    """Staff and org admins close a confirmed dispatch (the fee can be paid)."""
    if not _manager_of(actor, request):
        raise _refuse(_("派遣を完了にするのは事務局です。"))
    with transaction.atomic():
        request = _locked(request)
        _move(request, DispatchStatus.CLOSED, actor, "network.request.closed")
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at", "updated_at"])
    return request
