"""Public event pages: the list and calendar feed, an event's page with its registration form, and a
person's own registration page (reached through the secret token in their link).

A surface only: the form parses, the services decide (capacity, waiting list, windows, duplicates)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.sites import site_enter, site_use
from ouentai.content.forms import consent_ask_again
from ouentai.content.selectors import privacy_policy_current
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import private
from ouentai.core.ratelimit import client_address, form_rate, form_refuse_rate_limited
from ouentai.events import documents, selectors, services
from ouentai.events.choices import EventKind, QuestionPurpose, RegistrationStatus
from ouentai.events.forms_public import EventRegistrationForm
from ouentai.events.models import Event, Question, Registration

PAGE_SIZE = 20
FEED_PAST_DAYS = 90


def _availability(event: Event, now: dt.datetime) -> tuple[str, str]:
    """Where registration stands, as a short key (for styling) and a Japanese label: seats left, full
    (the waiting list takes new people), not yet open, closed, or over. Uses the ``seats_held`` and
    ``waiting_count`` annotations of the public selectors."""
    if event.is_past:
        return "over", _("終了しました")
    if event.registration_opens_at and now < event.registration_opens_at:
        return "soon", _("受付開始前")
    closes = event.effective_closes_at
    if closes and now >= closes:
        return "closed", _("受付終了")
    held = getattr(event, "seats_held", 0)
    waiting = getattr(event, "waiting_count", 0)
    left = 0 if waiting else max(event.capacity - held, 0)
    if left:
        return "open", ngettext("残り%(n)d席", "残り%(n)d席", left) % {"n": left}
    return "full", _("満席（キャンセル待ちを受付中）")


@require_GET
def event_list(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_org = site_enter(request, org)
    past = request.GET.get("past") == "1"
    events = selectors.event_public_list(upcoming=not past, organization=site_org)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for event in page:
        event.availability = _availability(event, now)  # type: ignore[attr-defined]
    context = {"page": page, "past": past, "query": "past=1" if past else ""}
    return render(request, "events/public/list.html", context)


@require_GET
def feed(request: HttpRequest, org: str | None = None) -> HttpResponse:
    """Every published event (of one organization on its own pages) that is upcoming or ended in the last
    90 days, as one calendar (no online URLs: those are for confirmed registrants)."""
    site_org = site_enter(request, org)
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    upcoming = list(
        selectors.event_public_list(upcoming=True, organization=site_org).prefetch_related("sessions")
    )
    recent = list(
        selectors.event_public_list(upcoming=False, organization=site_org)
        .filter(ends_at__gte=since)
        .prefetch_related("sessions")
    )
    site = site_org.name if site_org is not None else settings.OUENTAI_SITE_NAME
    name = _("%(site)s のイベント") % {"site": site}
    body = documents.events_feed_ics([*upcoming, *recent], name=name)
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="events.ics"'},
    )


def _registration_questions(event: Event) -> list[Question]:
    return [q for q in event.questions.all() if q.purpose == QuestionPurpose.REGISTRATION]


def _detail_page(
    request: HttpRequest, event: Event, form: EventRegistrationForm, *, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    presenters = list(event.presenters.all())
    sessions = list(event.sessions.all())
    for session in sessions:
        session.venue_label = session.venue_name or event.venue_name  # type: ignore[attr-defined]
    held = getattr(event, "seats_held", 0)
    waiting = getattr(event, "waiting_count", 0)
    site_use(request, event.organization)  # the page is in its organizer's name
    context: dict[str, Any] = {
        "event": event,
        "sessions": sessions,
        "presenters": presenters,
        "co_hosts": list(event.co_hosts.all()),
        "form": form,
        "policy_version": form["policy_version"].value(),
        "availability": _availability(event, now),
        "registration_open": event.registration_is_open(now),
        "not_yet_open": bool(event.registration_opens_at and now < event.registration_opens_at),
        "seats_left": 0 if waiting else max(event.capacity - held, 0),
        "is_cases": event.kind == EventKind.CASES,
    }
    return render(request, "events/public/detail.html", context, status=status)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_public_get(pk)
    if event is None:
        raise Http404
    policy = privacy_policy_current(organization=event.organization)
    initial = EventRegistrationForm.initial_for(policy.version if policy else "")
    user = request.user
    if user.is_authenticated:
        initial.update(name=getattr(user, "name", ""), email=getattr(user, "email", ""))
    form = EventRegistrationForm(initial=initial, questions=_registration_questions(event))
    return _detail_page(request, event, form)


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """POST the registration form. Kept lean, since it is the path that takes the rush when a popular
    event opens: three reads, the service, a redirect; no session and nothing rendered on success."""
    if request.method != "POST":
        return redirect("events:detail", pk=pk)
    # The lean read for the write path; the full page (sessions, presenters…) is loaded only to show an
    # error.
    event = selectors.event_public_for_registration(pk)
    if event is None:
        raise Http404
    questions = list(event.questions.filter(purpose=QuestionPurpose.REGISTRATION))
    form = EventRegistrationForm(request.POST, questions=questions)
    if form.is_bot:
        return redirect("events:list")
    policy = privacy_policy_current(organization=event.organization)
    if getattr(request, "limited", False):
        form_refuse_rate_limited(form)
        status = 429
    elif form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                data=form.to_data(),
                policy=policy,
                policy_version=form.cleaned_data["policy_version"],
                consent=form.cleaned_data["consent"],
                language=get_language() or "ja",
                questions=questions,
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = 400
        else:
            return redirect("events:registration", token=registration.token)
    else:
        status = 400
    consent_ask_again(form, policy)
    full = selectors.event_public_get(pk)
    if full is None:
        raise Http404
    return _detail_page(request, full, form, status=status)


def _registration_or_404(token: uuid.UUID, request: HttpRequest | None = None) -> Registration:
    """The registration of a secret link; its pages are in the name of the event's organization."""
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    if request is not None:
        site_use(request, registration.event.organization)
    return registration


