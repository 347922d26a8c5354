"""Writes for applications, inquiries, contact logs and their conversion into companies and contacts.

Every service validates, writes inside one transaction, records an audit entry and queues its mail in
that same transaction. They raise DomainError (with a stable code) when a rule refuses the operation.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, User
from ouentai.accounts.selectors import organization_console_users, organization_for_area
from ouentai.community.choices import (
    APPLICATION_FINAL,
    AWAITING_REPLY,
    INQUIRY_FINAL,
    ApplicationStatus,
    ContactChannel,
    InquiryStatus,
)
from ouentai.community.dedup import company_match
from ouentai.community.models import Application, Company, ContactLog, InboxItem, Inquiry
from ouentai.community.services.companies import CompanyData, ContactData, company_create, contact_create
from ouentai.community.services.memberships import membership_activate
from ouentai.content.models import FaqEntry, PrivacyPolicy
from ouentai.content.services import faq_entry_create, privacy_consent_check
from ouentai.core.audit import audit_record
from ouentai.core.calendar import add_business_days
from ouentai.core.errors import DomainError
from ouentai.core.mail import mail_queue

Item = TypeVar("Item", Application, Inquiry)

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _new_reference(prefix: str, when: dt.datetime) -> str:
    """A reference number the sender can read out on the phone: A-261127-7K3M9Q."""
    code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"{prefix}-{timezone.localtime(when):%y%m%d}-{code}"


@dataclass(frozen=True)
class ApplicationData:
    """The application form's fields, already normalized (see ouentai.core.jp). The program needs the
    company, the contact person and a way to reach them (the e-mail address, which the receipt and
    the reply are sent to); everything else is optional."""

    company_name: str
    contact_name: str
    email: str
    company_name_kana: str = ""
    contact_name_kana: str = ""
    phone: str = ""
    postal_code: str = ""
    prefecture: str = ""
    city: str = ""
    town: str = ""
    address: str = ""
    municipality_code: str = ""
    corporate_number: str = ""
    industry: str = ""
    employees: int | None = None
    message: str = ""
    newsletter_opt_in: bool = False


@dataclass(frozen=True)
class InquiryData:
    name: str
    name_kana: str
    company_name: str
    email: str
    phone: str
    postal_code: str
    municipality_code: str
    subject: str
    message: str


def _create_once(
    model: type[Item], token: uuid.UUID, prefix: str, fields: dict[str, object]
) -> tuple[Item, bool]:
    """Insert the record unless one with this form token exists. The unique token makes a reload or a
    double click (even 20 concurrent posts) create exactly one; the loser gets the winner's record."""
    existing = model.objects.filter(submission_token=token).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                item = model.objects.create(
                    submission_token=token, reference=_new_reference(prefix, now), received_at=now, **fields
                )
            return item, True
        except IntegrityError:
            existing = model.objects.filter(submission_token=token).first()
            if existing is not None:
                return existing, False
            # A reference number collision: draw another.
    raise RuntimeError("could not allocate a reference number")


def _staff_recipients(organization: Organization) -> list[str]:
    if organization.notification_email:
        return [organization.notification_email]
    return [u.email for u in organization_console_users(organization=organization) if u.manages_inbox]


def application_submit(
    *,
    data: ApplicationData,
    token: uuid.UUID,
    consent: bool,
    policy: PrivacyPolicy | None,
    policy_version: str,
    language: str = "ja",
    organization: Organization | None = None,
) -> tuple[Application, bool]:
    """Record a participation application and promise a reply.

    Goes to ``organization`` when the person applied on that organization's own pages (and consented
    to its policy); otherwise routes it to the organization whose area covers the postal code (else the
    default organization). Sets the reply due date N business days ahead (N per organization), and
    queues in the same transaction a confirmation to the applicant and a notification to the
    organization's staff. Returns (application, created); created is False when this form token was
    already submitted. Raises DomainError (content.services.privacy_consent_check) when the consent is
    missing or given to an outdated policy.
    """
    fields = dict(data.__dict__)
    return _receive(Application, "A", fields, token, consent, policy, policy_version, language, organization)


