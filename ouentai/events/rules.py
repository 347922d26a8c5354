"""The events' clock, as pure rules (no database; every rule takes ``now``): when the desk may record
attendance, when a session or the event is over, when a certificate is due, and what in a schedule is
impossible (refused) or merely unusual (saved once staff confirm it).

The services apply these at every entry point (desk, walk-in, attendance table, certificate, survey,
mail to attendees or no-shows); the selectors use the same functions to show the same facts."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ouentai.core.templatetags.ouentai import datetime_jp

# The desk opens this long before a session starts (people arrive early) and closes this long after it
# ends (late arrivals, the queue at the door). Outside that window only a correction in the attendance
# table can record attendance, and only for a session whose doors have opened.
DOORS_OPEN_BEFORE = dt.timedelta(minutes=60)
DESK_CLOSES_AFTER = dt.timedelta(minutes=60)

# Confirming every warning at once: for callers that record what already happened on purpose (the demo
# data, an import of past events), never for a person who has not seen the warnings.
CONFIRM_ALL = frozenset({"*"})


class Timed(Protocol):
    starts_at: dt.datetime
    ends_at: dt.datetime


class TimedEvent(Protocol):
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None


# --- Sessions and events --------------------------------------------------------------------------


def doors_open_at(session: Timed) -> dt.datetime:
    return session.starts_at - DOORS_OPEN_BEFORE


def desk_closes_at(session: Timed) -> dt.datetime:
    return session.ends_at + DESK_CLOSES_AFTER


def desk_is_open(session: Timed, now: dt.datetime) -> bool:
    """Whether the reception desk may check people in (or register walk-ins) for ``session`` now."""
    return doors_open_at(session) <= now <= desk_closes_at(session)


def attendance_may_be_marked(session: Timed, now: dt.datetime) -> bool:
    """Whether anyone may be marked present at ``session`` now: from the moment its doors open, and at
    any time afterwards (a correction)."""
    return now >= doors_open_at(session)


def session_has_ended(session: Timed, now: dt.datetime) -> bool:
    return session.ends_at <= now


def event_has_ended(event: TimedEvent, now: dt.datetime) -> bool:
    """Whether the last session of the event is over (an event without sessions has not happened)."""
    end = event.ends_at or event.starts_at
    return end is not None and end <= now


def any_session_ended(sessions: Iterable[Timed], now: dt.datetime) -> bool:
    return any(session_has_ended(session, now) for session in sessions)


# --- The certificate ------------------------------------------------------------------------------


def required_sessions(required_setting: int | None, session_count: int) -> int:
    """How many sessions a person must attend for the certificate: the event's setting, else all of
    them (never more than there are)."""
    if required_setting:
        return min(required_setting, session_count) if session_count else required_setting
    return session_count


def certificate_due(*, confirmed: bool, required: int, session_count: int, attended_ended: int) -> bool:
    """The certificate rule: a confirmed registration of an event with sessions that attended at least
    the required number of sessions, counting only sessions that are over (attendance at a session
    still running, or recorded by mistake ahead of time, never earns a certificate)."""
    return confirmed and session_count > 0 and attended_ended >= required


# --- The schedule of an event ---------------------------------------------------------------------


class SessionTimes(Protocol):
    pk: int | None
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class ScheduleNote:
    """One thing about a schedule: a refusal (impossible) or a warning (unusual). ``key`` names this
    very warning (its kind and what it is about), so that a confirmation given to one warning never
    covers another that appeared after the input changed."""

    code: str
    message: str | Promise
    key: str
    field: str | None = None


def _when(value: dt.datetime) -> str:
    return datetime_jp(value)


def _label(session: SessionTimes, number: int) -> str:
    return session.title or str(_("第%(n)s回") % {"n": number})


def schedule_notes(
    *,
    sessions: Sequence[SessionTimes],
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    previous: Mapping[int, Timed],
    attended: Collection[int],
    now: dt.datetime,
) -> tuple[list[ScheduleNote], list[ScheduleNote]]:
    """Check an event's schedule as staff are about to save it: ``sessions`` in the order typed,
    ``previous`` the stored times of existing sessions by pk, ``attended`` the pks of sessions with
    attendance recorded. Returns (refusals, warnings).

    Refused, because it cannot happen: a session that ends before it starts; two sessions at the same
    time; a session with attendance moved to a time whose doors have not opened yet; a registration
    window that closes before it opens, that leaves no time to register, or that closes after the last
    session is over. Warned, because it is unusual but sometimes meant (recording an event that took
    place): a new or moved session that starts in the past; sessions typed out of date order;
    registration that stays open after the first session has started."""
    errors: list[ScheduleNote] = []
    warnings: list[ScheduleNote] = []
    for number, session in enumerate(sessions, start=1):
        if session.ends_at <= session.starts_at:
            errors.append(
                ScheduleNote(
                    "event.session_times",
                    _("%(session)s：終了は開始より後にしてください。") % {"session": _label(session, number)},
                    f"event.session_times:{number}",
                )
            )
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_at < earlier.ends_at:
            errors.append(
                ScheduleNote(
                    "event.session_overlap",
                    _("開催回の時間が重なっています（%(a)s と %(b)s）。")
                    % {"a": _when(earlier.starts_at), "b": _when(later.starts_at)},
                    f"event.session_overlap:{later.starts_at.isoformat()}",
                )
            )
    for number, session in enumerate(sessions, start=1):
        before = previous.get(session.pk) if session.pk is not None else None
        moved = before is None or (before.starts_at, before.ends_at) != (session.starts_at, session.ends_at)
        if not moved:
            continue
        if session.pk in attended and not attendance_may_be_marked(session, now):
            errors.append(
                ScheduleNote(
                    "event.session_attended_future",
                    _(
                        "%(session)s には出席が記録されているため、まだ来ていない日時（%(when)s）には変えられません。"
                    )
                    % {"session": _label(session, number), "when": _when(session.starts_at)},
                    f"event.session_attended_future:{session.pk}",
                )
            )
        elif session.starts_at < now:
            warnings.append(
                ScheduleNote(
                    "event.session_past",
                    _("%(session)s は過去の日時（%(when)s）です。")
                    % {"session": _label(session, number), "when": _when(session.starts_at)},
                    f"event.session_past:{number}:{session.starts_at.isoformat()}",
                )
            )
    if [s.starts_at for s in sessions] != [s.starts_at for s in ordered]:
        warnings.append(
            ScheduleNote(
                "event.sessions_order",
                _("開催回が日時の順に並んでいません。保存すると日時の順に表示します。"),
                "event.sessions_order:" + ",".join(s.starts_at.isoformat() for s in sessions),
            )
        )
    if opens_at and closes_at and closes_at <= opens_at:
        errors.append(
            ScheduleNote(
                "event.window",
                _("申込の締切は受付開始より後にしてください。"),
                "event.window",
                field="registration_closes_at",
            )
        )
    if ordered:
        first_start = ordered[0].starts_at
        last_end = max(s.ends_at for s in ordered)
        if closes_at is None and opens_at is not None and opens_at >= first_start:
            errors.append(
                ScheduleNote(
                    "event.window_empty",
                    _(
                        "申込受付の開始が最初の回の開始（%(when)s）より後のため、申込を受け付ける期間がありません。締切も入力してください。"
                    )
                    % {"when": _when(first_start)},
                    "event.window_empty",
                    field="registration_opens_at",
                )
            )
        if closes_at is not None and closes_at > last_end:
            errors.append(
                ScheduleNote(
                    "event.window_after_end",
                    _("申込の締切は、最後の回が終わる（%(when)s）より前にしてください。")
                    % {"when": _when(last_end)},
                    "event.window_after_end",
                    field="registration_closes_at",
                )
            )
        elif closes_at is not None and closes_at > first_start:
            warnings.append(
                ScheduleNote(
                    "event.window_late",
                    _("申込の締切が最初の回の開始（%(when)s）より後です。開催中も申込を受け付けます。")
                    % {"when": _when(first_start)},
                    f"event.window_late:{closes_at.isoformat()}:{first_start.isoformat()}",
                    field="registration_closes_at",
                )
            )
    return errors, warnings


def unconfirmed(warnings: Iterable[ScheduleNote], confirmed: Collection[str]) -> list[ScheduleNote]:
    """The warnings not covered by ``confirmed`` (their keys, or CONFIRM_ALL)."""
    if "*" in confirmed:
        return []
    return [w for w in warnings if w.key not in confirmed]
