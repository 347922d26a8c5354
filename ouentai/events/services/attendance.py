"""At the door: check-in by code, walk-ins, corrections, and the certificate rule."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.events.choices import RegistrationSource, RegistrationStatus
from ouentai.events.models import Attendance, Event, Registration, Session
from ouentai.events.services.registrations import RegistrationData, registration_create


def _normalize_code(code: str) -> str:
    """Codes are read from QR codes or typed: accept lower case, spaces, hyphens and full-width input."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())


def attendance_check_in(*, session: Session, code: str, actor: User | None) -> tuple[Registration, bool]:
    """Record that the holder of ``code`` is present at ``session``. Only a confirmed registration of
    the same event can check in. Returns the registration and whether this is a new record (a second scan
    is harmless and says so)."""
    normalized = _normalize_code(code)
    if not normalized:
        raise DomainError(_("受付コードを入力してください。"), code="checkin.empty", field="code")
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
    created = _record(registration, session, actor)
    return registration, created


def _record(registration: Registration, session: Session, actor: User | None) -> bool:
    try:
        with transaction.atomic():
            _attendance, created = Attendance.objects.get_or_create(
                registration=registration,
                session=session,
                defaults={"checked_in_by": actor if actor is not None and actor.is_authenticated else None},
            )
            if created:
                audit_record(
                    actor=actor,
                    action="events.attendance.checked_in",
                    target=registration,
                    details={"session": session.pk},
                )
    except IntegrityError:
        # Two desks scanned the same code at once: the other one recorded it.
        return False
    return created


def attendance_walk_in(*, session: Session, data: RegistrationData, actor: User) -> Registration:
    """Register someone at the door and check them in at once. Seats still count: a full event refuses
    (raise the capacity first if the room allows)."""
    registration = registration_create(
        event=session.event,
        data=data,
        actor=actor,
        source=RegistrationSource.WALK_IN,
        check_window=False,
        require_seat=True,
    )
    _record(registration, session, actor)
    return registration


def attendance_set(*, registration: Registration, session: Session, present: bool, actor: User) -> None:
    """Correct the attendance of one person at one session by hand (the attendance table)."""
    if session.event_id != registration.event_id:
        raise DomainError(_("別のイベントの開催回です。"), code="attendance.scope")
    if present:
        if registration.status != RegistrationStatus.CONFIRMED:
            raise DomainError(_("参加確定の申込だけが出席にできます。"), code="checkin.not_confirmed")
        _record(registration, session, actor)
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


def required_sessions(event: Event, session_count: int) -> int:
    """How many sessions a person must attend for the certificate: the event's setting, else all of
    them (never more than there are)."""
    if event.required_sessions:
        return min(event.required_sessions, session_count) if session_count else event.required_sessions
    return session_count


def certificate_eligible(registration: Registration, *, attended: int, session_count: int) -> bool:
    """The certificate rule: a confirmed registration that attended at least the required number of
    sessions of an event that has sessions."""
    if session_count == 0 or registration.status != RegistrationStatus.CONFIRMED:
        return False
    return attended >= required_sessions(registration.event, session_count)
