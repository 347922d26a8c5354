"""Writes to public content (each writes an audit entry), and the one consent rule every public form
that collects personal data goes through."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.accounts.selectors import organization_for_portal
from ouentai.content.models import FaqEntry, PrivacyPolicy
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import normalize_text
from ouentai.core.pagecache import pages_changed


def faq_entry_create(
    *,
    organization: Organization,
    question: str,
    answer: str,
    is_published: bool,
    actor: User | None,
    source_inquiry_id: int | None = None,
    is_program_wide: bool = False,
) -> FaqEntry:
    """Add an entry at the end of the list. An empty answer is allowed (a draft) but never shown.
    Raises DomainError when the question is empty, or when the entry is marked program-wide by an
    organization that does not speak for the program (see ``organization_may_publish_program_wide``)."""
    question = normalize_text(question)
    if not question:
        raise DomainError(_("質問を入力してください。"), code="faq.question_required", field="question")
    _check_program_wide(organization, is_program_wide)
    with transaction.atomic():
        last = FaqEntry.objects.filter(organization=organization).aggregate(m=Max("position"))["m"] or 0
        entry = FaqEntry.objects.create(
            organization=organization,
            question=question,
            answer=normalize_text(answer),
            is_published=is_published,
            position=last + 10,
            source_inquiry_id=source_inquiry_id,
            is_program_wide=is_program_wide,
        )
        audit_record(actor=actor, action="content.faq.created", target=entry, details={"question": question})
        content_changed(organization=organization)
    return entry


def faq_entry_update(
    *,
    entry: FaqEntry,
    question: str,
    answer: str,
    is_published: bool,
    actor: User,
    is_program_wide: bool | None = None,
) -> FaqEntry:
    """Change an entry; ``is_program_wide`` None keeps its mark. Same errors as faq_entry_create."""
    question = normalize_text(question)
    if not question:
        raise DomainError(_("質問を入力してください。"), code="faq.question_required", field="question")
    program_wide = entry.is_program_wide if is_program_wide is None else is_program_wide
    if program_wide and not entry.is_program_wide:
        _check_program_wide(entry.organization, program_wide)
    with transaction.atomic():
        changed = [
            name
            for name, value in (
                ("question", question),
                ("answer", normalize_text(answer)),
                ("is_published", is_published),
                ("is_program_wide", program_wide),
            )
            if getattr(entry, name) != value
        ]
        entry.question, entry.answer, entry.is_published = question, normalize_text(answer), is_published
        entry.is_program_wide = program_wide
        entry.save()
        audit_record(actor=actor, action="content.faq.updated", target=entry, details={"changed": changed})
        content_changed(organization=entry.organization)
    return entry


def faq_entry_move(*, entry: FaqEntry, direction: int, actor: User) -> None:
    """Swap an entry with its neighbour above (direction -1) or below (+1)."""
    with transaction.atomic():
        siblings = list(
            FaqEntry.objects.filter(organization_id=entry.organization_id).order_by("position", "id")
        )
        index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
        other_index = index + direction
        if not 0 <= other_index < len(siblings):
            return
        siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
        for position, item in enumerate(siblings, start=1):
            if item.position != position * 10:
                FaqEntry.objects.filter(pk=item.pk).update(position=position * 10)
        audit_record(actor=actor, action="content.faq.moved", target=entry, details={"direction": direction})
        content_changed(organization=entry.organization)


def faq_entry_delete(*, entry: FaqEntry, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action="content.faq.deleted", target=entry, details={"question": entry.question}
        )
        organization = entry.organization
        entry.delete()
        content_changed(organization=organization)


def organization_may_publish_program_wide(organization: Organization) -> bool:
    """Only the organization that speaks for the program (``organization_for_portal``) puts entries on
    the program-wide pages; every other organization's content stays on its own pages."""
    try:
        return organization_for_portal().pk == organization.pk
    except Organization.DoesNotExist:
        return False


def _check_program_wide(organization: Organization, is_program_wide: bool) -> None:
    if is_program_wide and not organization_may_publish_program_wide(organization):
        raise DomainError(
            _("事業全体のページに掲載できるのは、サイトを代表する組織の項目だけです。"),
            code="content.program_wide_forbidden",
            field="is_program_wide",
        )


def content_changed(*, organization: Organization) -> None:
    """The organization's cached public pages (and the program-wide ones) show the change once the
    transaction commits."""
    pages_changed(organization_slug=organization.slug)


def privacy_consent_check(
    *, policy: PrivacyPolicy | None, consent: bool, policy_version: str
) -> PrivacyPolicy:
    """The consent rule of every public form that collects personal data (applications, inquiries,
    event registrations, and later forms): the organization must have a current privacy policy, the
    person must have ticked the consent box, and must have agreed to the version in force now (the one
    shown when the form was opened travels with it as ``policy_version``). Returns the policy agreed to,
    for the caller to record with the submission.

    Raises DomainError ``consent.policy_missing`` (nothing to agree to: the organization must publish a
    policy first), ``consent.required`` and ``consent.outdated`` (the policy changed while the form was
    open: the form asks again); the last two belong beside the ``consent`` field."""
    if policy is None:
        raise DomainError(
            _("個人情報の取扱いが未設定のため受け付けられません。事務局にお知らせください。"),
            code="consent.policy_missing",
        )
    if not consent:
        raise DomainError(
            _("個人情報の取扱いに同意いただけない場合はお申し込みいただけません。"),
            code="consent.required",
            field="consent",
        )
    if policy_version != policy.version:
        raise DomainError(
            _("個人情報の取扱いが更新されました。新しい内容をご確認のうえ、もう一度同意してください。"),
            code="consent.outdated",
            field="consent",
        )
    return policy
