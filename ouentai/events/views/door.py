"""At the door: the check-in desk (typed or scanned codes, walk-ins) and the attendance table that
corrects it afterwards. Every console role may use both (coordinators often staff the desk)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.events import rules, selectors, services
from ouentai.events.forms_console import CheckInForm, WalkInForm
from ouentai.events.models import Event, Registration, Session
from ouentai.events.views.console import EventConsoleMixin

RESULT_KEY = "events_checkin_result"
RECENT_CHECKINS = 10


def _who(registration: Registration) -> str:
    if registration.company_name:
        return _("%(name)s 様（%(company)s）") % {
            "name": registration.name,
            "company": registration.company_name,
        }
    return pgettext("person at the desk", "%(name)s 様") % {"name": registration.name}


class CheckInView(EventConsoleMixin, View):
    """The reception desk of one session: a code field (typed, or filled by the camera), the result of
    the last scan in a live region, the count so far, the last check-ins, and a walk-in form."""

    def sessions_of(self, event: Event) -> list[Session]:
        return list(event.sessions.all())

    def pick_session(self, sessions: list[Session], value: str | None) -> Session | None:
        if value:
            chosen = next((s for s in sessions if str(s.pk) == value), None)
            if chosen is None:
                raise Http404
            return chosen
        return selectors.session_for_desk(sessions, now=timezone.now())

    def render_page(
        self,
        event: Event,
        sessions: list[Session],
        session: Session | None,
        *,
        walkin_form: WalkInForm | None = None,
        result: dict[str, str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context: dict[str, Any] = {
            "event": event,
            "sessions": sessions,
            "session": session,
            "form": CheckInForm(),
            "walkin_form": walkin_form or WalkInForm(),
            "result": result,
            "confirmed": getattr(event, "confirmed_count", 0),
        }
        if session is not None:
            now = timezone.now()
            context["checked_in"], context["recent"] = selectors.attendance_recent(
                session, limit=RECENT_CHECKINS
            )
            context["desk"] = {
                "open": rules.desk_is_open(session, now),
                "not_yet": now < rules.doors_open_at(session),
                "opens_at": rules.doors_open_at(session),
                "closes_at": rules.desk_closes_at(session),
            }
        return render(self.request, "events/console/checkin.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        sessions = self.sessions_of(event)
        session = self.pick_session(sessions, request.GET.get("session"))
        result = request.session.pop(RESULT_KEY, None)
        return self.render_page(event, sessions, session, result=result)

    def done(self, event: Event, session: Session, result: dict[str, str]) -> HttpResponseBase:
        """Post/redirect/get: a reload never records twice, and the result survives the redirect."""
        self.request.session[RESULT_KEY] = result
        return redirect(f"{reverse('events_console:checkin', args=[event.pk])}?session={session.pk}")

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        sessions = self.sessions_of(event)
        session = self.pick_session(sessions, request.POST.get("session") or "-")
        assert session is not None
        action = request.POST.get("action")
        if action == "checkin":
            form = CheckInForm(request.POST)
            if not form.is_valid():
                return self.done(
                    event, session, {"kind": "error", "text": _("受付コードを入力してください。")}
                )
            try:
                registration, created = services.attendance_check_in(
                    session=session, code=form.cleaned_data["code"], actor=self.user
                )
            except DomainError as error:
                return self.done(event, session, {"kind": "error", "text": str(error.message)})
            if created:
                text = _("%(who)s 受付しました") % {"who": _who(registration)}
                return self.done(event, session, {"kind": "ok", "text": text})
            text = _("すでに受付済みです：%(who)s") % {"who": _who(registration)}
            return self.done(event, session, {"kind": "already", "text": text})
        if action == "walkin":
            walkin_form = WalkInForm(request.POST)
            if walkin_form.is_valid():
                try:
                    registration = services.attendance_walk_in(
                        session=session, data=walkin_form.to_data(), actor=self.user
                    )
                except DomainError as error:
                    add_domain_error(walkin_form, error)
                    beside_field = error.field in walkin_form.fields
                    result = None if beside_field else {"kind": "error", "text": str(error.message)}
                    event = self.get_event(pk)
                    return self.render_page(
                        event, sessions, session, walkin_form=walkin_form, result=result, status=400
                    )
                text = _("%(who)s 当日受付で登録し、受付しました") % {"who": _who(registration)}
                return self.done(event, session, {"kind": "ok", "text": text})
            return self.render_page(event, sessions, session, walkin_form=walkin_form, status=400)
        return self.render_page(event, sessions, session, status=400)


class AttendanceView(EventConsoleMixin, View):
    """Attendance table: confirmed registrations × sessions, one checkbox per cell, the count per person
    and whether they meet the certificate rule. Saving applies only the cells changed on this page, so a
    check-in made at the desk meanwhile is never undone."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        sessions = list(event.sessions.all())
        return render(
            request,
            "events/console/attendance.html",
            {
                "event": event,
                "sessions": sessions,
                "rows": selectors.attendance_table(event, sessions=sessions, now=timezone.now()),
                "required": rules.required_sessions(event.required_sessions, len(sessions)),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        event = self.get_event(pk)
        checked = set(request.POST.getlist("present"))
        shown = set(request.POST.getlist("was"))
        # Only the cells changed on this page: ticked now but not before, or the other way round.
        changes = {key: key in checked for key in checked ^ shown}
        changed, errors = services.attendance_table_save(event=event, changes=changes, actor=self.user)
        for message in errors:
            messages.error(request, message)
        if changed:
            messages.success(request, _("出席を%(n)d件更新しました。") % {"n": changed})
        elif not errors:
            messages.info(request, _("変更はありませんでした。"))
        return redirect("events_console:attendance", pk=event.pk)
