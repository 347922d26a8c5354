"""A company's event history for its timeline: each registration (with who registered and how it
stands) and each session attended. Two queries, whatever the number of events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.community.models import Company
from ouentai.community.selectors import TimelineEvent
from ouentai.events.selectors import registrations_for_company


def company_event_history(company: Company) -> list[TimelineEvent]:
    entries: list[TimelineEvent] = []
    for registration in registrations_for_company(
        organization_id=company.organization_id, company_id=company.pk
    ):
        url = reverse("events_console:registration", args=[registration.event_id, registration.pk])
        entries.append(
            TimelineEvent(
                registration.created_at,
                "event_registration",
                _("%(name)s さんが「%(event)s」に申込")
                % {"name": registration.name, "event": registration.event.title},
                registration.get_status_display(),
                url,
            )
        )
        entries += [
            TimelineEvent(
                attendance.checked_in_at,
                "event_attendance",
                _("%(name)s さんが「%(event)s」に出席")
                % {"name": registration.name, "event": registration.event.title},
                str(attendance.session),
                url,
            )
            for attendance in registration.attendances.all()
        ]
    return entries
