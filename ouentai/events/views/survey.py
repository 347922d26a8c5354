"""A person's own pages after the event, reached by the secret link in their mails: the survey and the
certificate of completion. Never indexed, never cached by shared caches."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.sites import site_use
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import private, render_private
from ouentai.core.ratelimit import client_address, form_rate, form_refuse_rate_limited
from ouentai.events import reports, rules, services
from ouentai.events.forms_after import SurveyForm
from ouentai.events.models import Registration
from ouentai.events.selectors import registration_by_token, registration_has_answered


def _registration(token: uuid.UUID) -> Registration:
    registration = registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def survey(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The event's survey for one attendee: GET shows it, POST stores the answers once (then the
    thank-you page). People who did not attend get a polite refusal (403)."""
    registration = _registration(token)
    event = registration.event
    site_use(request, event.organization)  # in the organizer's name
    context: dict[str, object] = {"registration": registration, "event": event}
    if registration_has_answered(registration):
        return render_private(request, "events/public/survey_thanks.html", context)
    if not registration.attendances.all():
        return render_private(request, "events/public/survey_refused.html", context, status=403)
    questions = list(reports.survey_questions(event))
    if not questions or not rules.event_has_ended(event, timezone.now()):
        # Nothing to answer yet: no questions, or the event is not over (the survey comes after it).
        context["not_over"] = bool(questions)
        return render_private(request, "events/public/survey_closed.html", context, status=404)
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST, questions=questions)
        if getattr(request, "limited", False):
            form_refuse_rate_limited(form)
            status = 429
        elif form.is_valid():
            try:
                services.survey_submit(registration=registration, answers=form.answers())
            except DomainError as error:
                if error.code == "survey.answered":
                    return redirect("events:survey", token=registration.token)
                if error.code == "survey.not_yet":
                    return redirect("events:survey", token=registration.token)
                if error.code == "survey.not_attendee":
                    return render_private(request, "events/public/survey_refused.html", context, status=403)
                add_domain_error(form, error)
                status = 400
            else:
                return redirect("events:survey", token=registration.token)
        else:
            status = 400
    else:
        form = SurveyForm(questions=questions)
    return render_private(request, "events/public/survey.html", {**context, "form": form}, status=status)


def certificate(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """The person's certificate of completion as a PDF, once the certificate rule is met; otherwise a
    page that says why (404)."""
    registration = _registration(token)
    site_use(request, registration.event.organization)
    data = reports.certificate_data(registration)
    if not data.eligible:
        context = {"registration": registration, "event": registration.event, "certificate": data}
        return render_private(
            request, "events/public/survey_certificate_unavailable.html", context, status=404
        )
    response = HttpResponse(reports.certificate_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{data.number}.pdf"'
    return private(response)
