"""At the door: check-in by code, walk-ins, and the attendance table that corrects them.

The clock (ouentai.events.rules): the desk records attendance, by code or for a walk-in, only while it
is open for the session (from an hour before the start to an hour after the end). Outside it, staff
correct attendance in the table (audited as a correction), and only for a session whose doors have
opened: nobody is ever present at a session that has not begun."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.core.templatetags.ouentai import datetime_jp
from ouentai.events import rules
from ouentai.events.choices import AttendanceVia, RegistrationSource, RegistrationStatus
from ouentai.events.models import Attendance, Event, Registration, Session
from ouentai.events.services.registrations import RegistrationData, registration_create


def _normalize_code(code: str) -> str:
    """Codes are read from QR codes or typed: accept lower case, spaces, hyphens and full-width input."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())


def _require_desk_open(session: Session, now: dt.datetime) -> None:
    """The desk's window for ``session``: refuse before the doors open and after the desk closes."""
    if now < rules.doors_open_at(session):
        raise DomainError(
            _("この回の受付は%(when)sから始まります。") % {"when": datetime_jp(rules.doors_open_at(session))},
            code="checkin.not_open",
        )
    if now > rules.desk_closes_at(session):
        raise DomainError(
            _("この回の受付は終了しました。出席の記録を直すときは、出席表を使ってください。"),
            code="checkin.closed",
        )


def attendance_check_in(*, session: Session, code: str, actor: User | None) -> tuple[Registration, bool]:
    """Record that the holder of ``code`` is present at ``session``, while the desk is open for it.
    Only a confirmed registration of the same event can check in. Returns the registration and whether
    this is a new record (a second scan is harmless and says so)."""
    normalized = _normalize_code(code)
    if not normalized:
        raise DomainError(_("受付コードを入力してください。"), code="checkin.empty", field="code")
    now = timezone.now()
    _require_desk_open(session, now)
    registration = (
        Registration.objects.filter(event_id=session.event_id, code=normalized)
        .select_related("event")
        .first()
    )
    if registration is None:
        raise DomainError(
            _("受付コード %(code)s はこのイベントの申込に見つかりません。") % {"code": normalized},
            code="checkin.unknown",
            field="code",
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(
            _("%(name)s さんの申込は「%(status)s」のため受付できません。")
            % {"name": registration.name, "status": registration.get_status_display()},
            code="checkin.not_confirmed",
            field="code",
        )
    created = _record(registration, session, actor, now=now, via=AttendanceVia.DESK)
    return registration, created


def _record(
    registration: Registration, session: Session, actor: User | None, *, now: dt.datetime, via: str
) -> bool:
    """Write one attendance (once per person and session). ``via`` says how it came (desk, walk_in,
    table); a mark made after the desk closed is audited as a correction."""
    correction = now > rules.desk_closes_at(session)
    try:
        with transaction.atomic():
            _attendance, created = Attendance.objects.get_or_create(
                registration=registration,
                session=session,
                defaults={
                    "checked_in_at": now,
                    "checked_in_by": actor if actor is not None and actor.is_authenticated else None,
                },
            )
            if created:
                audit_record(
                    actor=actor,
                    action="events.attendance.corrected" if correction else "events.attendance.checked_in",
                    target=registration,
                    details={"session": session.pk, "via": str(via)},
                )
    except IntegrityError:
        # Two desks scanned the same code at once: the other one recorded it.
        return False
    return created


def attendance_walk_in(*, session: Session, data: RegistrationData, actor: User) -> Registration:
    """Register someone at the door and check them in at once, while the desk is open for ``session``.
    Seats still count: a full event refuses (raise the capacity first if the room allows)."""
    now = timezone.now()
    _require_desk_open(session, now)
    with transaction.atomic():
        registration = registration_create(
            event=session.event,
            data=data,
            actor=actor,
            source=RegistrationSource.WALK_IN,
            check_window=False,
            require_seat=True,
        )
        _record(registration, session, actor, now=now, via=AttendanceVia.WALK_IN)
    return registration


def attendance_set(*, registration: Registration, session: Session, present: bool, actor: User) -> None:
    """Correct the attendance of one person at one session by hand (the attendance table, the
    registration's page). Marking present needs a confirmed registration and a session whose doors have
    opened; after the desk closed, the mark is audited as a correction. Removing a mark is always
    possible (e.g. one recorded by mistake)."""
    if session.event_id != registration.event_id:
        raise DomainError(_("別のイベントの開催回です。"), code="attendance.scope")
    now = timezone.now()
    if present:
        if registration.status != RegistrationStatus.CONFIRMED:
            raise DomainError(_("参加確定の申込だけが出席にできます。"), code="checkin.not_confirmed")
        if not rules.attendance_may_be_marked(session, now):
            raise DomainError(
                _("「%(session)s」はまだ始まっていないため、出席にできません（受付は%(when)sから）。")
                % {"session": session, "when": datetime_jp(rules.doors_open_at(session))},
                code="attendance.not_started",
            )
        _record(registration, session, actor, now=now, via=AttendanceVia.TABLE)
        return
    with transaction.atomic():
        deleted, _rows = Attendance.objects.filter(registration=registration, session=session).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="events.attendance.removed",
                target=registration,
                details={"session": session.pk},
            )


def attendance_table_save(*, event: Event, changes: Mapping[str, bool], actor: User) -> tuple[int, list[str]]:
    """Apply the cells changed in the attendance table (``"<registration>-<session>"`` → present), one
    by one: a check-in made at the desk meanwhile is never undone, and one refused cell does not stop
    the others. Cells of other events or of registrations that are not confirmed are ignored. Returns
    the number of cells changed and the messages of the refusals."""
    keys: dict[tuple[int, int], bool] = {}
    for key, present in changes.items():
        left, _sep, right = key.partition("-")
        if left.isdigit() and right.isdigit():
            keys[(int(left), int(right))] = present
    if not keys:
        return 0, []
    sessions = {s.pk: s for s in event.sessions.filter(pk__in={s for _r, s in keys})}
    registrations = {
        r.pk: r
        for r in event.registrations.filter(status=RegistrationStatus.CONFIRMED, pk__in={r for r, _s in keys})
    }
    changed = 0
    errors: list[str] = []
    for (registration_id, session_id), present in sorted(keys.items()):
        registration, session = registrations.get(registration_id), sessions.get(session_id)
        if registration is None or session is None:
            continue
        registration.event = event
        try:
            attendance_set(registration=registration, session=session, present=present, actor=actor)
        except DomainError as error:
            errors.append(str(error.message))
        else:
            changed += 1
    return changed, list(dict.fromkeys(errors))
