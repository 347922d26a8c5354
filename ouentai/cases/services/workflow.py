"""A case from draft to published and back out. Every step goes through one of these services, is
checked against the allowed paths (choices.TRANSITIONS) and who may take it, and is audited.

The one rule of publication lives here: a case is published only while it holds a consent, not
withdrawn, for the variant it is published in; withdrawing (by staff or by the company) ends the consent
and takes the case off every public output at once, because they all read through
``cases.selectors.public``, which requires both. Who may take which step is said once by the
``case_can_*`` predicates; pages show a button only when its predicate holds, and each write refuses
what its predicate refuses, whoever calls it (console, member area, demo data, later the API)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.cases.choices import (
    CONSENT_TEXT_VERSION,
    CONSENT_TEXTS,
    TRANSITIONS,
    CaseStatus,
    CaseVariant,
    ConsentMethod,
)
from ouentai.cases.models import Case, CaseConsent
from ouentai.cases.services.notices import case_notify_consent_requested, case_notify_coordinators
from ouentai.cases.services.search import case_index_refresh
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError

MAX_CONSENT_FORM_BYTES = 20 * 1024 * 1024


def _move(
    case: Case, status: str, actor: User | None, action: str, details: dict[str, Any] | None = None
) -> None:
    if status not in TRANSITIONS[case.status]:
        raise DomainError(
            _("「%(from)s」の事例は「%(to)s」にできません。")
            % {"from": case.get_status_display(), "to": CaseStatus(status).label},
            code="case.transition",
        )
    previous = case.status
    case.status = status
    audit_record(
        actor=actor, action=action, target=case, details={"from": previous, "to": status, **(details or {})}
    )


def _locked(case: Case) -> Case:
    """The case's row, locked for the step (two people pressing at once take turns)."""
    return Case.objects.select_for_update().get(pk=case.pk)


# --- Who may take which step now ----------------------------------------------------------------------


def _console_user_of(user: User, case: Case) -> bool:
    return user.can_use_console and user.organization_id == case.organization_id


def _reviewer_of(user: User, case: Case) -> bool:
    """Staff and org admins of the case's organization review; the author never approves their own."""
    return user.manages_inbox and user.organization_id == case.organization_id and case.author_id != user.pk


def _company_member(user: User, case: Case) -> bool:
    account = getattr(user, "member_account", None)
    return account is not None and account.company_id == case.company_id and user.is_active


def case_can_edit(user: User, case: Case) -> bool:
    """Coordinators and staff of the organization change the content while it is a draft: what the
    company is asked to agree to must not change afterwards."""
    return _console_user_of(user, case) and case.status == CaseStatus.DRAFT


def case_can_submit(user: User, case: Case) -> bool:
    return _console_user_of(user, case) and case.status == CaseStatus.DRAFT


def case_can_review(user: User, case: Case) -> bool:
    """Approve (and ask the company for consent) or send back: a reviewer other than the author."""
    return _reviewer_of(user, case) and case.status == CaseStatus.REVIEW


def case_can_consent(user: User, case: Case) -> bool:
    """A signed-in member of the company agrees online while consent is requested."""
    return _company_member(user, case) and case.status == CaseStatus.CONSENT_REQUESTED


def case_can_attach_consent(user: User, case: Case) -> bool:
    """Staff record consent given on paper by attaching the signed form."""
    return (
        user.manages_inbox
        and user.organization_id == case.organization_id
        and (case.status == CaseStatus.CONSENT_REQUESTED)
    )


def case_can_publish(user: User, case: Case) -> bool:
    return (
        user.manages_inbox
        and user.organization_id == case.organization_id
        and (case.status == CaseStatus.CONSENTED)
    )


def case_can_withdraw(user: User, case: Case) -> bool:
    """Staff stop a case at any point after asking; the company's members withdraw their consent."""
    if CaseStatus.WITHDRAWN not in TRANSITIONS[case.status]:
        return False
    staff = user.manages_inbox and user.organization_id == case.organization_id
    return staff or _company_member(user, case)


def case_can_reopen(user: User, case: Case) -> bool:
    return _console_user_of(user, case) and case.status == CaseStatus.WITHDRAWN


def case_can_read_signed_form(user: User, case: Case) -> bool:
    """A signed consent form carries a person's signature: staff and org admins of the case's
    organization open it, nobody else (never a public page)."""
    return user.manages_inbox and user.organization_id == case.organization_id


def _refuse(allowed: bool) -> None:
    if not allowed:
        raise DomainError(_("この操作をする権限がありません。"), code="case.forbidden")


# --- The steps ----------------------------------------------------------------------------------------


def case_submit(*, case: Case, actor: User) -> Case:
    """Send a draft to review. It needs a title, the challenge, what was done and the results."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_submit(actor, case))
        missing = [
            f
            for f in ("title", "summary", "challenge", "solution", "results")
            if not getattr(case, f).strip()
        ]
        if missing:
            raise DomainError(
                _("承認に回す前に、表題・要約・経営課題・導入したIT・成果を書いてください。"),
                code="case.incomplete",
            )
        _move(case, CaseStatus.REVIEW, actor, "cases.case.submitted")
        case.save(update_fields=["status", "updated_at"])
    return case


def case_return(*, case: Case, actor: User, reason: str) -> Case:
    """The reviewer sends the case back to its author as a draft, saying why."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_review(actor, case))
        if not reason.strip():
            raise DomainError(_("差し戻す理由を書いてください。"), code="case.reason_missing", field="reason")
        _move(case, CaseStatus.DRAFT, actor, "cases.case.returned", {"reason": reason.strip()})
        case.save(update_fields=["status", "updated_at"])
    return case


