"""Console event pages: the list, the event form (with its sessions, presenters and registration
questions in one page), the event page with its registrations, publishing, and one registration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.formsets import focus_new_row, kept_forms, with_added_row, without_errors
from ouentai.core.http import query_without
from ouentai.core.rating import rating_text
from ouentai.events import selectors, services
from ouentai.events.choices import QuestionKind, QuestionPurpose
from ouentai.events.forms_console import (
    CancelForm,
    EventFilterForm,
    EventForm,
    PresenterForm,
    PresenterFormSet,
    QuestionForm,
    QuestionFormSet,
    RegistrationFilterForm,
    SessionForm,
    SessionFormSet,
)
from ouentai.events.models import Event, Registration

EVENTS_PER_PAGE = 30
REGISTRATIONS_PER_PAGE = 50


class EventConsoleMixin(ConsoleMixin):
    """Finds the event of the URL among the organization's events (404 otherwise)."""

    def get_event(self, pk: int) -> Event:
        event = selectors.event_console_get(organization=self.organization, pk=pk)
        if event is None:
            raise Http404
        return event


class EventListView(ConsoleMixin, View):
    """The organization's events, newest first, with seats taken and the waiting list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EventFilterForm(request.GET or None)
        events = selectors.event_console_list(
            organization=self.organization, search=form.value("q"), when=form.value("when")
        )
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "events/console/event_list.html",
            {
                "filter_form": form,
                "page": page,
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
            },
        )


# The formsets of the event form: prefix → (formset class, the button that adds a row).
FORMSETS: dict[str, tuple[type[forms.BaseFormSet[Any]], str]] = {
    "sessions": (SessionFormSet, "add_session"),
    "presenters": (PresenterFormSet, "add_presenter"),
    "questions": (QuestionFormSet, "add_question"),
}


def _section_of(error: DomainError) -> str | None:
    """Which formset a service's refusal belongs to (None: the event's own fields)."""
    if error.code.startswith("event.session") or error.code == "event.no_sessions":
        return "sessions"
    if error.code.startswith("event.presenter"):
        return "presenters"
    if error.code.startswith("event.question"):
        return "questions"
    return None


class EventFormView(EventConsoleMixin, View):
    """Create an event (no pk) or change one: its own fields, sessions, presenters and registration
    questions on one page, saved together (a refusal anywhere saves nothing). Staff and org admins."""

    allowed_roles = INBOX_MANAGER_ROLES

    def company_choices(self) -> list[tuple[Any, str]]:
        return list(selectors.presenter_company_choices(organization=self.organization))

    def build(
        self, data: QueryDict | None, event: Event | None
    ) -> tuple[EventForm, dict[str, forms.BaseFormSet[Any]]]:
        company_choices = self.company_choices()
        kwargs: dict[str, dict[str, Any]] = {
            "sessions": {},
            "presenters": {"form_kwargs": {"company_choices": company_choices}},
            "questions": {},
        }
        if data is None and event is not None:
            form = EventForm(initial=EventForm.initial_from(event), organization=self.organization)
            kwargs["sessions"]["initial"] = [SessionForm.initial_from(s) for s in event.sessions.all()]
            kwargs["presenters"]["initial"] = [PresenterForm.initial_from(p) for p in event.presenters.all()]
            kwargs["questions"]["initial"] = [
                QuestionForm.initial_from(q)
                for q in event.questions.all()
                if q.purpose == QuestionPurpose.REGISTRATION
            ]
        else:
            form = EventForm(data, organization=self.organization)
        formsets = {
            prefix: formset_class(data, prefix=prefix, **kwargs[prefix])
            for prefix, (formset_class, _button) in FORMSETS.items()
        }
        return form, formsets

    def render_form(
        self,
        event: Event | None,
        form: EventForm,
        formsets: dict[str, forms.BaseFormSet[Any]],
        section_errors: dict[str, str] | None = None,
        status: int = 200,
        warnings: list[Any] | None = None,
    ) -> HttpResponse:
        return render(
            self.request,
            "events/console/event_form.html",
            {
                "event": event,
                "form": form,
                "sessions": formsets["sessions"],
                "presenters": formsets["presenters"],
                "questions": formsets["questions"],
                "section_errors": section_errors or {},
                "warnings": warnings or [],
            },
            status=status,
        )

    def get_optional_event(self, pk: int | None) -> Event | None:
        return None if pk is None else self.get_event(pk)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        event = self.get_optional_event(pk)
        form, formsets = self.build(None, event)
        return self.render_form(event, form, formsets)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        event = self.get_optional_event(pk)
        data: QueryDict = request.POST
        for prefix, (_formset_class, button) in FORMSETS.items():
            if button in data:
                # "Add a row" without JavaScript: the same page again, as typed, with one more empty row.
                form, formsets = self.build(with_added_row(request.POST, prefix), event)
                without_errors(form)
                for formset in formsets.values():
                    without_errors(formset)
                focus_new_row(formsets[prefix])
                return self.render_form(event, form, formsets)
        form, formsets = self.build(data, event)
        valid = form.is_valid()
        valid = all([formset.is_valid() for formset in formsets.values()]) and valid
        if not valid:
            return self.render_form(event, form, formsets, status=400)
        # Warnings shown on the previous page count as confirmed only when staff pressed "save anyway".
        confirmed = data.getlist("confirmed") if "save_anyway" in data else []
        try:
            saved = services.event_save(
                organization=self.organization,
                event=event,
                data=form.to_data(),
                sessions=[row.to_data() for row in kept_forms(formsets["sessions"])],
                presenters=[
                    row.to_data(order=index) for index, row in enumerate(kept_forms(formsets["presenters"]))
                ],
                questions=[
                    row.to_data(index=index) for index, row in enumerate(kept_forms(formsets["questions"]))
                ],
                actor=self.user,
                confirmed=confirmed,
            )
        except services.ScheduleWarnings as warning:
            return self.render_form(event, form, formsets, warnings=warning.warnings)
        except DomainError as error:
            section = _section_of(error)
            if section is not None:
                return self.render_form(
                    event, form, formsets, section_errors={section: str(error.message)}, status=400
                )
            add_domain_error(form, error)
            return self.render_form(event, form, formsets, status=400)
        messages.success(request, _("イベント「%(title)s」を保存しました。") % {"title": saved.title})
        return redirect("events_console:detail", pk=saved.pk)


class EventDetailView(EventConsoleMixin, View):
    """An event: its overview and seats, links to the door and the after-event pages, and its
    registrations (filters, pages of 50)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        form = RegistrationFilterForm(request.GET or None)
        registrations = selectors.registration_list(
            event=event, status=form.value("status"), search=form.value("q"), attended=form.value("attended")
        )
        page = Paginator(registrations, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "events/console/event_detail.html",
            {
                "event": event,
                "sessions": event.sessions.all(),
                "presenters": event.presenters.all(),
                "co_hosts": event.co_hosts.all(),
                "counts": selectors.event_seat_summary(event),
                "availability": selectors.event_availability(event, now=timezone.now()),
                "filter_form": form,
                "page": page,
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
                "audit_entries": audit_entries_for(event)[:30],
            },
        )


