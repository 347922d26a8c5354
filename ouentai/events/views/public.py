"""Public event pages: the list and calendar feed, an event's page with its registration form, and a
person's own registration page (reached through the secret token in their link).

A surface only: the form parses, the services decide (capacity, waiting list, windows, duplicates,
who may cancel) and the selectors compute what is shown (seats, availability, attendance, certificate)."""

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
from django.utils.translation import get_language
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
from ouentai.events.choices import EventKind, RegistrationStatus
from ouentai.events.forms_public import EventRegistrationForm
from ouentai.events.models import Event, Registration

PAGE_SIZE = 20
FEED_PAST_DAYS = 90


@require_GET
def event_list(request: HttpRequest, org: str | None = None) -> HttpResponse:
    site_org = site_enter(request, org)
    past = request.GET.get("past") == "1"
    events = selectors.event_public_list(upcoming=not past, organization=site_org)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for event in page:
        event.availability = selectors.event_availability(event, now=now)  # type: ignore[attr-defined]
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


def _detail_page(
    request: HttpRequest, event: Event, form: EventRegistrationForm, *, status: int = 200
) -> HttpResponse:
    sessions = list(event.sessions.all())
    for session in sessions:
        session.venue_label = session.venue_name or event.venue_name  # type: ignore[attr-defined]
    site_use(request, event.organization)  # the page is in its organizer's name
    context: dict[str, Any] = {
        "event": event,
        "sessions": sessions,
        "presenters": list(event.presenters.all()),
        "co_hosts": list(event.co_hosts.all()),
        "form": form,
        "policy_version": form["policy_version"].value(),
        "availability": selectors.event_availability(event, now=timezone.now()),
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
    form = EventRegistrationForm(initial=initial, questions=selectors.registration_questions(event))
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
    questions = selectors.registration_questions(event)
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
    now = timezone.now()
    context = {
        "registration": registration,
        "event": registration.event,
        "overview": selectors.registration_overview(registration, now=now),
        "can_cancel": services.registration_can_cancel(registration, now=now),
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
