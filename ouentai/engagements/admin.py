"""Admin for org admins: the data behind the checklists and the self-diagnosis (questions, weights,
answer scores, stage thresholds and texts), scoped to their organization."""

from django.contrib import admin

from ouentai.core.admin import OrganizationScopedAdmin
from ouentai.engagements.models import (
    ChecklistItem,
    DiagnosisChoice,
    DiagnosisQuestion,
    Dimension,
    Questionnaire,
    StageRule,
)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(OrganizationScopedAdmin):
    list_display = ["phase", "order", "label", "is_active"]
    list_filter = ["phase", "is_active"]
    list_editable = ["order", "is_active"]
    exclude = ["organization"]


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    show_change_link = True


class StageRuleInline(admin.StackedInline):
    model = StageRule
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(OrganizationScopedAdmin):
    list_display = ["title", "is_active"]
    inlines = [DimensionInline, StageRuleInline]
    exclude = ["organization"]


class QuestionInline(admin.TabularInline):
    model = DiagnosisQuestion
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(OrganizationScopedAdmin):
    organization_field = "questionnaire__organization"
    list_display = ["name", "questionnaire", "order"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = DiagnosisChoice
    extra = 0


@admin.register(DiagnosisQuestion)
class DiagnosisQuestionAdmin(OrganizationScopedAdmin):
    organization_field = "dimension__questionnaire__organization"
    related_organization_paths = {"dimension": "questionnaire__organization"}
    list_display = ["text", "dimension", "weight", "order"]
    inlines = [ChoiceInline]
