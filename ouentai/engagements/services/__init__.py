"""Writes of the engagements app. Views, tasks and commands import from here."""

from ouentai.engagements.services.diagnosis import (
    DiagnosisScore,
    DimensionScore,
    diagnosis_score,
    diagnosis_submit,
    questionnaire_for,
)
from ouentai.engagements.services.engagements import (
    EngagementData,
    attachment_add,
    attachment_may_remove,
    attachment_remove,
    checklist_set,
    engagement_create,
    engagement_set_phase,
    engagement_set_status,
    engagement_update,
    note_add,
)
from ouentai.engagements.services.kpis import KpiData, kpi_measure, kpi_progress, kpi_reached, kpi_save
from ouentai.engagements.services.plans import DiffLine, SectionDiff, plan_compare, plan_save

__all__ = [
    "DiagnosisScore",
    "DiffLine",
    "DimensionScore",
    "EngagementData",
    "KpiData",
    "SectionDiff",
    "attachment_add",
    "attachment_may_remove",
    "attachment_remove",
    "checklist_set",
    "diagnosis_score",
    "diagnosis_submit",
    "engagement_create",
    "engagement_set_phase",
    "engagement_set_status",
    "engagement_update",
    "kpi_measure",
    "kpi_progress",
    "kpi_reached",
    "kpi_save",
    "note_add",
    "plan_compare",
    "plan_save",
    "questionnaire_for",
]
