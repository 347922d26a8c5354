from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportOrganizationKind(models.TextChoices):
    """The kinds of public support organization the program works with."""

    NATIONAL = "national", _("国の機関（中小企業基盤整備機構など）")
    PREFECTURE = "prefecture", _("都道府県")
    MUNICIPALITY = "municipality", _("市区町村")
    CHAMBER = "chamber", _("商工会議所・商工会")
    FINANCIAL = "financial", _("金融機関")
    INDUSTRY = "industry", _("業界団体")
    OTHER = "other", _("その他")


class DispatchTheme(models.TextChoices):
    """What a dispatch is about; schemes may allow more visits for some themes (中小企業119: IT 5)."""

    IT = "it", _("IT活用・デジタル化")
    MANAGEMENT = "management", _("経営戦略・事業計画")
    FINANCE = "finance", _("財務・資金繰り")
    SALES = "sales", _("販路開拓・マーケティング")
    PRODUCTION = "production", _("生産管理・品質")
    HR = "hr", _("人材育成・労務")
    SECURITY = "security", _("情報セキュリティ")


class QualificationKind(models.TextChoices):
    ITC = "itc", _("ITコーディネータ")
    SHINDANSHI = "shindanshi", _("中小企業診断士")
    IPA = "ipa", _("情報処理技術者（高度区分）")
    ACCOUNTANT = "accountant", _("税理士・公認会計士")
    OTHER = "other", _("その他")


class DispatchStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("申請中")
    APPROVED = "approved", _("承認済み")
    IN_PROGRESS = "in_progress", _("実施中")
    REPORTED = "reported", _("報告済み")
    CONFIRMED = "confirmed", _("企業確認済み")
    CLOSED = "closed", _("完了")
    REJECTED = "rejected", _("却下")
    CANCELLED = "cancelled", _("取消")


# Requests whose visits count against a company's allowance in the fiscal year.
COUNTS_AGAINST_LIMIT = (
    DispatchStatus.SUBMITTED,
    DispatchStatus.APPROVED,
    DispatchStatus.IN_PROGRESS,
    DispatchStatus.REPORTED,
    DispatchStatus.CONFIRMED,
    DispatchStatus.CLOSED,
)
# The states in which the expert may still be chosen (before the visits begin).
EXPERT_ASSIGNABLE = (DispatchStatus.DRAFT, DispatchStatus.SUBMITTED, DispatchStatus.APPROVED)
# The states in which the assigned expert logs visits.
VISITS_OPEN = (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS)
# Reported onwards: the completion report (and its PDF) exists.
REPORTED_STATUSES = (DispatchStatus.REPORTED, DispatchStatus.CONFIRMED, DispatchStatus.CLOSED)
# What the assigned expert sees: from approval on (and a request cancelled after approval).
EXPERT_VISIBLE = (
    DispatchStatus.APPROVED,
    DispatchStatus.IN_PROGRESS,
    DispatchStatus.REPORTED,
    DispatchStatus.CONFIRMED,
    DispatchStatus.CLOSED,
)
# The tabs of the partner's list (key, label, statuses; none: all), what waits for a decision first.
PARTNER_TABS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("submitted", _("申請中"), (DispatchStatus.SUBMITTED,)),
    ("active", _("承認済み・実施中"), (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS)),
    ("done", _("報告済み・完了"), REPORTED_STATUSES),
    ("refused", _("却下・取消"), (DispatchStatus.REJECTED, DispatchStatus.CANCELLED)),
    ("all", _("すべて"), ()),
]
# An expert's current load: requests filed and not yet reported.
ACTIVE_LOAD = (DispatchStatus.APPROVED, DispatchStatus.IN_PROGRESS, DispatchStatus.SUBMITTED)
# The paths a request may take; anything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    DispatchStatus.DRAFT: (DispatchStatus.SUBMITTED, DispatchStatus.CANCELLED),
    DispatchStatus.SUBMITTED: (DispatchStatus.APPROVED, DispatchStatus.REJECTED, DispatchStatus.CANCELLED),
    DispatchStatus.APPROVED: (DispatchStatus.IN_PROGRESS, DispatchStatus.CANCELLED),
    DispatchStatus.IN_PROGRESS: (DispatchStatus.REPORTED,),
    DispatchStatus.REPORTED: (DispatchStatus.CONFIRMED,),
    DispatchStatus.CONFIRMED: (DispatchStatus.CLOSED,),
    DispatchStatus.CLOSED: (),
    DispatchStatus.REJECTED: (),
    DispatchStatus.CANCELLED: (),
}

# Report fields a scheme may require of the expert's completion report.
REPORT_FIELDS = {
    "summary": _("支援の概要"),
    "issues": _("把握した課題"),
    "advice": _("助言の内容"),
    "outcomes": _("成果と企業の変化"),
    "next_steps": _("今後の取り組み"),
}

AUDIT_ACTIONS = {
    "network.request.created": _("派遣申請を作成"),
    "network.request.updated": _("派遣申請を更新"),
    "network.request.submitted": _("派遣申請を提出"),
    "network.request.approved": _("派遣申請を承認"),
    "network.request.rejected": _("派遣申請を却下"),
    "network.request.cancelled": _("派遣申請を取消"),
    "network.request.expert_assigned": _("専門家を決定"),
    "network.visit.logged": _("訪問を記録"),
    "network.report.submitted": _("完了報告を提出"),
    "network.request.confirmed": _("企業が確認・評価"),
    "network.request.closed": _("派遣を完了"),
    "network.organization.saved": _("支援機関を保存"),
    "network.scheme.saved": _("派遣制度を保存"),
    "network.expert.saved": _("専門家を保存"),
    "network.totals.exported": _("派遣の集計を出力"),
}

# JIS X 0401 prefecture codes 01–47, in order (the names of a scheme's or an expert's areas).
PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]  # fmt: skip
