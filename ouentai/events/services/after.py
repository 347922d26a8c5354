"""After the event: the survey to attendees, mail to a chosen audience, reminders before the event, and
turning attendees into members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.community.data import CompanyData, ContactData
from ouentai.community.models import Contact
from ouentai.community.services.companies import company_create, contact_create
from ouentai.community.services.memberships import membership_activate
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.mail import mail_queue
from ouentai.core.templatetags.ouentai import datetime_jp
from ouentai.events import rules
from ouentai.events.choices import MailAudience, QuestionPurpose, RegistrationStatus
from ouentai.events.models import Event, Registration, SurveyResponse
from ouentai.events.selectors import audience_available, registration_list_audience
from ouentai.events.services.answers import answers_clean
from ouentai.events.services.permissions import require_manager
from ouentai.events.services.registrations import registration_link


def event_mail_send(*, event: Event, audience: str, subject: str, body: str, actor: User) -> int:
    """Mail a message to one audience of an event (attendees, no-shows, confirmed, waiting). Mail to
    attendees or no-shows is about what happened, so it is refused until a session is over. Returns the
    number of mails queued; each is on the registration's record."""
    require_manager(actor)
    if audience not in MailAudience.values:
        raise DomainError(_("宛先の種類を選んでください。"), code="mail.audience", field="audience")
    if not subject.strip() or not body.strip():
        raise DomainError(_("件名と本文を入力してください。"), code="mail.empty")
    if "\n" in subject:
        raise DomainError(_("件名は1行で入力してください。"), code="mail.subject_lines", field="subject")
    now = timezone.now()
    if not audience_available(event, audience, now=now):
        raise DomainError(
            _("出席した人・欠席した人へのメールは、開催回が終わってから送れます。"),
            code="mail.too_early",
            field="audience",
        )
    with transaction.atomic():
        recipients = list(registration_list_audience(event, audience, now=now).select_related("event"))
        for registration in recipients:
            mail_queue(
                kind="events.message",
                to=[registration.email],
                template="events/mail/message.txt",
                context={"registration": registration, "event": event, "subject": subject, "body": body},
                organization_id=event.organization_id,
                related=registration,
                language=registration.language,
            )
        audit_record(
            actor=actor,
            action="events.mail.sent",
            target=event,
            details={"audience": audience, "subject": subject, "count": len(recipients)},
        )
    return len(recipients)


def _require_event_over(event: Event, now: dt.datetime, *, code: str) -> None:
    if not rules.event_has_ended(event, now):
        end = event.ends_at or event.starts_at
        raise DomainError(
            _("アンケートは、最後の回が終わってから（%(when)s以降）お願いします。")
            % {"when": datetime_jp(end)}
            if end
            else _("開催回が登録されていないイベントです。"),
            code=code,
        )


def survey_send(*, event: Event, actor: User) -> int:
    """Mail the survey link to every attendee (at least one session attended) not yet asked, once the
    event is over (the last session has ended); never to no-shows or people on the waiting list.
    Returns how many were mailed; sending again reaches only attendees checked in since. Staff and org
    admins only."""
    require_manager(actor)
    if not event.questions.filter(purpose=QuestionPurpose.SURVEY).exists():
        raise DomainError(_("アンケートの質問を登録してから送信してください。"), code="survey.no_questions")
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _require_event_over(event, now, code="survey.too_early")
        recipients = list(
            registration_list_audience(event, MailAudience.ATTENDEES, now=now).filter(
                survey_sent_at__isnull=True
            )
        )
        for registration in recipients:
            registration.event = event
            mail_queue(
                kind="events.survey",
                to=[registration.email],
                template="events/mail/survey.txt",
                context={"registration": registration, "event": event},
                organization_id=event.organization_id,
                related=registration,
                language=registration.language,
            )
        Registration.objects.filter(pk__in=[r.pk for r in recipients]).update(survey_sent_at=now)
        event.survey_sent_at = now
        event.save(update_fields=["survey_sent_at", "updated_at"])
        audit_record(
            actor=actor, action="events.survey.sent", target=event, details={"count": len(recipients)}
        )
    return len(recipients)