def inquiry_submit(
    *,
    data: InquiryData,
    token: uuid.UUID,
    consent: bool,
    policy: PrivacyPolicy | None,
    policy_version: str,
    language: str = "ja",
    organization: Organization | None = None,
) -> tuple[Inquiry, bool]:
    """Record a question from the contact form; same routing, due date, mails and once-only rule as
    application_submit."""
    fields = dict(data.__dict__)
    return _receive(Inquiry, "Q", fields, token, consent, policy, policy_version, language, organization)


def _receive(
    model: type[Item],
    prefix: str,
    fields: dict[str, object],
    token: uuid.UUID,
    consent: bool,
    policy: PrivacyPolicy | None,
    policy_version: str,
    language: str,
    chosen: Organization | None,
) -> tuple[Item, bool]:
    """What receiving an application or an inquiry shares: consent to the current policy, the
    organization (the one chosen by the page it was sent from, else routing by area), the due date, the
    once-only form token, the audit entry, and in the same transaction the confirmation to the sender
    and the notice to the organization's staff."""
    policy = privacy_consent_check(policy=policy, consent=consent, policy_version=policy_version)
    municipality_code = str(fields.get("municipality_code") or "")
    if model is Inquiry:
        fields.pop("municipality_code", None)
    organization = chosen or organization_for_area(municipality_code)
    name = str(model._meta.model_name)
    with transaction.atomic():
        item, created = _create_once(
            model,
            token,
            prefix,
            {
                **fields,
                "organization": organization,
                "due_on": add_business_days(timezone.localdate(), organization.reply_due_business_days),
                "privacy_policy": policy,
                "privacy_policy_version": policy.version,
                "consented_at": timezone.now(),
            },
        )
        if not created:
            return item, False
        audit_record(
            actor=None,
            action=f"community.{name}.received",
            target=item,
            details={"reference": item.reference, "policy_version": policy.version},
        )
        context = {name: item, "organization": organization}
        mail_queue(
            kind=f"{name}.confirmation",
            to=[item.email],
            template=f"community/mail/{name}_confirmation.txt",
            context=context,
            organization_id=organization.pk,
            related=item,
            reply_to=organization.contact_email,
            language=language,
        )
        staff = _staff_recipients(organization)
        if staff:
            mail_queue(
                kind=f"{name}.staff_notice",
                to=staff,
                template=f"community/mail/{name}_staff_notice.txt",
                context=context,
                organization_id=organization.pk,
                related=item,
            )
    return item, True


def _action(item: InboxItem, verb: str) -> str:
    return f"community.{item._meta.model_name}.{verb}"


def _final_statuses(item: InboxItem) -> tuple[str, ...]:
    return tuple(APPLICATION_FINAL if isinstance(item, Application) else INQUIRY_FINAL)


def _lock(item: Item) -> Item:
    """Re-read the item under a row lock so that two staff acting at once see each other's change."""
    return type(item).objects.select_for_update().get(pk=item.pk)


def inbox_assign(*, item: Item, assignee: User, actor: User) -> Item:
    """Put a staff member in charge (担当者). The assignee must be an active console user of the item's
    organization; only organization admins and staff may assign. A received item becomes assigned."""
    if not actor.manages_inbox:
        raise DomainError(_("担当者を割り当てる権限がありません。"), code="inbox.forbidden")
    if assignee.organization_id != item.organization_id or not assignee.can_use_console:
        raise DomainError(
            _("この組織の担当者を選んでください。"), code="inbox.assignee_invalid", field="assignee"
        )
    with transaction.atomic():
        item = _lock(item)
        if item.status in _final_statuses(item):
            raise DomainError(_("完了した案件の担当者は変更できません。"), code="inbox.final")
        previous = item.assignee_id
        item.assignee = assignee
        if item.status == "received":
            item.status = "assigned"
        item.save(update_fields=["assignee", "status", "updated_at"])
        audit_record(
            actor=actor,
            action=_action(item, "assigned"),
            target=item,
            details={"assignee": assignee.name, "assignee_id": assignee.pk, "previous_assignee_id": previous},
        )
    return item


