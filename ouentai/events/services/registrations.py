"""Registrations: the capacity rule, the waiting list and the offers of freed seats.

The rule: never more registrations holding a seat (confirmed or offered) than the event has seats,
under any concurrency. Every service that can change who holds a seat first locks the event row
(``select_for_update`` on PostgreSQL; on SQLite the IMMEDIATE transaction already serializes writers),
so counting and writing happen as one step per event. A partial unique index backs the rule of one
active registration per e-mail address and event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from ouentai.accounts.models import User
from ouentai.community.dedup import company_match
from ouentai.community.models import Company, Contact
from ouentai.content.models import PrivacyPolicy
from ouentai.content.services import privacy_consent_check
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.mail import mail_queue
from ouentai.core.models import OutgoingMail
from ouentai.events import rules
from ouentai.events.choices import (
    QuestionPurpose,
    RegistrationSource,
    RegistrationStatus,
)
from ouentai.events.documents import checkin_qr_png, event_ics
from ouentai.events.models import Event, Question, Registration
from ouentai.events.selectors import event_seat_counts
from ouentai.events.services.answers import answers_clean
from ouentai.events.services.permissions import require_manager


@dataclass(frozen=True)
class RegistrationData:
    """What a person gives when registering, already normalized by the form (ouentai.core.fields)."""

    name: str
    name_kana: str = ""
    company_name: str = ""
    email: str = ""
    phone: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_answers(event: Event, answers: dict[str, Any], questions: list[Question] | None) -> dict[str, Any]:
    """The answers to this event's registration questions (``questions`` when the caller has loaded
    them already); see answers_clean for what is refused."""
    if questions is None:
        questions = list(event.questions.filter(purpose=QuestionPurpose.REGISTRATION))
    mine = [q for q in questions if q.event_id == event.pk and q.purpose == QuestionPurpose.REGISTRATION]
    return answers_clean(mine, answers, code="registration")


def _link(registration: Registration) -> None:
    """Attach the registration to the company it comes from by the one "same company" rule
    (community.dedup.same_company: a known contact's e-mail address, or the name with the phone
    number), with that contact when the address was theirs, in the event's organization; anyone else
    stays a lead for the follow-up list."""
    found = company_match(
        organization_id=registration.event.organization_id,
        name=registration.company_name,
        phone=registration.phone,
        email=registration.email,
    )
    if found is not None:
        registration.company_id = found.company.pk
        registration.contact_id = found.contact_id


STATUS_MAIL_TASK = "ouentai.events.tasks.registration_status_mail"
AFTER_CREATE_TASK = "ouentai.events.tasks.registration_after_create"


def _after_create(registration: Registration) -> None:
    """Queue, in the registration's transaction, what need not hold up the person: linking to a known
    contact or company, and the mail that says where they stand."""
    async_task(
        AFTER_CREATE_TASK,
        registration.pk,
        str(registration.status),
        task_name=f"registration-{registration.pk}-created",
        group="mail",
    )


def registration_after_create(registration_id: int, status: str) -> str:
    """Link a new registration to its company (``_link``; if not linked yet), then render its status
    mail. Safe to run twice."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        return "missing"
    if registration.company_id is None and registration.contact_id is None:
        _link(registration)
        if registration.company_id is not None:
            Registration.objects.filter(pk=registration.pk, company__isnull=True).update(
                company_id=registration.company_id, contact_id=registration.contact_id
            )
    if registration.email:
        return registration_status_mail(registration_id, status)
    return "linked"


def _mail_status(registration: Registration) -> None:
    """Queue, in the caller's transaction, the mail that tells a person where they stand. The worker
    renders it (with the calendar file and QR code for a confirmed seat): a registration rush then
    spends its time on seats, not on rendering mail, and the mail still exists exactly when the
    registration does."""
    async_task(
        STATUS_MAIL_TASK,
        registration.pk,
        str(registration.status),
        task_name=f"registration-{registration.pk}-{registration.status}",
        group="mail",
    )


def registration_status_mail(registration_id: int, status: str) -> str:
    """Render and queue the mail for a registration's status: confirmed (with the calendar file and
    the QR code), waitlisted, or offered a freed seat. Safe to run twice: one mail per registration and
    status."""
    templates = {
        RegistrationStatus.CONFIRMED: "events/mail/confirmed.txt",
        RegistrationStatus.WAITLISTED: "events/mail/waitlisted.txt",
        RegistrationStatus.OFFERED: "events/mail/offered.txt",
    }
    kind = f"events.{status}"
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("event")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or not registration.email:
            return "missing"
        if OutgoingMail.objects.filter(
            kind=kind,
            related_type=ContentType.objects.get_for_model(Registration),
            related_id=str(registration.pk),
        ).exists():
            return "already-queued"
        event = registration.event
        attachments: list[tuple[str, bytes, str]] = []
        if status == RegistrationStatus.CONFIRMED:
            attachments = [
                ("event.ics", event_ics(event, online_urls=True), "text/calendar"),
                (f"checkin-{registration.code}.png", checkin_qr_png(registration), "image/png"),
            ]
        # Render with the status the mail is about, even if it has moved on since.
        registration.status = status
        mail_queue(
            kind=kind,
            to=[registration.email],
            template=templates[RegistrationStatus(status)],
            context={"registration": registration, "event": event, "sessions": list(event.sessions.all())},
            organization_id=event.organization_id,
            related=registration,
            language=registration.language,
            attachments=attachments,
        )
    return "queued"


