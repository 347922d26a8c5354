"""Template filters for Japanese dates, phone numbers and postal codes."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from ouentai.core.audit import action_label
from ouentai.core.calendar import wareki_date, wareki_fiscal_year
from ouentai.core.jp import format_phone, format_postal_code

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
def fiscal_year_label(year: int) -> str:
    return f"{year}年度（{wareki_fiscal_year(year)}）"


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def postal(value: str) -> str:
    return format_postal_code(value)


@register.filter
def audit_label(action: str) -> str:
    return action_label(action)
