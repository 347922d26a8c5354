"""Reads of the events app, scoped by organization (console) or by publication (public pages), with
the joins that keep each page's query count constant."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ouentai.accounts.models import Organization
from ouentai.community.models import Company
from ouentai.core.models import OutgoingMail
from ouentai.events import rules
from ouentai.events.choices import HOLDS_SEAT, MailAudience, QuestionPurpose, RegistrationStatus
from ouentai.events.models import Attendance, Event, Question, Registration, Session, SurveyResponse

# Audiences whose mail is about what happened: offered only once a session is over.
AFTER_AUDIENCES = (MailAudience.ATTENDEES, MailAudience.NO_SHOWS)


def _with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        seats_held=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT), distinct=True),
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED), distinct=True
        ),
    )


def event_seat_counts(event: Event, *, email_key: str = "") -> dict[str, int]:
    """Seats held (confirmed + offered), people waiting and, given ``email_key``, active registrations
    with that address: one query. The registration services call it with the event row locked."""
    counts = event.registrations.aggregate(
        held=Count("pk", filter=Q(status__in=HOLDS_SEAT)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        same_email=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, email_key=email_key or None)),
    )
    if not email_key:
        counts.pop("same_email")
    return counts


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Availability:
    """Where registration for an event stands, as the public pages and the console show it: ``key``
    (open, full, soon, closed, over; for styling), the seats a newcomer can still get, and whether the
    form takes registrations now."""

    key: str
    seats_left: int
    registration_open: bool
    opens_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        if self.key == "over":
            return _("終了しました")
        if self.key == "soon":
            return _("受付開始前")
        if self.key == "closed":
            return _("受付終了")
        if self.key == "open":
            return ngettext("残り%(n)d席", "残り%(n)d席", self.seats_left) % {"n": self.seats_left}
        return _("満席（キャンセル待ちを受付中）")

    @property
    def not_yet_open(self) -> bool:
        return self.key == "soon"


def event_availability(event: Event, *, now: dt.datetime) -> Availability:
    """Whether a newcomer can register and would get a seat, from the ``seats_held`` and
    ``waiting_count`` annotations of the event selectors (no query). People waiting go first, so a free
    seat is not offered to a newcomer while anyone waits."""
    held = getattr(event, "seats_held", 0)
    waiting = getattr(event, "waiting_count", 0)
    left = 0 if waiting else max(event.capacity - held, 0)
    is_open = event.registration_is_open(now)
    if rules.event_has_ended(event, now):
        key = "over"
    elif event.registration_opens_at and now < event.registration_opens_at:
        key = "soon"
    elif event.effective_closes_at and now >= event.effective_closes_at:
        key = "closed"
    else:
        key = "open" if left else "full"
    return Availability(
        key=key, seats_left=left, registration_open=is_open, opens_at=event.registration_opens_at
    )


def event_seat_summary(event: Event) -> dict[str, int]:
    """The seat figures of the console's event page, from the event selectors' annotations (no query)."""
    held = getattr(event, "seats_held", 0)
    confirmed = getattr(event, "confirmed_count", 0)
    return {
        "held": held,
        "confirmed": confirmed,
        "offered": held - confirmed,
        "waiting": getattr(event, "waiting_count", 0),
        "free": max(event.capacity - held, 0),
    }


def event_public_list(*, upcoming: bool, organization: Organization | None = None) -> QuerySet[Event]:
    """Published events of every organization (or of ``organization`` only, for its own pages): upcoming
    (soonest first) or past (latest first), with the seats held, for the public listing."""
    now = timezone.now()
    queryset = Event.objects.filter(is_published=True, starts_at__isnull=False).select_related("organization")
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if upcoming:
        queryset = queryset.filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)
        ).order_by("starts_at", "pk")
    else:
        queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return _with_counts(queryset).prefetch_related("co_hosts")


def event_public_for_registration(pk: int) -> Event | None:
    """The one read the registration POST needs before the service: the published event and its
    organization (for the privacy policy)."""
    return Event.objects.select_related("organization").filter(pk=pk, is_published=True).first()


def registration_queue_position(registration: Registration) -> int:
    """A waiting person's place in the queue: 1 for the first person on the waiting list."""
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    ahead = Registration.objects.filter(
        earlier, event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).count()
    return ahead + 1


def event_public_get(pk: int) -> Event | None:
    """A published event with its sessions, presenters and co-hosts loaded, or None."""
    return (
        _with_counts(Event.objects.filter(pk=pk, is_published=True))
        .select_related("organization")
        .prefetch_related("sessions", "presenters__company", "co_hosts", "questions")
        .first()
    )