def case_request_consent(*, case: Case, actor: User, variant: str) -> Case:
    """The reviewer approves the content and asks the company to consent to publishing it, named or
    anonymized. From here the content is frozen. The company's members are mailed a link to the member
    area, where they see what would be public and the consent text."""
    if variant not in CaseVariant.values:
        raise DomainError(_("公開の形を選んでください。"), code="case.variant", field="variant")
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_review(actor, case))
        case.variant = variant
        case.reviewer = actor
        case.approved_at = timezone.now()
        _move(case, CaseStatus.CONSENT_REQUESTED, actor, "cases.case.consent_requested", {"variant": variant})
        case.save(update_fields=["status", "variant", "reviewer", "approved_at", "updated_at"])
        case_notify_consent_requested(case)
    return case


def consent_text(case: Case) -> str:
    """The words the company agrees to for the case's variant, as shown to it."""
    return str(CONSENT_TEXTS[CaseVariant(case.variant)])


def case_consent(*, case: Case, actor: User, shown_version: str, shown_variant: str) -> CaseConsent:
    """A member of the company agrees online to the text they were shown. The version and variant the
    page showed are checked against the current ones, so nobody agrees to words they did not see. The
    case's coordinators are mailed."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_consent(actor, case))
        if shown_version != CONSENT_TEXT_VERSION or shown_variant != case.variant:
            raise DomainError(
                _("同意文が変わりました。表示された内容を確かめて、もう一度同意してください。"),
                code="case.consent_stale",
            )
        consent = CaseConsent(
            case=case,
            variant=case.variant,
            version=CONSENT_TEXT_VERSION,
            text=consent_text(case),
            method=ConsentMethod.ONLINE,
            given_by=actor,
            signer_name=actor.get_full_name() if hasattr(actor, "get_full_name") else "",
            recorded_by=actor,
        )
        consent.save()
        _move(
            case,
            CaseStatus.CONSENTED,
            actor,
            "cases.case.consented",
            {"variant": case.variant, "version": CONSENT_TEXT_VERSION, "method": ConsentMethod.ONLINE},
        )
        case.save(update_fields=["status", "updated_at"])
        case_notify_coordinators(case, event="consented", actor=actor)
    return consent


def case_consent_attach(
    *, case: Case, actor: User, signed_form: UploadedFile, signer_name: str
) -> CaseConsent:
    """Staff record a consent given on paper: the signed form is kept with the text and version it
    carries (the current ones)."""
    size = signed_form.size or 0
    if size == 0:
        raise DomainError(
            _("署名済みの同意書のファイルを選んでください。"), code="case.form_missing", field="signed_form"
        )
    if size > MAX_CONSENT_FORM_BYTES:
        raise DomainError(
            _("同意書のファイルは20MBまでです。"), code="case.form_too_large", field="signed_form"
        )
    if not signer_name.strip():
        raise DomainError(
            _("署名した方の氏名を入力してください。"), code="case.signer_missing", field="signer_name"
        )
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_attach_consent(actor, case))
        consent = CaseConsent(
            case=case,
            variant=case.variant,
            version=CONSENT_TEXT_VERSION,
            text=consent_text(case),
            method=ConsentMethod.SIGNED_FORM,
            signer_name=signer_name.strip()[:100],
            recorded_by=actor,
        )
        name = (signed_form.name or "consent").rsplit("/", 1)[-1][:200]
        consent.signed_form.save(name, signed_form, save=False)
        consent.save()
        _move(
            case,
            CaseStatus.CONSENTED,
            actor,
            "cases.case.consented",
            {"variant": case.variant, "version": CONSENT_TEXT_VERSION, "method": ConsentMethod.SIGNED_FORM},
        )
        case.save(update_fields=["status", "updated_at"])
        case_notify_coordinators(case, event="consented", actor=actor)
    return consent


def case_live_consent(case: Case) -> CaseConsent | None:
    return case.consents.filter(withdrawn_at__isnull=True).first()


def case_publish(*, case: Case, actor: User) -> Case:
    """Publish a consented case. Refused unless a consent that is not withdrawn covers the variant."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_publish(actor, case))
        consent = case_live_consent(case)
        if consent is None or consent.variant != case.variant:
            raise DomainError(_("企業の同意がない事例は公開できません。"), code="case.no_consent")
        case.published_at = timezone.now()
        case.withdrawn_at = None
        _move(case, CaseStatus.PUBLISHED, actor, "cases.case.published", {"variant": case.variant})
        case.save(update_fields=["status", "published_at", "withdrawn_at", "updated_at"])
        case_index_refresh(case)
    return case


def case_withdraw(*, case: Case, actor: User, reason: str = "") -> Case:
    """Take the case off every public output now and end the company's consent (a new publication needs
    a new consent). Staff may stop a case at any step after the request; the company's members withdraw
    their consent. The case's coordinators are mailed (not the person who withdrew it)."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_withdraw(actor, case))
        now = timezone.now()
        case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
        case.withdrawn_at = now
        _move(case, CaseStatus.WITHDRAWN, actor, "cases.case.withdrawn", {"reason": reason.strip()[:300]})
        case.save(update_fields=["status", "withdrawn_at", "updated_at"])
        case_index_refresh(case)
        case_notify_coordinators(case, event="withdrawn", actor=actor, reason=reason.strip()[:300])
    return case


def case_reopen(*, case: Case, actor: User) -> Case:
    """Turn a withdrawn case into a draft to rework it; it must be reviewed and consented again."""
    with transaction.atomic():
        case = _locked(case)
        _refuse(case_can_reopen(actor, case))
        _move(case, CaseStatus.DRAFT, actor, "cases.case.reopened")
        case.save(update_fields=["status", "updated_at"])
    return case