def survey_submit(*, registration: Registration, answers: dict[str, Any]) -> SurveyResponse:
    """Store an attendee's survey answers, once, after the event is over. Refuses people who did not
    attend, answers before the last session ended, a second answer, missing required answers and
    options that are not offered."""
    if not registration.attendances.exists():
        raise DomainError(_("アンケートは出席した方にお願いしています。"), code="survey.not_attendee")
    now = timezone.now()
    _require_event_over(registration.event, now, code="survey.not_yet")
    cleaned = answers_clean(
        registration.event.questions.filter(purpose=QuestionPurpose.SURVEY), answers, code="survey"
    )
    try:
        with transaction.atomic():
            if SurveyResponse.objects.filter(registration=registration).exists():
                raise IntegrityError("answered")
            response = SurveyResponse.objects.create(
                registration=registration, answers=cleaned, submitted_at=now
            )
            audit_record(actor=None, action="events.survey.answered", target=registration)
    except IntegrityError as error:
        # Answered already, or a double submit that raced past the check (the one-to-one refuses it).
        raise DomainError(
            _("このアンケートにはすでに回答いただいています。"), code="survey.answered"
        ) from error
    return response


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Mail the reminders due now: for each published upcoming event and each configured offset N (days
    before the start), every confirmed registration made before that point that has not had reminder N.
    A person who registers after the 7-day point gets only the later reminders. Safe to run twice.
    Returns the number of mails queued."""
    now = now or timezone.now()
    queued = 0
    events = Event.objects.filter(
        is_published=True, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=61)
    )
    for event in events:
        days = [d for d in event.reminder_day_list if now >= event.starts_at - dt.timedelta(days=d)]  # type: ignore[operator]
        if not days:
            continue
        due = min(days)  # the latest reminder whose time has come
        with transaction.atomic():
            registrations = event.registrations.select_for_update().filter(
                status=RegistrationStatus.CONFIRMED
            )
            sessions = list(event.sessions.all())
            for registration in registrations:
                if not registration.email or due in registration.reminders_sent:
                    continue
                if registration.created_at > event.starts_at - dt.timedelta(days=due):  # type: ignore[operator]
                    continue
                registration.reminders_sent = sorted({*registration.reminders_sent, *days})
                registration.save(update_fields=["reminders_sent", "updated_at"])
                registration.event = event
                mail_queue(
                    kind="events.reminder",
                    to=[registration.email],
                    template="events/mail/reminder.txt",
                    context={"registration": registration, "event": event, "sessions": sessions, "days": due},
                    organization_id=event.organization_id,
                    related=registration,
                    language=registration.language,
                )
                queued += 1
    return queued


def registration_make_member(*, registration: Registration, actor: User) -> Registration:
    """Follow-up: make an attendee's company a community member in one step. Uses the company and
    contact the registration is linked to, else registers them from what the person gave (company name,
    name, e-mail, phone), then links the registration. Audited by each service it calls. Staff and org
    admins only."""
    require_manager(actor)
    if not registration.company_name and registration.company_id is None:
        raise DomainError(_("会社名が登録されていないため、会員にできません。"), code="followup.no_company")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("company", "contact", "organization")
            .get(pk=registration.pk)
        )
        source = f"event:{registration.event_id}"
        company = registration.company
        if company is None:
            company = company_create(
                organization=registration.organization,
                data=CompanyData(name=registration.company_name, phone=registration.phone),
                actor=actor,
                source=source,
            )
        contact = registration.contact
        if contact is None and registration.email:
            contact = Contact.objects.filter(company=company, email__iexact=registration.email).first()
        if contact is None:
            contact = contact_create(
                company=company,
                data=ContactData(
                    name=registration.name,
                    name_kana=registration.name_kana,
                    email=registration.email,
                    phone=registration.phone,
                ),
                actor=actor,
                source=source,
            )
        membership_activate(company=company, actor=actor, source=source)
        registration_link(registration=registration, company=company, contact=contact, actor=actor)
    return registration


def registrations_exported(*, event: Event, rows: int, file_format: str, actor: User) -> None:
    """Record who exported an event's registrants and how many rows: personal data leaving the system
    must be traceable (APPI)."""
    audit_record(
        actor=actor,
        action="events.registrations.exported",
        target=event,
        details={"rows": rows, "format": file_format},
    )