def event_console_list(*, organization: Organization, search: str = "", when: str = "") -> QuerySet[Event]:
    """The organization's events with their counts, newest first; ``when`` is "upcoming", "past" or ""."""
    queryset = Event.objects.filter(organization=organization)
    if search:
        queryset = queryset.filter(title__icontains=search)
    now = timezone.now()
    if when == "upcoming":
        queryset = queryset.filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True))
    elif when == "past":
        queryset = queryset.filter(ends_at__lt=now)
    return _with_counts(queryset).order_by("-starts_at", "-pk")


def event_console_get(*, organization: Organization, pk: int) -> Event | None:
    return (
        _with_counts(Event.objects.filter(organization=organization, pk=pk))
        .prefetch_related("sessions", "presenters__company", "co_hosts", "questions")
        .first()
    )


def event_console_find(*, organization: Organization, pk: int) -> Event | None:
    """One of the organization's events with its organization, nothing more (the pages after an
    event load what they show themselves)."""
    return Event.objects.select_related("organization").filter(organization=organization, pk=pk).first()


def presenter_company_choices(*, organization: Organization) -> list[tuple[int, str]]:
    """The organization's companies a presenter may represent, as (pk, name) by フリガナ."""
    companies = Company.objects.filter(organization=organization).order_by("name_kana", "name", "pk")
    return list(companies.values_list("pk", "name"))


def registration_list(
    *, event: Event, status: str = "", search: str = "", attended: str = ""
) -> QuerySet[Registration]:
    """An event's registrations in the order they came, with their company, contact and the number of
    sessions attended (one query per page)."""
    queryset = event.registrations.select_related("company", "contact").annotate(
        attended_count=Count("attendances", distinct=True)
    )
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(name_kana__icontains=search)
            | Q(company_name__icontains=search)
            | Q(email__icontains=search)
            | Q(code__iexact=search)
        )
    if attended == "yes":
        queryset = queryset.filter(Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
    elif attended == "no":
        queryset = queryset.exclude(Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
    return queryset.order_by("created_at", "pk")


def registration_console_get(*, event: Event, pk: int) -> Registration | None:
    """One registration of ``event`` (already scoped to the user's organization), with its company and
    contact, or None."""
    registration = (
        Registration.objects.select_related("company", "contact")
        .filter(event=event, organization_id=event.organization_id, pk=pk)
        .first()
    )
    if registration is not None:
        registration.event = event
    return registration


def registration_has_answered(registration: Registration) -> bool:
    """Whether the person has answered the event's survey."""
    return SurveyResponse.objects.filter(registration=registration).exists()


def registration_by_token(token: uuid.UUID | str) -> Registration | None:
    """A person's own registration, found by the secret in their link."""
    return (
        Registration.objects.filter(token=token)
        .select_related("event", "event__organization")
        .prefetch_related(
            Prefetch("event__sessions", queryset=Session.objects.order_by("starts_at")),
            "attendances",
        )
        .first()
    )


def registration_list_for_company(*, organization_id: int, company_id: int) -> QuerySet[Registration]:
    """A company's event registrations, newest event first, with their event: the registrations linked
    to the company (by the "same company" rule when they came in, or by staff). Every page that shows a
    company's registrations reads them here: the company's timeline, its engagement's page, the member
    area."""
    return (
        Registration.objects.filter(organization_id=organization_id, company_id=company_id)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )


def registrations_for_company(*, organization_id: int, company_id: int) -> QuerySet[Registration]:
    """A company's registrations with their contact and attendance, for the company's timeline."""
    return (
        registration_list_for_company(organization_id=organization_id, company_id=company_id)
        .select_related("contact")
        .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.select_related("session")))
    )


def registration_list_attended(*, organization_id: int, company_id: int) -> QuerySet[Registration]:
    """A company's event registrations with at least one session attended, newest event first, with the
    number of sessions attended (one query)."""
    attended = Attendance.objects.filter(registration=OuterRef("pk"))
    return (
        registration_list_for_company(organization_id=organization_id, company_id=company_id)
        .filter(Exists(attended))
        .annotate(sessions_attended=Count("attendances"))
    )


def event_list_cohosted(*, organization_id: int, support_organization_id: int) -> QuerySet[Event]:
    """The organization's events a support organization co-hosted, latest first."""
    return Event.objects.filter(organization_id=organization_id, co_hosts=support_organization_id).order_by(
        "-starts_at", "-pk"
    )


