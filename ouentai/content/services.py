"""Writes to public content (each writes an audit entry), and the one consent rule every public form
that collects personal data goes through."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.content.models import FaqEntry, PrivacyPolicy
from ouentai.content.selectors import CONTENT_VERSION_KEY
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.jp import normalize_text


def faq_entry_create(
    *,
    organization: Organization,
    question: str,
    answer: str,
    is_published: bool,
    actor: User | None,
    source_inquiry_id: int | None = None,
) -> FaqEntry:
    """Add an entry at the end of the list. An empty answer is allowed (a draft) but never shown."""
    question = normalize_text(question)
    if not question:
        raise DomainError(_("質問を入力してください。"), code="faq.question_required", field="question")
    with transaction.atomic():
        last = FaqEntry.objects.filter(organization=organization).aggregate(m=Max("position"))["m"] or 0
        entry = FaqEntry.objects.create(
            organization=organization,
            question=question,
            answer=normalize_text(answer),
            is_published=is_published,
            position=last + 10,
            source_inquiry_id=source_inquiry_id,
        )
        audit_record(actor=actor, action="content.faq.created", target=entry, details={"question": question})
        content_changed()
    return entry


def faq_entry_update(
    *, entry: FaqEntry, question: str, answer: str, is_published: bool, actor: User
) -> FaqEntry:
    question = normalize_text(question)
    if not question:
        raise DomainError(_("質問を入力してください。"), code="faq.question_required", field="question")
    with transaction.atomic():
        changed = [
            name
            for name, value in (
                ("question", question),
                ("answer", normalize_text(answer)),
                ("is_published", is_published),
            )
            if getattr(entry, name) != value
        ]
        entry.question, entry.answer, entry.is_published = question, normalize_text(answer), is_published
        entry.save()
        audit_record(actor=actor, action="content.faq.updated", target=entry, details={"changed": changed})
        content_changed()
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
        content_changed()


def faq_entry_delete(*, entry: FaqEntry, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action="content.faq.deleted", target=entry, details={"question": entry.question}
        )
        entry.delete()
        content_changed()


def content_changed() -> None:
    """Cached public pages show the change once the transaction commits."""

    def bump() -> None:
        try:
            cache.incr(CONTENT_VERSION_KEY)
        except ValueError:
            cache.set(CONTENT_VERSION_KEY, 2, None)

    transaction.on_commit(bump)


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
