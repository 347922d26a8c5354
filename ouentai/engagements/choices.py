"""Vocabularies of support engagements, the self-diagnosis and the plan document."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    """The IT coordinator process (ITコーディネータ・プロセス). Companies may enter midway or skip phases;
    monitoring runs across all of them (the KPIs)."""

    STRATEGY = "strategy", _("経営戦略")
    IT_STRATEGY = "it_strategy", _("IT戦略策定")
    PROCUREMENT = "procurement", _("IT資源調達")
    IMPLEMENTATION = "implementation", _("IT導入")
    OPERATION = "operation", _("ITサービス活用")


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("進行中")
    ON_HOLD = "on_hold", _("保留")
    COMPLETED = "completed", pgettext_lazy("engagement status", "完了")
    WITHDRAWN = "withdrawn", _("中止")


class KpiDirection(models.TextChoices):
    """Whether the indicator improves upwards (売上高) or downwards (受注処理時間, 在庫回転日数)."""

    INCREASE = "increase", _("大きいほど良い")
    DECREASE = "decrease", _("小さいほど良い")


class Stage(models.IntegerChoices):
    """METI's IT-management capability stages (IT経営力指標)."""

    NEGATIVE_ASSET = 1, _("IT不良資産化")
    DEPARTMENT = 2, _("部門内最適化")
    ORGANIZATION = 3, _("組織全体最適化")
    COMMUNITY = 4, _("共同体最適化")


# The sections of the plan document (計画書), in order: key → heading.
PLAN_SECTIONS = [
    ("current_state", _("現状")),
    ("challenges", _("経営課題")),
    ("strategy", _("経営戦略")),
    ("it_strategy", _("IT戦略")),
    ("target_processes", _("目指す業務プロセス")),
    ("systems", _("調達するシステム")),
    ("schedule", _("スケジュール")),
    ("budget", _("予算")),
    ("risks", _("リスクと対策")),
]

AUDIT_ACTIONS = {
    "engagements.engagement.created": _("支援案件を作成"),
    "engagements.engagement.updated": _("支援案件を更新"),
    "engagements.engagement.phase_changed": _("フェーズを変更"),
    "engagements.engagement.status_changed": _("状態を変更"),
    "engagements.checklist.checked": _("チェック項目を完了"),
    "engagements.checklist.unchecked": _("チェック項目を未完了に戻す"),
    "engagements.note.added": _("メモを追加"),
    "engagements.attachment.added": _("ファイルを添付"),
    "engagements.attachment.removed": _("添付ファイルを削除"),
    "engagements.kpi.saved": _("KPIを保存"),
    "engagements.kpi.measured": _("KPIの実績を記録"),
    "engagements.plan.saved": _("計画書の版を保存"),
    "engagements.diagnosis.taken": _("IT経営力診断を受診"),
    "engagements.questionnaire.created": _("診断の設問を用意"),
}