class EventPublishView(EventConsoleMixin, View):
    """Publish an event or withdraw it (POST ``published`` = 1 or 0). Staff and org admins."""

    allowed_roles = INBOX_MANAGER_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        published = request.POST.get("published") == "1"
        try:
            services.event_set_published(event=event, published=published, actor=self.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("イベントを公開しました。") if published else _("イベントを非公開にしました。"),
            )
        return redirect("events_console:detail", pk=event.pk)


def _answer_text(value: Any, kind: str = "") -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if kind == QuestionKind.RATING:
        return rating_text(value) or str(value)  # the one scale's words (ouentai.core.rating)
    return str(value)


class RegistrationDetailView(EventConsoleMixin, View):
    """One registration: the person, their answers, status and code, attendance per session, the mails
    sent about it and its history. POST ``action=cancel`` (staff and org admins) or
    ``action=attendance`` (any console role: a correction made at the door)."""

    def get_registration(self, event: Event, reg_pk: int) -> Registration:
        registration = selectors.registration_console_get(event=event, pk=reg_pk)
        if registration is None:
            raise Http404
        return registration

    def render_page(
        self,
        event: Event,
        registration: Registration,
        cancel_form: CancelForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        now = timezone.now()
        detail = selectors.registration_detail(registration, event=event, now=now)
        return render(
            self.request,
            "events/console/registration_detail.html",
            {
                "event": event,
                "registration": registration,
                "answers": [(label, _answer_text(value, kind)) for label, value, kind in detail.answers],
                "session_rows": detail.session_rows,
                "attended": detail.attended,
                "mails": detail.mails,
                "can_cancel": services.registration_can_cancel(registration, now=now),
                "audit_entries": audit_entries_for(registration),
                "cancel_form": cancel_form or CancelForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int, reg_pk: int) -> HttpResponse:
        event = self.get_event(pk)
        return self.render_page(event, self.get_registration(event, reg_pk))

    def post(self, request: HttpRequest, pk: int, reg_pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        registration = self.get_registration(event, reg_pk)
        action = request.POST.get("action")
        if action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                return self.render_page(event, registration, form, status=400)
            try:
                services.registration_cancel(
                    registration=registration, actor=self.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                if error.code == services.FORBIDDEN:
                    raise PermissionDenied from error
                form.add_error(None, str(error.message))
                return self.render_page(event, registration, form, status=400)
            messages.success(
                request, _("%(name)s さんの申込を取り消しました。") % {"name": registration.name}
            )
        elif action == "attendance":
            session = next(
                (s for s in event.sessions.all() if str(s.pk) == request.POST.get("session")), None
            )
            if session is None:
                raise Http404
            present = request.POST.get("present") == "1"
            try:
                services.attendance_set(
                    registration=registration, session=session, present=present, actor=self.user
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("「%(session)s」を出席にしました。") % {"session": session}
                    if present
                    else _("「%(session)s」の出席記録を削除しました。") % {"session": session},
                )
        else:
            return self.render_page(event, registration, status=400)
        return redirect("events_console:registration", pk=event.pk, reg_pk=registration.pk)