def _record_first_contact(item: InboxItem, *, when: dt.datetime, actor: User) -> None:
    """Stop the reply-due clock on the first contact: remember when, move an item awaiting a reply to
    contacted (application) or answered (inquiry), and make the actor the assignee when there is none.
    The item must be locked by the caller."""
    update = ["updated_at"]
    if item.first_contacted_at is None:
        item.first_contacted_at = when
        update.append("first_contacted_at")
    if item.status in AWAITING_REPLY:
        item.status = ApplicationStatus.CONTACTED if isinstance(item, Application) else InquiryStatus.ANSWERED
        update.append("status")
    if item.assignee_id is None:
        item.assignee = actor
        update.append("assignee")
    item.save(update_fields=update)


def inbox_log_contact(
    *, item: Item, channel: str, note: str, occurred_at: dt.datetime | None = None, actor: User
) -> ContactLog:
    """Record a call or a visit with the sender (電話 / 訪問) and what was said.

    The reply-due clock: the program promises that staff contact the sender within N business days, and
    a conversation on the phone or in person is such a contact, so the first one logged keeps the
    promise, like a reply sent from the console (community.services.replies.inbox_reply_send): an item
    awaiting a reply becomes contacted (application) or answered (inquiry) and stops counting as
    overdue. An e-mail is not logged by hand: it is written and sent from the console, so that what
    was sent and whether it arrived are on record (``contact_log.email_is_reply``)."""
    note = note.strip()
    if channel == ContactChannel.EMAIL:
        raise DomainError(
            _("メールでの返信は「返信を書く」から送ってください。送った文面と配信の状況が記録に残ります。"),
            code="contact_log.email_is_reply",
            field="channel",
        )
    if channel not in ContactChannel.values:
        raise DomainError(_("連絡手段を選んでください。"), code="contact_log.channel", field="channel")
    if not note:
        raise DomainError(_("対応内容を入力してください。"), code="contact_log.note_required", field="note")
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(_("未来の日時は記録できません。"), code="contact_log.future", field="occurred_at")
    with transaction.atomic():
        item = _lock(item)
        log = ContactLog.objects.create(
            organization_id=item.organization_id,
            application=item if isinstance(item, Application) else None,
            inquiry=item if isinstance(item, Inquiry) else None,
            channel=channel,
            note=note,
            occurred_at=occurred_at,
            actor=actor,
        )
        _record_first_contact(item, when=occurred_at, actor=actor)
        audit_record(
            actor=actor,
            action=_action(item, "contact_logged"),
            target=item,
            details={"channel": channel, "log_id": log.pk},
        )
    return log


def _find_company(application: Application) -> Company | None:
    """An existing company of the organization that is the applicant's, by the one "same company" rule
    (community.dedup.same_company)."""
    found = company_match(
        organization_id=application.organization_id,
        name=application.company_name,
        corporate_number=application.corporate_number,
        phone=application.phone,
        email=application.email,
        postal_code=application.postal_code,
    )
    return found.company if found is not None else None


