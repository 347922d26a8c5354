"""A company's expert dispatches on its timeline: each request (with its scheme and status) and each
visit. Two queries, whatever the number of dispatches."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ouentai.community.models import Company
from ouentai.community.selectors import TimelineEvent
from ouentai.network.models import DispatchRequest, DispatchVisit


def company_dispatch_history(company: Company) -> list[TimelineEvent]:
    entries: list[TimelineEvent] = []
    requests = (
        DispatchRequest.objects.filter(company=company)
        .select_related("scheme", "expert")
        .prefetch_related(
            Prefetch("visits", queryset=DispatchVisit.objects.order_by("visited_on", "starts_at"))
        )
    )
    zone = timezone.get_current_timezone()
    for request in requests:
        url = reverse("network_console:dispatch", args=[request.pk])
        entries.append(
            TimelineEvent(
                request.created_at,
                "dispatch",
                _("専門家派遣「%(scheme)s」（%(theme)s）")
                % {"scheme": request.scheme.name, "theme": request.get_theme_display()},
                request.get_status_display(),
                url,
            )
        )
        entries += [
            TimelineEvent(
                dt.datetime.combine(visit.visited_on, visit.starts_at, tzinfo=zone),
                "dispatch_visit",
                _("専門家の訪問（%(expert)s）") % {"expert": request.expert.name if request.expert else ""},
                visit.summary,
                url,
            )
            for visit in request.visits.all()
        ]
    return entries