def registration_create(
    *,
    event: Event,
    data: RegistrationData,
    actor: User | None = None,
    source: str = RegistrationSource.WEB,
    policy: PrivacyPolicy | None = None,
    policy_version: str = "",
    consent: bool | None = None,
    language: str = "ja",
    check_window: bool = True,
    require_seat: bool = False,
    questions: list[Question] | None = None,
) -> Registration:
    """Register a person: confirmed while seats are free and nobody is waiting, otherwise on the waiting
    list. Refuses a closed or unpublished event (unless staff register with ``check_window=False``), a
    second active registration with the same e-mail address, and missing required answers. Queues the
    mail that says where the person stands (confirmed: with iCal and QR code). With ``require_seat``
    (walk-ins at the door) a full event refuses instead of waitlisting.

    A person registering themselves (``consent`` given, ticked or not) goes through the one consent rule
    of public forms (content.services.privacy_consent_check: a current ``policy``, the box ticked, the
    ``policy_version`` shown still in force) and the version agreed to is recorded; staff registering
    someone (``consent`` None) record no consent."""
    if not data.name:
        raise DomainError(_("氏名を入力してください。"), code="registration.name_required", field="name")
    if source == RegistrationSource.WEB and not data.email:
        raise DomainError(
            _("メールアドレスを入力してください。"), code="registration.email_required", field="email"
        )
    if consent is not None:
        policy = privacy_consent_check(policy=policy, consent=consent, policy_version=policy_version)
    else:
        policy = None  # registered by staff: the person agreed to nothing here
    now = timezone.now()
    try:
        with transaction.atomic():
            event = _lock_event(event)
            if check_window and not event.registration_is_open(now):
                raise DomainError(
                    _("このイベントは現在申込を受け付けていません。"), code="registration.closed"
                )
            email_key = data.email.strip().lower()
            counts = event_seat_counts(event, email_key=email_key)
            if counts.get("same_email"):
                raise DomainError(
                    _(
                        "このメールアドレスではすでに申し込まれています。申込確認メールのリンクから内容を確認できます。"
                    ),
                    code="registration.duplicate",
                    field="email",
                )
            answers = _check_answers(event, data.answers, questions)
            # People waiting go first while a freed seat can still be offered to them; in the last hour
            # before the start (no more offers) a free seat goes to whoever asks, e.g. a walk-in.
            no_more_offers = _offer_deadline(event, now) is None
            confirmed = counts["held"] < event.capacity and (counts["waiting"] == 0 or no_more_offers)
            if require_seat and not confirmed:
                raise DomainError(
                    _("満席のため受け付けられません。会場に余裕があれば、先に定員を増やしてください。"),
                    code="registration.full",
                )
            registration = Registration(
                organization_id=event.organization_id,
                event=event,
                status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                source=source,
                name=data.name,
                name_kana=data.name_kana,
                company_name=data.company_name,
                email=data.email,
                email_key=email_key,
                phone=data.phone,
                answers=answers,
                privacy_policy_version=policy.version if policy is not None else "",
                consented_at=now if policy is not None else None,
                language=language,
                confirmed_at=now if confirmed else None,
            )
            registration.save()
            audit_record(
                actor=actor,
                action=f"events.registration.{registration.status}",
                target=registration,
                details={"event": event.pk, "source": source},
            )
            _after_create(registration)
    except IntegrityError as error:
        # The partial unique index caught a double submit that raced past the check above.
        raise DomainError(
            _(
                "このメールアドレスではすでに申し込まれています。申込確認メールのリンクから内容を確認できます。"
            ),
            code="registration.duplicate",
            field="email",
        ) from error
    return registration


def _offer_deadline(event: Event, now: dt.datetime) -> dt.datetime | None:
    """When an offer made now must be accepted: ``offer_hours`` from now, but never after the event
    starts; None when there is no time left to offer (under an hour before the start)."""
    deadline = now + dt.timedelta(hours=event.offer_hours)
    if event.starts_at is not None:
        if event.starts_at - now < dt.timedelta(hours=1):
            return None
        deadline = min(deadline, event.starts_at)
    return deadline


