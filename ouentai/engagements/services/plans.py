"""The plan document (計画書): numbered versions that are never changed, and their comparison."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import User
from ouentai.core.audit import audit_record
from ouentai.core.errors import DomainError
from ouentai.engagements.choices import PLAN_SECTIONS
from ouentai.engagements.models import Engagement, PlanVersion
from ouentai.engagements.selectors import engagement_kpi_statuses

SECTION_KEYS = [key for key, _label in PLAN_SECTIONS]


def _kpi_snapshot(engagement: Engagement) -> list[dict[str, str | None]]:
    """The engagement's KPIs as they stand, with the latest actual: copied into the version so that a
    saved plan never changes when measurements come in later."""
    rows = []
    for status in engagement_kpi_statuses(engagement):
        kpi, latest, reached = status.kpi, status.latest, status.reached
        rows.append(
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "baseline": str(kpi.baseline_value),
                "baseline_on": kpi.baseline_on.isoformat(),
                "target": str(kpi.target_value),
                "target_on": kpi.target_on.isoformat(),
                "latest": str(latest.value) if latest else None,
                "latest_on": latest.measured_on.isoformat() if latest else None,
                "reached": None if reached is None else ("yes" if reached else "no"),
            }
        )
    return rows


def plan_save(
    *, engagement: Engagement, title: str, sections: dict[str, str], actor: User, change_note: str = ""
) -> PlanVersion:
    """Save the plan as its next version (1, 2, 3…) with the KPIs pulled from the engagement. Versions
    are never edited; saving the same text again is refused so that every version says something new."""
    if not title.strip():
        raise DomainError(_("計画書の表題を入力してください。"), code="plan.title", field="title")
    cleaned = {key: (sections.get(key) or "").strip() for key in SECTION_KEYS}
    if not any(cleaned.values()):
        raise DomainError(_("計画書の内容を入力してください。"), code="plan.empty")
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        latest = engagement.plan_versions.order_by("-number").first()
        if latest is not None and latest.sections == cleaned and latest.title == title.strip():
            raise DomainError(
                _("前の版から変更がありません。内容を変えてから保存してください。"), code="plan.unchanged"
            )
        number = (engagement.plan_versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = PlanVersion.objects.create(
            engagement=engagement,
            number=number,
            title=title.strip(),
            sections=cleaned,
            kpis=_kpi_snapshot(engagement),
            change_note=change_note.strip()[:300],
            created_by=actor,
        )
        audit_record(
            actor=actor, action="engagements.plan.saved", target=engagement, details={"version": number}
        )
    return version


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    heading: str
    changed: bool
    lines: list[DiffLine]


def plan_compare(older: PlanVersion, newer: PlanVersion) -> list[SectionDiff]:
    """Line-by-line comparison of two versions, section by section (title and KPIs included)."""
    if older.engagement_id != newer.engagement_id:
        raise DomainError(_("同じ案件の版どうしを比べてください。"), code="plan.compare_scope")
    pairs: list[tuple[str, str, str, str]] = [("title", str(_("表題")), older.title, newer.title)]
    pairs += [
        (key, str(label), older.sections.get(key, ""), newer.sections.get(key, ""))
        for key, label in PLAN_SECTIONS
    ]
    pairs.append(("kpis", str(_("KPI")), _kpi_text(older), _kpi_text(newer)))
    result = []
    for key, heading, before, after in pairs:
        lines = []
        for row in difflib.ndiff(before.splitlines(), after.splitlines()):
            marker, text = row[:2], row[2:]
            if marker == "  ":
                lines.append(DiffLine("same", text))
            elif marker == "- ":
                lines.append(DiffLine("removed", text))
            elif marker == "+ ":
                lines.append(DiffLine("added", text))
        result.append(SectionDiff(key, heading, before != after, lines))
    return result


def _kpi_text(version: PlanVersion) -> str:
    return "\n".join(
        f"{row['name']}: {row['baseline']} → {row['target']}{row['unit'] or ''}（{row['target_on']}）"
        for row in version.kpis
    )
