"""Moving the clock in tests: services and models read the time through ``django.utils.timezone.now``
(and ``core.calendar.local_today``, which calls it), so patching it runs a step as if on another day.
Used to approve a request some days ago and log its visits afterwards, as happens in real life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from ouentai.core.calendar import fiscal_year, fiscal_year_bounds


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@contextmanager
def clock_at(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Run the block as if it were ``moment`` (a date means noon of that day, local time)."""
    when = noon(moment) if not isinstance(moment, dt.datetime) else moment
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def days_ago_this_year(days: int) -> dt.date:
    """``days`` before today, but not before this 年度 began (a request's visits stay in one 年度)."""
    today = timezone.localdate()
    return max(today - dt.timedelta(days=days), fiscal_year_bounds(fiscal_year(today))[0])
