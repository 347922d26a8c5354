"""Vocabularies of the outcome goals: how an indicator gets its numbers, and the audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorUnit(models.TextChoices):
    CASES = "件", pgettext_lazy("unit", "件")
    COMPANIES = "社", pgettext_lazy("unit", "社")
    PEOPLE = "人", pgettext_lazy("unit", "人")
    TIMES = "回", pgettext_lazy("unit", "回")


# The rule that counts an indicator from the records (ouentai.outcomes.indicators.RULES), or MANUAL for
# one whose monthly results staff enter by hand.
MANUAL = "manual"

AUDIT_ACTIONS = {
    "outcomes.target.set": pgettext_lazy("audit", "成果目標を設定"),
    "outcomes.target.cleared": pgettext_lazy("audit", "成果目標を削除"),
    "outcomes.result.entered": pgettext_lazy("audit", "成果の実績を入力"),
    "outcomes.report.requested": pgettext_lazy("audit", "年度報告の作成を依頼"),
    "outcomes.report.built": pgettext_lazy("audit", "年度報告を作成"),
    "outcomes.report.failed": pgettext_lazy("audit", "年度報告の作成に失敗"),
}

AUDIT_DETAIL_KEYS = {
    "indicator": _("指標"),
    "fiscal_year": _("年度"),
    "target": _("目標値"),
    "baseline": _("基準値"),
    "month": _("月"),
    "value": _("値"),
    "version": _("版"),
}


class ReportStatus(models.TextChoices):
    """Where an annual report (年度報告) stands: waiting for the worker, being built, ready to
    download, or failed (the error is kept on the report)."""

    QUEUED = "queued", _("順番待ち")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


# What an annual report's build is doing (AnnualReport.step holds the key; pages show the text).
REPORT_STEPS = {
    "start": _("準備しています"),
    "goals": _("成果目標と実績を集計しています"),
    "activity": _("活動を集計しています"),
    "cases": _("公開した成功事例を集めています"),
    "continuity": _("IT投資の見込みを集めています"),
    "trust": _("継続的な参加を集計しています"),
    "people": _("主要な人材を集計しています"),
    "xlsx": _("Excelファイルを作成しています"),
    "pdf": _("PDFを作成しています"),
    "save": _("ファイルを保存しています"),
}
