"""The console's pages after an event: the survey (questions, sending, results), mail to an audience,
the follow-up of attendees who are not members, the registrant export and the PDFs (the reception
desk's name list and the certificate of completion)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.errors import DomainError
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.forms import add_domain_error
from ouentai.core.http import pdf_response
from ouentai.events import reports, rules, selectors, services
from ouentai.events.choices import MailAudience, QuestionPurpose
from ouentai.events.forms_after import (
    EventMailForm,
    QuestionFormSet,
    question_initial,
    questions_from_formset,
)
from ouentai.events.models import Event, Registration

TEXT_ANSWERS_SHOWN = 10


class EventMixin(ConsoleMixin):
    """Loads the event from the URL, scoped to the user's organization (404 for any other)."""

    event: Event

    def get_event(self, pk: int) -> Event:
        event = selectors.event_console_find(organization=self.organization, pk=pk)
        if event is None:
            raise Http404
        self.event = event
        return self.event


# --- Survey ---------------------------------------------------------------------------------------


class SurveyView(EventMixin, View):
    """The survey's questions (edited like the registration questions) and sending it to the attendees
    not yet asked. Every console role sees it; staff and org admins change it."""

    def _render(
        self, request: HttpRequest, formset: Any, status: int = 200, save_error: str = ""
    ) -> HttpResponse:
        event = self.event
        now = timezone.now()
        pending = selectors.registration_list_audience(event, MailAudience.ATTENDEES, now=now).filter(
            survey_sent_at__isnull=True
        )
        context = {
            "event": event,
            "formset": formset,
            "pending": pending.count(),
            "event_over": rules.event_has_ended(event, now),
            "overview": reports.survey_overview(event),
            "question_count": reports.survey_questions(event).count(),
            "can_change": services.events_may_manage(self.user),
            "save_error": save_error,
        }
        return render(request, "events/console/after_survey.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        formset = QuestionFormSet(initial=question_initial(reports.survey_questions(event)), prefix="q")
        return self._render(request, formset)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        if not services.events_may_manage(self.user):
            raise PermissionDenied  # the question editor below has no service of its own to refuse
        if request.POST.get("action") == "send":
            try:
                count = services.survey_send(event=event, actor=self.user)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                if count:
                    messages.success(request, _("アンケートを%(n)s人に送信しました。") % {"n": count})
                else:
                    messages.success(request, _("新たに送信する相手はいませんでした。"))
            return redirect("events_console:survey", pk=event.pk)
        initial = question_initial(reports.survey_questions(event))
        formset = QuestionFormSet(request.POST, initial=initial, prefix="q")
        save_error = ""
        if formset.is_valid():
            try:
                services.event_questions_set(
                    event=event,
                    purpose=QuestionPurpose.SURVEY,
                    questions=questions_from_formset(formset),
                    actor=self.user,
                )
            except DomainError as error:
                save_error = str(error.message)
            else:
                messages.success(request, _("アンケートの質問を保存しました。"))
                return redirect("events_console:survey", pk=event.pk)
        return self._render(request, formset, status=400, save_error=save_error)


class SurveyResultsView(EventMixin, View):
    """Response rate, and each question's answers: bars with a table of the same numbers for choices
    and ratings, the list of answers for free text."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        show_all = request.GET.get("all", "")
        return render(
            request,
            "events/console/after_survey_results.html",
            {
                "event": event,
                "overview": reports.survey_overview(event),
                "results": reports.survey_results(event),
                "show_all": show_all,
                "text_limit": TEXT_ANSWERS_SHOWN,
            },
        )


# --- Mail to an audience --------------------------------------------------------------------------


def _mail_preview(event: Event, registration: Registration, subject: str, body: str) -> tuple[str, str]:
    """The subject and body the first recipient would get (the same template mail_queue renders)."""
    with translation.override(registration.language or "ja"):
        rendered = render_to_string(
            "events/mail/message.txt",
            {
                "site_name": settings.OUENTAI_SITE_NAME,
                "public_base_url": settings.OUENTAI_PUBLIC_BASE_URL,
                "registration": registration,
                "event": event,
                "subject": subject,
                "body": body,
            },
        ).strip()
    first, _sep, rest = rendered.partition("\n")
    return first.strip(), rest.strip()


class EventMailView(EventMixin, View):
    """Write a mail to one audience of the event, see it as its first recipient will, then send it.
    Staff and org admins only."""

    allowed_roles = INBOX_MANAGER_ROLES

    def _counts(self) -> dict[str, int]:
        return selectors.audience_counts(self.event, now=timezone.now())

    def _render(
        self, request: HttpRequest, form: EventMailForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {"event": self.event, "form": form, **extra}
        return render(request, "events/console/after_mail.html", context, status=status)

    def _not_yet(self) -> set[str]:
        return selectors.audiences_not_yet(self.event, now=timezone.now())

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.get_event(pk)
        not_yet = self._not_yet()
        initial = {"audience": MailAudience.CONFIRMED if not_yet else MailAudience.ATTENDEES}
        form = EventMailForm(counts=self._counts(), not_yet=not_yet, initial=initial)
        return self._render(request, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        counts = self._counts()
        form = EventMailForm(request.POST, counts=counts, not_yet=self._not_yet())
        if not form.is_valid():
            return self._render(request, form, status=400)
        d = form.cleaned_data
        if request.POST.get("action") == "send":
            try:
                count = services.event_mail_send(
                    event=event, audience=d["audience"], subject=d["subject"], body=d["body"], actor=self.user
                )
            except DomainError as error:
                add_domain_error(form, error)
                return self._render(request, form, status=400)
            messages.success(request, _("%(n)s人にメールを送信しました。") % {"n": count})
            return redirect("events_console:mail", pk=event.pk)
        if request.POST.get("action") == "edit":
            return self._render(request, form)
        recipients = selectors.registration_list_audience(event, d["audience"], now=timezone.now())
        sample = recipients.order_by("created_at", "pk").first()
        preview = _mail_preview(event, sample, d["subject"], d["body"]) if sample else None
        return self._render(
            request,
            form,
            step="preview",
            preview=preview,
            sample=sample,
            recipient_count=counts.get(d["audience"], 0),
            audience_label=dict(MailAudience.choices).get(d["audience"], ""),
        )


# --- Follow-up ------------------------------------------------------------------------------------


class FollowUpView(EventMixin, View):
    """Attendees whose company is not an active member, each with a one-click "make a member" button
    (staff and org admins)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        return render(
            request,
            "events/console/after_followup.html",
            {
                "event": event,
                "candidates": list(reports.followup_candidates(event)),
                "can_change": services.events_may_manage(self.user),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        registration = get_object_or_404(
            reports.followup_candidates(event), pk=request.POST.get("registration") or 0
        )
        try:
            registration = services.registration_make_member(registration=registration, actor=self.user)
        except DomainError as error:
            if error.code == services.FORBIDDEN:
                raise PermissionDenied from error
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("%(company)s を会員として登録し、%(name)s さんを担当者にしました。")
                % {"company": registration.company, "name": registration.name},
            )
        return redirect("events_console:followup", pk=event.pk)


# --- Export ---------------------------------------------------------------------------------------


class ExportView(EventMixin, View):
    """The event's registrants with their answers and attendance, as CSV (UTF-8 with BOM) or .xlsx,
    streamed. Staff and org admins only; every export is recorded in the audit log."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        event = self.get_event(pk)
        services.registrations_exported(
            event=event, rows=event.registrations.count(), file_format=fmt, actor=self.user
        )
        day = timezone.localtime(event.starts_at).date() if event.starts_at else timezone.localdate()
        return export_response(
            reports.registration_rows(event),
            file_format=fmt,
            filename_stem=f"event-{event.pk}-registrations-{day:%Y%m%d}",
            title=_("参加申込"),
        )


# --- PDFs -----------------------------------------------------------------------------------------


class NameListView(EventMixin, View):
    """The reception desk's name list: confirmed registrations by フリガナ, a box per session."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        content = reports.namelist_pdf(event)
        return pdf_response(content, f"event-{event.pk}-namelist.pdf")


class CertificateView(EventMixin, View):
    """One attendee's certificate of completion; 404 unless the certificate rule is met."""

    def get(self, request: HttpRequest, pk: int, reg_pk: int) -> HttpResponse:
        event = self.get_event(pk)
        registration = selectors.registration_console_get(event=event, pk=reg_pk)
        if registration is None:
            raise Http404
        data = reports.certificate_data(registration)
        if not data.eligible:
            raise Http404
        return pdf_response(reports.certificate_pdf(data), f"certificate-{data.number}.pdf")
