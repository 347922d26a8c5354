"""Outcome goals (成果目標): the indicators the program is judged by, each organization's target and
baseline per fiscal year (年度, April to March), and the monthly results of the indicators that are
entered by hand. Computed indicators have no stored results: they are counted from the records
(ouentai.outcomes.indicators), so a withdrawn case or a cancelled registration stops counting at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.outcomes.choices import MANUAL, REPORT_STEPS, IndicatorUnit, ReportStatus


class Indicator(models.Model):
    """One indicator, as data: its name, unit and definition as shown to users, and ``rule``, the key
    of the counting rule in ``indicators.RULES`` (or ``manual``). Shared by every organization; an
    inactive indicator is hidden from dashboards but its targets are kept."""

    key = models.SlugField(_("キー"), max_length=50, unique=True)
    name = models.CharField(
        _("指標名"),
        max_length=100,
        blank=True,
        help_text=_("手入力の指標の名前（自動で数える指標は集計方法の名前）。"),
    )
    unit = models.CharField(_("単位"), max_length=4, choices=IndicatorUnit.choices)
    definition = models.TextField(
        _("数え方"), blank=True, help_text=_("手入力の指標で、何をどう数えるか。画面に表示されます。")
    )
    rule = models.CharField(_("集計方法"), max_length=50, default=MANUAL)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("成果指標")
        verbose_name_plural = pgettext_lazy("plural", "成果指標")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.rule == MANUAL


class Target(OrganizationOwnedModel):
    """An organization's target for one indicator in one 年度, with the baseline it starts from (the
    previous year's result, usually). Written by ``services.target_set`` only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("指標")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    target = models.DecimalField(_("目標値"), max_digits=12, decimal_places=1)
    baseline = models.DecimalField(_("基準値"), max_digits=12, decimal_places=1, null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("設定者"),
    )

    class Meta:
        verbose_name = _("成果目標")
        verbose_name_plural = pgettext_lazy("plural", "成果目標")
        ordering = ["fiscal_year", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "fiscal_year"], name="outcome_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.indicator_id} {self.target}"


class ManualResult(OrganizationOwnedModel):
    """The result of a manual indicator for one month (``month`` is its first day), with who entered
    it and when. Written by ``services.manual_result_set`` only."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="manual_results", verbose_name=_("指標")
    )
    month = models.DateField(_("月"))
    value = models.DecimalField(_("値"), max_digits=12, decimal_places=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("入力者"),
    )
    entered_at = models.DateTimeField(_("入力日時"), default=timezone.now)

    class Meta:
        verbose_name = _("成果の実績（手入力）")
        verbose_name_plural = pgettext_lazy("plural", "成果の実績（手入力）")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "indicator", "month"], name="outcome_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.indicator_id} {self.value}"


class OutcomeFact(OrganizationOwnedModel):
    """One organization's count of one indicator in one 年度, kept for the program office's comparison
    (services.facts recounts it from the records with the dashboard's own rules). ``contributors`` is
    the number of distinct companies (or people) the count rests on, for small-cell suppression; None
    for a manual indicator, which is about neither."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="facts", verbose_name=_("指標")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("値"), max_digits=14, decimal_places=1)
    contributors = models.PositiveIntegerField(_("企業（人）の数"), null=True, blank=True)
    counted_through = models.DateField(_("集計の対象日"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("集計日時"), default=timezone.now)

    class Meta:
        verbose_name = _("成果の集計")
        verbose_name_plural = pgettext_lazy("plural", "成果の集計")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "fiscal_year"], name="outcome_fact_once"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "indicator"], name="outcome_fact_year")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.indicator_id} {self.value}"


def annual_report_upload_to(report: AnnualReport, filename: str) -> str:
    """Each organization's reports in a folder of its own (the stored names are ASCII; downloads are
    named in Japanese by the view)."""
    return f"outcomes/reports/{report.organization_id}/{filename}"


class AnnualReport(OrganizationOwnedModel):
    """One version of an organization's annual report (年度報告) for one 年度: the .xlsx workbook and
    the PDF built from the same data by the task worker, with its progress while it runs. Versions
    are numbered 1, 2, 3… per organization and year and kept: a new request makes a new version,
    never changes an old one. Written by ``services.annual_report_request`` and
    ``services.annual_report_build`` only."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版"))
    status = models.CharField(
        _("状態"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("進み具合（％）"), default=0)
    step = models.CharField(_("処理中の内容"), max_length=100, blank=True)
    as_of = models.DateField(_("集計の対象日"))
    xlsx = models.FileField(_("Excelファイル"), upload_to=annual_report_upload_to, blank=True)
    pdf = models.FileField(_("PDFファイル"), upload_to=annual_report_upload_to, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作成を依頼した人"),
    )
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    error = models.TextField(_("エラー"), blank=True)

    class Meta:
        verbose_name = _("年度報告")
        verbose_name_plural = pgettext_lazy("plural", "年度報告")
        ordering = ["-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "version"], name="annual_report_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} v{self.version}"

    @property
    def in_progress(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def step_label(self) -> str:
        return str(REPORT_STEPS.get(self.step, self.step))
