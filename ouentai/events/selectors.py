"""Reads of the events app, scoped by organization (console) or by publication (public pages), with
the joins that keep each page's query count constant."""

from __future__ import annotations

import uuid

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ouentai.accounts.models import Organization
from ouentai.events.choices import HOLDS_SEAT, RegistrationStatus
from ouentai.events.models import Attendance, Event, Registration, Session


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
