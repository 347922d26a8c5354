"""Support engagements (IT経営支援案件) with their phases, checklists, notes, attachments and KPIs; the
plan document (計画書) as numbered versions; and the IT-management self-diagnosis (IT経営力診断) whose
questions, weights and thresholds are data."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.engagements.choices import EngagementStatus, KpiDirection, Phase, Stage


class Engagement(OrganizationOwnedModel):
    """One company's strategy-based IT project, led by a coordinator through the IT coordinator
    process. The phase may move in any order (companies enter midway or skip phases); every change is
    kept in PhaseChange and the audit log."""

    company = models.ForeignKey(
        "community.Company", on_delete=models.PROTECT, related_name="engagements", verbose_name=_("企業")
    )
    title = models.CharField(_("案件名"), max_length=200)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_engagements",
        verbose_name=_("主担当"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="engagements", verbose_name=_("メンバー")
    )
    started_on = models.DateField(_("開始日"))
    target_on = models.DateField(_("目標日"), null=True, blank=True)
    phase = models.CharField(_("フェーズ"), max_length=20, choices=Phase.choices, default=Phase.STRATEGY)
    status = models.CharField(
        _("状態"), max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.ACTIVE
    )
    completed_on = models.DateField(
        _("完了日"),
        null=True,
        blank=True,
        help_text=_("状態が完了になった日。完了でなくなると空に戻ります（年度の成果を数える日付）。"),
    )
    challenges = models.TextField(_("経営課題（企業の言葉で）"), blank=True)
    strategy = models.TextField(_("経営戦略（企業の言葉で）"), blank=True)

    class Meta:
        verbose_name = _("支援案件")
        verbose_name_plural = pgettext_lazy("plural", "支援案件")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "phase"], name="engagement_org_status"),
            models.Index(fields=["organization", "completed_on"], name="engagement_org_completed"),
            models.Index(fields=["organization", "started_on"], name="engagement_org_started"),
        ]

    def __str__(self) -> str:
        return self.title


class PhaseChange(models.Model):
    """One move of an engagement from a phase to another (any order), with who and when."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("支援案件")
    )
    from_phase = models.CharField(_("変更前"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("変更後"), max_length=20, choices=Phase.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("実行者"),
    )
    note = models.CharField(_("メモ"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("フェーズの変更")
        verbose_name_plural = pgettext_lazy("plural", "フェーズの変更")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class ChecklistItem(OrganizationOwnedModel):
    """One item of a phase's checklist, as the organization words it (data, edited by org admins)."""

    phase = models.CharField(_("フェーズ"), max_length=20, choices=Phase.choices)
    label = models.CharField(_("項目"), max_length=300)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("チェック項目")
        verbose_name_plural = pgettext_lazy("plural", "チェック項目")
        ordering = ["phase", "order", "id"]

    def __str__(self) -> str:
        return self.label


class ChecklistCheck(models.Model):
    """A checklist item done for one engagement."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="checks", verbose_name=_("支援案件")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("項目")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("実行者"),
    )
    done_at = models.DateTimeField(_("完了日時"), default=timezone.now)

    class Meta:
        verbose_name = _("チェック済みの項目")
        verbose_name_plural = pgettext_lazy("plural", "チェック済みの項目")
        constraints = [models.UniqueConstraint(fields=["engagement", "item"], name="checklist_check_once")]

    def __str__(self) -> str:
        return str(self.item_id)


class Note(models.Model):
    """A free note on an engagement (visit, phone call, decision)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="notes", verbose_name=_("支援案件")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("記入者"),
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("メモ")
        verbose_name_plural = pgettext_lazy("plural", "メモ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:40]


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder per file: names stay as uploaded, URLs cannot be guessed.
    return f"engagements/{instance.engagement.organization_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file kept with an engagement, on the configured storage (local by default; S3-compatible
    storage by setting, see docs/operators/configuration.md). Served only through a permission-checked
    view."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("支援案件")
    )
    file = models.FileField(_("ファイル"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("ファイル名"), max_length=200)
    size = models.PositiveBigIntegerField(_("サイズ"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登録者"),
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = pgettext_lazy("plural", "添付ファイル")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Kpi(models.Model):
    """An indicator the engagement aims to move (受注処理時間, 在庫回転日数, 売上高), with its baseline and
    target. Reached or not is computed from the latest measurement and the direction."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("支援案件")
    )
    name = models.CharField(_("指標"), max_length=100)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    direction = models.CharField(
        _("良くなる向き"), max_length=10, choices=KpiDirection.choices, default=KpiDirection.INCREASE
    )
    baseline_value = models.DecimalField(_("基準値"), max_digits=16, decimal_places=2)
    baseline_on = models.DateField(_("基準日"))
    target_value = models.DecimalField(_("目標値"), max_digits=16, decimal_places=2)
    target_on = models.DateField(_("目標期日"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = pgettext_lazy("plural", "KPI")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class KpiMeasurement(models.Model):
    """An actual value of a KPI on a date."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("KPI"))
    measured_on = models.DateField(_("測定日"))
    value = models.DecimalField(_("実績値"), max_digits=16, decimal_places=2)
    note = models.CharField(_("メモ"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("記録者"),
    )

    class Meta:
        verbose_name = _("KPIの実績")
        verbose_name_plural = pgettext_lazy("plural", "KPIの実績")
        ordering = ["measured_on", "id"]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.measured_on} {self.value}"


class PlanVersion(models.Model):
    """One saved version of an engagement's plan document (計画書): numbered 1, 2, 3… per engagement,
    never changed once saved. ``sections`` maps the keys of choices.PLAN_SECTIONS to text; ``kpis``
    is the engagement's KPIs as they stood when the version was saved."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="plan_versions", verbose_name=_("支援案件")
    )
    number = models.PositiveIntegerField(_("版"))
    title = models.CharField(_("計画書の表題"), max_length=200)
    sections: models.JSONField[Any, Any] = models.JSONField(_("内容"), default=dict)
    kpis: models.JSONField[Any, Any] = models.JSONField(_("KPI"), default=list)
    change_note = models.CharField(_("この版の変更点"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)

    class Meta:
        verbose_name = _("計画書の版")
        verbose_name_plural = pgettext_lazy("plural", "計画書の版")
        ordering = ["engagement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版"


# --- IT経営力診断 ----------------------------------------------------------------------------------


class Questionnaire(OrganizationOwnedModel):
    """An organization's self-diagnosis: dimensions, questions with weights, answer scores and the
    thresholds that turn a score into a stage. One is active per organization; org admins edit it."""

    title = models.CharField(_("名称"), max_length=200)
    introduction = models.TextField(_("はじめに"), blank=True)
    is_active = models.BooleanField(_("公開中"), default=True)

    class Meta:
        verbose_name = _("IT経営力診断")
        verbose_name_plural = pgettext_lazy("plural", "IT経営力診断")

    def __str__(self) -> str:
        return self.title


class Dimension(models.Model):
    """One viewpoint of the diagnosis (e.g. 経営とITの結び付き, 業務プロセス, 情報の活用, 社外との連携)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("診断")
    )
    name = models.CharField(_("観点"), max_length=100)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("診断の観点")
        verbose_name_plural = pgettext_lazy("plural", "診断の観点")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DiagnosisQuestion(models.Model):
    """A question of one dimension; its answers carry scores from 1 to 4, and ``weight`` says how much
    it counts within the dimension."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="questions", verbose_name=_("観点")
    )
    text = models.CharField(_("設問"), max_length=300)
    weight = models.DecimalField(_("重み"), max_digits=5, decimal_places=2, default=Decimal("1"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("診断の設問")
        verbose_name_plural = pgettext_lazy("plural", "診断の設問")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class DiagnosisChoice(models.Model):
    """One answer to a question and its score (1 = stage 1 behaviour … 4 = stage 4 behaviour)."""

    question = models.ForeignKey(
        DiagnosisQuestion, on_delete=models.CASCADE, related_name="choices", verbose_name=_("設問")
    )
    label = models.CharField(_("回答"), max_length=300)
    score = models.DecimalField(_("点数"), max_digits=4, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("診断の回答")
        verbose_name_plural = pgettext_lazy("plural", "診断の回答")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class StageRule(models.Model):
    """Where a stage begins (minimum weighted score), and how the stage is explained to the company with
    the recommended next steps. One per stage and questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="stage_rules", verbose_name=_("診断")
    )
    stage = models.PositiveSmallIntegerField(_("段階"), choices=Stage.choices)
    min_score = models.DecimalField(_("この段階になる最低点"), max_digits=4, decimal_places=2)
    explanation = models.TextField(_("この段階の説明"))
    next_steps = models.TextField(_("おすすめの次の一歩"))

    class Meta:
        verbose_name = _("段階の判定")
        verbose_name_plural = pgettext_lazy("plural", "段階の判定")
        ordering = ["stage"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "stage"], name="stage_rule_once")]

    def __str__(self) -> str:
        return f"{self.stage}: ≥{self.min_score}"


class DiagnosisResult(OrganizationOwnedModel):
    """One completed diagnosis: the answers, the score and stage per dimension, the overall stage. Kept
    with the company when a signed-in member took it; ``token`` lets the person open their result."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="results", verbose_name=_("診断")
    )
    company = models.ForeignKey(
        "community.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diagnosis_results",
        verbose_name=_("企業"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("回答者"),
    )
    answers: models.JSONField[Any, Any] = models.JSONField(_("回答"), default=dict)
    scores: models.JSONField[Any, Any] = models.JSONField(_("観点ごとの点数と段階"), default=list)
    score = models.DecimalField(_("総合点"), max_digits=4, decimal_places=2)
    stage = models.PositiveSmallIntegerField(_("総合の段階"), choices=Stage.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("診断結果")
        verbose_name_plural = pgettext_lazy("plural", "診断結果")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.score})"
