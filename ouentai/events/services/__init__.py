"""Writes of the events app (see each module). Views, tasks and commands import from here."""

from ouentai.events.rules import CONFIRM_ALL
from ouentai.events.services.after import (
    event_mail_send,
    registration_make_member,
    registrations_exported,
    reminders_send,
    survey_send,
    survey_submit,
)
from ouentai.events.services.attendance import (
    attendance_check_in,
    attendance_set,
    attendance_table_save,
    attendance_walk_in,
)
from ouentai.events.services.events import (
    EventData,
    PresenterData,
    QuestionData,
    ScheduleWarnings,
    SessionData,
    event_create,
    event_presenters_set,
    event_questions_set,
    event_save,
    event_sessions_set,
    event_set_published,
    event_update,
)
from ouentai.events.services.permissions import FORBIDDEN, events_may_manage
from ouentai.events.services.registrations import (
    RegistrationData,
    offers_expire,
    registration_accept_offer,
    registration_can_cancel,
    registration_cancel,
    registration_create,
    registration_link,
)

__all__ = [
    "CONFIRM_ALL",
    "FORBIDDEN",
    "EventData",
    "PresenterData",
    "QuestionData",
    "RegistrationData",
    "ScheduleWarnings",
    "SessionData",
    "attendance_check_in",
    "attendance_set",
    "attendance_table_save",
    "attendance_walk_in",
    "event_create",
    "event_mail_send",
    "event_presenters_set",
    "event_questions_set",
    "event_save",
    "event_sessions_set",
    "event_set_published",
    "event_update",
    "events_may_manage",
    "offers_expire",
    "registration_accept_offer",
    "registration_can_cancel",
    "registration_cancel",
    "registration_create",
    "registration_link",
    "registration_make_member",
    "registrations_exported",
    "reminders_send",
    "survey_send",
    "survey_submit",
]
