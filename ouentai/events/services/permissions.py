"""Who may change an event and its registrations: staff and org admins of the event's organization
manage (edit, publish, cancel for someone, mail, survey, follow-up); every console role may work the
door (check-in, walk-ins, attendance). The services check it, so that every entry point holds it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.core.errors import DomainError

# The code of every refusal below: surfaces answer it with 403.
FORBIDDEN = "events.forbidden"


def events_may_manage(user: User | None) -> bool:
    """Whether ``user`` manages events (staff and org admins)."""
    return user is not None and user.is_authenticated and user.manages_inbox


def require_manager(actor: User | None) -> None:
    """Refuse a staff action by someone who does not manage events."""
    if not events_may_manage(actor):
        raise DomainError(_("この操作は、事務局スタッフと組織管理者だけが行えます。"), code=FORBIDDEN)