def _offer_free_seats(event: Event, *, now: dt.datetime, actor: User | None) -> list[Registration]:
    """With the event locked: offer every free seat to the next people on the waiting list, in the order
    they registered, each by mail with a deadline."""
    deadline = _offer_deadline(event, now)
    if deadline is None:
        return []
    free = event.capacity - event_seat_counts(event)["held"]
    if free <= 0:
        return []
    offered = list(
        event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "id")[:free]
    )
    for registration in offered:
        registration.event = event
        registration.status = RegistrationStatus.OFFERED
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit_record(
            actor=actor,
            action="events.registration.offered",
            target=registration,
            details={"deadline": deadline.isoformat()},
        )
        if registration.email:
            _mail_status(registration)
    return offered


def registration_can_cancel(registration: Registration, *, now: dt.datetime) -> bool:
    """Whether the registration may be cancelled now: it is active and its event is not over. The
    person's page and the console offer the button exactly when registration_cancel would accept."""
    return registration.is_active and not rules.event_has_ended(registration.event, now)


def registration_cancel(
    *, registration: Registration, actor: User | None = None, reason: str = ""
) -> Registration:
    """Cancel a registration (by the person through their link, ``actor`` None, or by staff who manage
    events) while its event is not over. A seat it held is offered to the next person waiting.
    Cancelling twice changes nothing."""
    if actor is not None:
        require_manager(actor)
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if not registration.is_active:
            return registration
        if not registration_can_cancel(registration, now=now):
            raise DomainError(_("終了したイベントの申込は取り消せません。"), code="registration.event_over")
        held = registration.holds_seat
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "cancelled_at", "offer_expires_at", "updated_at"])
        audit_record(
            actor=actor,
            action="events.registration.cancelled",
            target=registration,
            details={"reason": reason},
        )
        if registration.email:
            mail_queue(
                kind="events.cancelled",
                to=[registration.email],
                template="events/mail/cancelled.txt",
                context={"registration": registration, "event": event},
                organization_id=event.organization_id,
                related=registration,
                language=registration.language,
            )
        if held:
            _offer_free_seats(event, now=now, actor=None)
    return registration


def registration_accept_offer(*, registration: Registration) -> Registration:
    """The person takes the seat offered to them before the deadline: confirmed, with the confirmation
    mail. After the deadline the offer has lapsed (and the seat goes to the next person)."""
    now = timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.event = event
        if registration.status == RegistrationStatus.CONFIRMED:
            return registration
        if registration.status != RegistrationStatus.OFFERED:
            raise DomainError(
                _("この申込には繰り上げのご案内が出ていません。"), code="registration.not_offered"
            )
        lapsed = registration.offer_expires_at is not None and registration.offer_expires_at <= now
        if lapsed:
            # Close the lapsed offer (committed) before saying so: the seat goes to the next person.
            _expire(registration, event=event, now=now)
        else:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "confirmed_at", "offer_expires_at", "updated_at"])
            audit_record(
                actor=None,
                action="events.registration.confirmed",
                target=registration,
                details={"offer": True},
            )
            if registration.email:
                _mail_status(registration)
    if lapsed:
        raise DomainError(
            _("回答期限を過ぎたため、この席のご案内は終了しました。"), code="registration.offer_expired"
        )
    return registration


def _expire(registration: Registration, *, event: Event, now: dt.datetime) -> None:
    registration.status = RegistrationStatus.EXPIRED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit_record(actor=None, action="events.registration.offer_expired", target=registration)
    _offer_free_seats(event, now=now, actor=None)


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Close every offer past its deadline and pass the seat to the next person waiting. Safe to run
    twice (the task queue runs it every few minutes). Returns the number of offers closed."""
    now = now or timezone.now()
    closed = 0
    event_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            lapsed = list(
                event.registrations.select_for_update().filter(
                    status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in lapsed:
                registration.event = event
                registration.status = RegistrationStatus.EXPIRED
                registration.offer_expires_at = None
                registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
                audit_record(actor=None, action="events.registration.offer_expired", target=registration)
                closed += 1
            if lapsed:
                _offer_free_seats(event, now=now, actor=None)
    return closed


def registration_link(
    *, registration: Registration, company: Company, contact: Contact | None, actor: User
) -> Registration:
    """Attach a registration to a company (and contact) of the same organization, e.g. after the
    follow-up made the person's company a member."""
    if company.organization_id != registration.organization_id or (
        contact is not None and contact.company_id != company.pk
    ):
        raise DomainError(_("別の組織の企業には紐付けできません。"), code="registration.link_scope")
    with transaction.atomic():
        registration.company = company
        registration.contact = contact
        registration.save(update_fields=["company", "contact", "updated_at"])
        audit_record(
            actor=actor,
            action="events.registration.linked",
            target=registration,
            details={"company": company.pk, "contact": contact.pk if contact else None},
        )
    return registration