# --- The certificate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateStatus:
    """Where a person stands against the certificate rule (rules.certificate_due): sessions attended,
    those of them that are over, how many are required, and whether the certificate may be issued now."""

    session_count: int
    required: int
    attended: int
    attended_ended: int
    eligible: bool

    @property
    def waiting_for_end(self) -> bool:
        """Enough attendance, but not all of it at sessions that are over yet."""
        return not self.eligible and self.attended >= self.required > self.attended_ended


def certificate_status(
    registration: Registration,
    *,
    sessions: Sequence[Session],
    attended_ids: Collection[int],
    now: dt.datetime,
) -> CertificateStatus:
    """The certificate rule for one registration, from sessions and attendance already loaded (no query)."""
    attended = [s for s in sessions if s.pk in attended_ids]
    ended = [s for s in attended if rules.session_has_ended(s, now)]
    required = rules.required_sessions(registration.event.required_sessions, len(sessions))
    return CertificateStatus(
        session_count=len(sessions),
        required=required,
        attended=len(attended),
        attended_ended=len(ended),
        eligible=rules.certificate_due(
            confirmed=registration.status == RegistrationStatus.CONFIRMED,
            required=required,
            session_count=len(sessions),
            attended_ended=len(ended),
        ),
    )


# --- A person's own page --------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: Session
    venue: str
    online_url: str
    is_online: bool
    attended: bool


@dataclass(frozen=True)
class RegistrationOverview:
    """What a person's own page shows besides the registration itself: the sessions (online URLs only
    when confirmed), attendance once a session has begun, the place in the queue, the certificate and
    the survey."""

    rows: list[SessionRow]
    confirmed: bool
    attended: int
    show_attendance: bool
    queue_position: int | None
    certificate: CertificateStatus
    survey: bool


def registration_overview(registration: Registration, *, now: dt.datetime) -> RegistrationOverview:
    """For a registration loaded by registration_by_token: no query, except the queue position of a
    person waiting."""
    event = registration.event
    sessions = list(event.sessions.all())
    attended_ids = {a.session_id for a in registration.attendances.all()}
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    rows = [
        SessionRow(
            session=session,
            venue=session.venue_name or event.venue_name,
            online_url=session.online_url if confirmed else "",
            is_online=bool(session.online_url),
            attended=session.pk in attended_ids,
        )
        for session in sessions
    ]
    attended = sum(1 for row in rows if row.attended)
    return RegistrationOverview(
        rows=rows,
        confirmed=confirmed,
        attended=attended,
        show_attendance=confirmed and bool(attended or any(s.starts_at <= now for s in sessions)),
        queue_position=(
            registration_queue_position(registration)
            if registration.status == RegistrationStatus.WAITLISTED
            else None
        ),
        certificate=certificate_status(registration, sessions=sessions, attended_ids=attended_ids, now=now),
        survey=confirmed and bool(registration.survey_sent_at),
    )


def registration_questions(event: Event) -> list[Question]:
    """The event's registration questions, from the prefetched ``questions`` when the event has them."""
    return [q for q in event.questions.all() if q.purpose == QuestionPurpose.REGISTRATION]


# --- At the door ----------------------------------------------------------------------------------


def session_for_desk(sessions: Sequence[Session], *, now: dt.datetime) -> Session | None:
    """The session the desk most likely works on: one whose desk is open now, else today's (the first
    one not yet over, else the last of the day), else the next one to come, else the last one held."""
    if not sessions:
        return None
    open_now = [s for s in sessions if rules.desk_is_open(s, now)]
    if open_now:
        return open_now[0]
    today = timezone.localtime(now).date()
    todays = [s for s in sessions if timezone.localtime(s.starts_at).date() == today]
    if todays:
        return next((s for s in todays if s.ends_at >= now), todays[-1])
    upcoming = [s for s in sessions if s.starts_at >= now]
    return upcoming[0] if upcoming else sessions[-1]


def attendance_recent(session: Session, *, limit: int) -> tuple[int, list[Attendance]]:
    """How many are checked in at ``session``, and the latest ``limit`` check-ins with their person."""
    attendances = Attendance.objects.filter(session=session).select_related("registration")
    return attendances.count(), list(attendances.order_by("-checked_in_at", "-pk")[:limit])


@dataclass(frozen=True)
class AttendanceCell:
    session: Session
    key: str
    present: bool
    may_mark: bool