@require_GET
def registration(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    registration = _registration_or_404(token, request)
    event = registration.event
    sessions = list(event.sessions.all())
    attended_ids = {a.session_id for a in registration.attendances.all()}
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    rows = [
        {
            "session": session,
            "venue": session.venue_name or event.venue_name,
            "online_url": session.online_url if confirmed else "",
            "is_online": bool(session.online_url),
            "attended": session.pk in attended_ids,
        }
        for session in sessions
    ]
    attended = sum(1 for row in rows if row["attended"])
    context = {
        "registration": registration,
        "event": event,
        "rows": rows,
        "confirmed": confirmed,
        "attended": attended,
        "show_attendance": confirmed and (attended or any(s.starts_at <= timezone.now() for s in sessions)),
        "queue_position": (
            selectors.registration_queue_position(registration)
            if registration.status == RegistrationStatus.WAITLISTED
            else None
        ),
        "can_cancel": registration.is_active and not event.is_past,
        "certificate": services.certificate_eligible(
            registration, attended=attended, session_count=len(sessions)
        ),
        "survey": confirmed and bool(registration.survey_sent_at),
    }
    return private(render(request, "events/public/registration.html", context))


@require_POST
def cancel(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    registration = _registration_or_404(token)
    try:
        services.registration_cancel(registration=registration, actor=None)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("申込を取り消しました。取消のお知らせをメールでお送りします。"))
    return redirect("events:registration", token=registration.token)


@require_POST
def accept(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    registration = _registration_or_404(token)
    try:
        services.registration_accept_offer(registration=registration)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("参加が確定しました。参加証（QRコード）をメールでもお送りします。"))
    return redirect("events:registration", token=registration.token)


@require_GET
def qr(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    registration = _registration_or_404(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    return private(HttpResponse(documents.checkin_qr_svg(registration), content_type="image/svg+xml"))


@require_GET
def ics(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    body = documents.event_ics(event, online_urls=registration.status == RegistrationStatus.CONFIRMED)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return private(response)