def application_convert(*, application: Application, actor: User) -> Application:
    """Turn an application into a member company: link the existing company (the "same company" rule of
    community.dedup) or create one from the application, likewise the contact person (same
    e-mail within the company), and make the company an active member. The application becomes
    converted, and the applicant is told in the organization's name that their membership has started
    and what happens next (a mail through the queue, related to the application, so that it is on the
    company's timeline). Refused once it is final."""
    with transaction.atomic():
        application = _lock(application)
        if application.status in APPLICATION_FINAL:
            raise DomainError(_("この申込はすでに処理が完了しています。"), code="application.final")
        company = _find_company(application)
        company_created = company is None
        if company is None:
            company = company_create(
                organization=application.organization,
                data=CompanyData(
                    name=application.company_name,
                    name_kana=application.company_name_kana,
                    corporate_number=application.corporate_number,
                    postal_code=application.postal_code,
                    prefecture=application.prefecture,
                    city=application.city,
                    town=application.town,
                    address=application.address,
                    municipality_code=application.municipality_code,
                    phone=application.phone,
                    industry=application.industry,
                    employees=application.employees,
                ),
                actor=actor,
                source=application.reference,
            )
        contact = company.contacts.filter(email__iexact=application.email).first()
        contact_created = contact is None
        if contact is None:
            contact = contact_create(
                company=company,
                data=ContactData(
                    name=application.contact_name,
                    name_kana=application.contact_name_kana,
                    email=application.email,
                    phone=application.phone,
                    newsletter_consent=application.newsletter_opt_in,
                ),
                actor=actor,
                source=application.reference,
            )
        membership_activate(company=company, actor=actor, source=application.reference)
        application.company = company
        application.contact = contact
        application.status = ApplicationStatus.CONVERTED
        if application.assignee_id is None:
            application.assignee = actor
        application.save(update_fields=["company", "contact", "status", "assignee", "updated_at"])
        organization = application.organization
        welcome = mail_queue(
            kind="application.welcome",
            to=[application.email],
            template="community/mail/application_welcome.txt",
            context={"application": application, "organization": organization, "company": company},
            organization_id=organization.pk,
            related=application,
            reply_to=organization.contact_email,
        )
        audit_record(
            actor=actor,
            action="community.application.converted",
            target=application,
            details={
                "company_id": company.pk,
                "company_created": company_created,
                "contact_id": contact.pk,
                "contact_created": contact_created,
                "mail_id": welcome.pk,
            },
        )
    return application


def application_decline(*, application: Application, reason: str, actor: User) -> Application:
    """Close an application without membership; the reason is required and kept."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("見送りの理由を入力してください。"), code="application.reason_required", field="reason"
        )
    with transaction.atomic():
        application = _lock(application)
        if application.status in APPLICATION_FINAL:
            raise DomainError(_("この申込はすでに処理が完了しています。"), code="application.final")
        application.status = ApplicationStatus.DECLINED
        application.decline_reason = reason
        application.save(update_fields=["status", "decline_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="community.application.declined",
            target=application,
            details={"reason": reason},
        )
    return application


def inquiry_close(*, inquiry: Inquiry, actor: User) -> Inquiry:
    """Mark an inquiry done. An inquiry nobody has answered yet cannot be closed silently."""
    with transaction.atomic():
        inquiry = _lock(inquiry)
        if inquiry.status == InquiryStatus.CLOSED:
            raise DomainError(_("このお問い合わせはすでに完了しています。"), code="inquiry.final")
        if inquiry.first_contacted_at is None:
            raise DomainError(_("回答を記録してから完了にしてください。"), code="inquiry.unanswered")
        inquiry.status = InquiryStatus.CLOSED
        inquiry.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="community.inquiry.closed", target=inquiry)
    return inquiry


def inquiry_to_faq(*, inquiry: Inquiry, question: str, answer: str, publish: bool, actor: User) -> FaqEntry:
    """Turn an inquiry into a Q&A entry (in the inquiry's organization), linked back to it. The sender's
    name and contact details are never copied: staff write the question in general terms."""
    with transaction.atomic():
        entry = faq_entry_create(
            organization=inquiry.organization,
            question=question,
            answer=answer,
            is_published=publish,
            actor=actor,
            source_inquiry_id=inquiry.pk,
        )
        audit_record(
            actor=actor, action="community.inquiry.faq_created", target=inquiry, details={"faq_id": entry.pk}
        )
    return entry