@dataclass
class AttendanceRow:
    registration: Registration
    cells: list[AttendanceCell]
    attended: int
    certificate: CertificateStatus

    @property
    def eligible(self) -> bool:
        return self.certificate.eligible


def attendance_table(event: Event, *, sessions: Sequence[Session], now: dt.datetime) -> list[AttendanceRow]:
    """Confirmed registrations × sessions (two queries): who was present, which cells may be ticked now
    (a session whose doors have opened; a mark recorded too early can always be removed) and where each
    person stands against the certificate rule."""
    registrations = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("company")
        .prefetch_related("attendances")
        .order_by("name_kana", "name", "pk")
    )
    session_ids = {s.pk for s in sessions}
    opened = {s.pk for s in sessions if rules.attendance_may_be_marked(s, now)}
    rows = []
    for registration in registrations:
        registration.event = event
        present = {a.session_id for a in registration.attendances.all()} & session_ids
        rows.append(
            AttendanceRow(
                registration=registration,
                cells=[
                    AttendanceCell(
                        session=s,
                        key=f"{registration.pk}-{s.pk}",
                        present=s.pk in present,
                        may_mark=s.pk in opened or s.pk in present,
                    )
                    for s in sessions
                ],
                attended=len(present),
                certificate=certificate_status(
                    registration, sessions=sessions, attended_ids=present, now=now
                ),
            )
        )
    return rows


# --- Mail after the event -------------------------------------------------------------------------


def audience_available(event: Event, audience: str, *, now: dt.datetime) -> bool:
    """Whether mail to ``audience`` makes sense now: attendees and no-shows only once a session is over
    (before that, nobody has been absent yet); everyone confirmed or waiting at any time."""
    if audience not in AFTER_AUDIENCES:
        return True
    return event.sessions.filter(ends_at__lte=now).exists()


def registration_list_audience(event: Event, audience: str, *, now: dt.datetime) -> QuerySet[Registration]:
    """The registrations a mail to ``audience`` goes to (only those with an e-mail address); empty for
    an audience about what happened while no session is over yet."""
    base = event.registrations.exclude(email="")
    attended = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
    if audience in AFTER_AUDIENCES and not audience_available(event, audience, now=now):
        return base.none()
    if audience == MailAudience.ATTENDEES:
        return base.filter(attended)
    if audience == MailAudience.NO_SHOWS:
        return base.filter(status=RegistrationStatus.CONFIRMED).exclude(attended)
    if audience == MailAudience.CONFIRMED:
        return base.filter(status=RegistrationStatus.CONFIRMED)
    if audience == MailAudience.WAITLISTED:
        return base.filter(status=RegistrationStatus.WAITLISTED)
    return base.none()


def audiences_not_yet(event: Event, *, now: dt.datetime) -> set[str]:
    """The audiences that cannot be mailed yet (attendees and no-shows while no session is over)."""
    if audience_available(event, MailAudience.ATTENDEES, now=now):
        return set()
    return {str(audience) for audience in AFTER_AUDIENCES}


def audience_counts(event: Event, *, now: dt.datetime) -> dict[str, int]:
    """How many each audience would reach now (one query per audience, four in all)."""
    return {
        audience: registration_list_audience(event, audience, now=now).count()
        for audience in MailAudience.values
    }


# --- One registration in the console --------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationDetail:
    answers: list[tuple[str, Any, str]]  # (question, answer, question kind)
    session_rows: list[tuple[Session, Attendance | None, bool]]
    attended: int
    mails: list[OutgoingMail] = field(default_factory=list)


def registration_detail(registration: Registration, *, event: Event, now: dt.datetime) -> RegistrationDetail:
    """The answers (label, value, kind) to the event's registration questions, each session with the person's
    attendance and whether it may be marked now, and the mails sent about the registration."""
    answers = [
        (q.label, registration.answers[str(q.pk)], q.kind)
        for q in registration_questions(event)
        if isinstance(registration.answers, dict) and str(q.pk) in registration.answers
    ]
    attendances = {a.session_id: a for a in registration.attendances.select_related("checked_in_by")}
    session_rows = [
        (s, attendances.get(s.pk), rules.attendance_may_be_marked(s, now)) for s in event.sessions.all()
    ]
    mails = list(
        OutgoingMail.objects.filter(
            related_type=ContentType.objects.get_for_model(Registration), related_id=str(registration.pk)
        ).order_by("-created_at")
    )
    return RegistrationDetail(
        answers=answers, session_rows=session_rows, attended=len(attendances), mails=mails
    )
