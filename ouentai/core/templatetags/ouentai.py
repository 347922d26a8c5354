"""Template filters for Japanese dates, phone numbers, postal codes and numbers (ouentai.core.numbers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format

from ouentai.core.audit import AuditRow, action_label
from ouentai.core.audit import audit_details as _audit_details
from ouentai.core.audit import audit_rows as _audit_rows
from ouentai.core.calendar import fiscal_year_text, wareki_date, wareki_year
from ouentai.core.jp import format_phone, format_postal_code
from ouentai.core.models import AuditEntry
from ouentai.core.numbers import number_text
from ouentai.core.numbers import yen as _yen

register = template.Library()


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value: dt.date | dt.datetime | None) -> str:
    """令和8年11月27日."""
    return wareki_date(_as_date(value)) if value else ""


@register.filter
def date_jp(value: dt.date | dt.datetime | None) -> str:
    """A date as Japanese documents write it, 西暦 with 和暦: 2026年（令和8年）11月25日. In other
    languages, the locale's own date format."""
    if not value:
        return ""
    day = _as_date(value)
    if not (translation.get_language() or "ja").startswith("ja"):
        return date_format(day, "DATE_FORMAT")
    return f"{day.year}年（{wareki_year(day)}）{day.month}月{day.day}日"


_WEEKDAYS_JA = "月火水木金土日"


@register.filter
def datetime_jp(value: dt.datetime | None) -> str:
    """A date and time for event pages and mails: 2026年（令和8年）12月10日（木）14:00. In other languages,
    the locale's own format with the weekday."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if not (translation.get_language() or "ja").startswith("ja"):
        return date_format(local, "D, N j, Y, H:i")
    return f"{date_jp(local)}（{_WEEKDAYS_JA[local.weekday()]}）{local:%H:%M}"


@register.filter
def fiscal_year_label(year: int) -> str:
    return fiscal_year_text(year)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def postal(value: str) -> str:
    return format_postal_code(value)


@register.filter
def audit_label(action: str) -> str:
    return action_label(action)


@register.filter
def audit_details(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (label, value) pairs in words (see ouentai.core.audit.audit_details)."""
    return _audit_details(entry)


@register.filter
def number(value: object) -> str:
    """1,200 / 12.5 / 0: the one rule for numbers on pages."""
    return number_text(value)  # type: ignore[arg-type]


@register.filter
def yen(value: object) -> str:
    """1,000,000円, or nothing for no amount."""
    return _yen(value)  # type: ignore[arg-type]


@register.simple_tag
def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """A page's audit entries in words, the records they mention looked up once for the whole page:
    ``{% audit_rows audit_entries as rows %}``."""
    return _audit_rows(entries)
