"""The plan document (計画書) as a PDF, typeset for Japanese: A4, Mincho (Noto Serif CJK JP) for the
text and Gothic (Noto Sans CJK JP) for headings, the organization's name on every page and page numbers
"n / N". Rendered by WeasyPrint through ouentai.core.pdf.render_pdf. Also the rows the console
and the member area show for a saved version (sections and KPI snapshot)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ouentai.core.numbers import number_text
from ouentai.core.pdf import render_pdf
from ouentai.engagements.choices import PLAN_SECTIONS, KpiDirection
from ouentai.engagements.models import PlanVersion


@dataclass(frozen=True)
class PlanSection:
    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class KpiRow:
    """One KPI as it stood when the version was saved (PlanVersion.kpis), ready to show."""

    name: str
    unit: str
    direction: str
    baseline: str
    baseline_on: dt.date | None
    target: str
    target_on: dt.date | None
    latest: str | None
    latest_on: dt.date | None
    reached: str  # 達成 / 未達成 / 未測定


def plan_sections(version: PlanVersion) -> list[PlanSection]:
    """Every section of the plan in order, with its heading (empty ones included: the reader sees that
    nothing was written)."""
    return [
        PlanSection(key, str(heading), version.sections.get(key, "") or "") for key, heading in PLAN_SECTIONS
    ]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def plan_kpi_rows(version: PlanVersion) -> list[KpiRow]:
    """The KPI snapshot of a version (never the live KPIs: a saved plan does not change)."""
    directions = dict(KpiDirection.choices)
    reached = {"yes": _("達成"), "no": _("未達成")}
    return [
        KpiRow(
            name=str(row.get("name", "")),
            unit=str(row.get("unit") or ""),
            direction=str(directions.get(row.get("direction", ""), "")),
            baseline=number_text(row.get("baseline")),
            baseline_on=_date(row.get("baseline_on")),
            target=number_text(row.get("target")),
            target_on=_date(row.get("target_on")),
            latest=number_text(row.get("latest")) if row.get("latest") is not None else None,
            latest_on=_date(row.get("latest_on")),
            reached=str(reached.get(row.get("reached") or "", _("未測定"))),
        )
        for row in version.kpis
    ]


def plan_pdf(version: PlanVersion) -> bytes:
    """The version as a PDF (A4, Japanese typesetting). Same document for staff and for the company."""
    engagement = version.engagement
    context = {
        "version": version,
        "engagement": engagement,
        "company": engagement.company,
        "organization": engagement.organization,
        "sections": plan_sections(version),
        "kpis": plan_kpi_rows(version),
        "created_on": timezone.localtime(version.created_at).date(),
    }
    return render_pdf("engagements/pdf/plan.html", context)
