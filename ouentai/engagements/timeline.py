"""A company's engagements on its timeline: each engagement opened, each phase change, each plan
version and each diagnosis taken. Three queries, whatever the number of engagements."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.community.models import Company
from ouentai.community.selectors import TimelineEvent
from ouentai.engagements.choices import Phase, Stage
from ouentai.engagements.models import DiagnosisResult, PhaseChange, PlanVersion


def company_engagement_history(company: Company) -> list[TimelineEvent]:
    entries: list[TimelineEvent] = []
    changes = PhaseChange.objects.filter(engagement__company=company).select_related("engagement", "actor")
    for change in changes:
        url = reverse("engagements_console:detail", args=[change.engagement_id])
        title = (
            _("支援案件「%(title)s」を開始（%(phase)s）")
            if not change.from_phase
            else _("支援案件「%(title)s」のフェーズを%(phase)sへ")
        ) % {"title": change.engagement.title, "phase": Phase(change.to_phase).label}
        entries.append(
            TimelineEvent(
                change.changed_at, "engagement", title, change.note, url, actor=str(change.actor or "")
            )
        )
    for version in PlanVersion.objects.filter(engagement__company=company).select_related(
        "engagement", "created_by"
    ):
        entries.append(
            TimelineEvent(
                version.created_at,
                "plan",
                _("計画書「%(title)s」第%(number)s版を保存")
                % {"title": version.title, "number": version.number},
                version.change_note,
                reverse("engagements_console:plan_version", args=[version.engagement_id, version.number]),
                actor=str(version.created_by or ""),
            )
        )
    for result in DiagnosisResult.objects.filter(company=company):
        entries.append(
            TimelineEvent(
                result.created_at,
                "diagnosis",
                _("IT経営力診断: 段階%(stage)s %(name)s")
                % {"stage": result.stage, "name": Stage(result.stage).label},
                str(result.score),
                reverse("engagements_console:company_diagnosis", args=[company.pk]),
            )
        )
    return entries
