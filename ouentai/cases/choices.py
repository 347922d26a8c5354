"""Vocabularies of the success-case library: the workflow from draft to published, the two ways a case
may be shown, and the facets people filter by (size band, IT area, challenge)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    REVIEW = "review", _("承認待ち")
    CONSENT_REQUESTED = "consent_requested", _("企業の同意待ち")
    CONSENTED = "consented", _("同意済み")
    PUBLISHED = "published", _("公開中")
    WITHDRAWN = "withdrawn", _("公開取りやめ")


# Which status may follow which. Review may send a draft back; consent can be refused (withdrawn);
# a withdrawn case may be reworked as a new draft and must then be consented to again.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.DRAFT: frozenset({CaseStatus.REVIEW}),
    CaseStatus.REVIEW: frozenset({CaseStatus.DRAFT, CaseStatus.CONSENT_REQUESTED}),
    CaseStatus.CONSENT_REQUESTED: frozenset({CaseStatus.CONSENTED, CaseStatus.WITHDRAWN}),
    CaseStatus.CONSENTED: frozenset({CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN}),
    CaseStatus.PUBLISHED: frozenset({CaseStatus.WITHDRAWN}),
    CaseStatus.WITHDRAWN: frozenset({CaseStatus.DRAFT}),
}

# The content may change only before the company is asked: what it consents to is what is published.
EDITABLE = frozenset({CaseStatus.DRAFT})


class CaseVariant(models.TextChoices):
    """Named: the company's name is shown. Anonymized: only industry, size band and region; the name,
    法人番号, people and contact details never reach a public page, the index, a feed or a tag."""

    NAMED = "named", _("企業名を公開")
    ANONYMOUS = "anonymous", _("匿名（業種・規模・地域のみ）")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("会員ページで同意")
    SIGNED_FORM = "signed_form", _("署名済みの同意書")


class SizeBand(models.TextChoices):
    """Employee bands shown instead of the exact number (an exact number can identify a company)."""

    UP_TO_5 = "1-5", _("5人以下")
    UP_TO_20 = "6-20", _("6〜20人")
    UP_TO_50 = "21-50", _("21〜50人")
    UP_TO_100 = "51-100", _("51〜100人")
    UP_TO_300 = "101-300", _("101〜300人")
    OVER_300 = "301-", _("301人以上")


SIZE_BAND_LIMITS: list[tuple[int, str]] = [
    (5, SizeBand.UP_TO_5),
    (20, SizeBand.UP_TO_20),
    (50, SizeBand.UP_TO_50),
    (100, SizeBand.UP_TO_100),
    (300, SizeBand.UP_TO_300),
]


class ItArea(models.TextChoices):
    """The main area the IT introduced serves."""

    SALES = "sales", _("販売・EC")
    ORDERS = "orders", _("受発注")
    INVENTORY = "inventory", _("在庫・物流")
    PRODUCTION = "production", _("生産管理")
    ACCOUNTING = "accounting", _("会計・財務")
    CUSTOMERS = "customers", _("顧客管理・CRM")
    HR = "hr", _("人事・労務")
    COLLABORATION = "collaboration", _("情報共有・テレワーク")
    DATA = "data", _("データ活用・AI")
    SECURITY = "security", _("情報セキュリティ")


class Challenge(models.TextChoices):
    """The business challenge the case answers."""

    GROWTH = "growth", _("売上・販路の拡大")
    PRODUCTIVITY = "productivity", _("生産性の向上")
    COST = "cost", _("コストの削減")
    LABOUR = "labour", _("人手不足への対応")
    QUALITY = "quality", _("品質・サービスの向上")
    SUCCESSION = "succession", _("事業承継・技能の継承")
    NEW_BUSINESS = "new_business", _("新事業・新分野")


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("写真")
    FILE = "file", pgettext_lazy("attached document", "資料")


# What the company is asked to agree to, by version. A new wording is a new version; the exact text
# shown is copied into each consent, so what was agreed stays readable whatever changes later.
CONSENT_TEXT_VERSION = "2026-1"
CONSENT_TEXTS = {
    CaseVariant.NAMED: _(
        "当社は、上記の事例を、当社の名称を示して、応援隊の事例集（ウェブサイト、検索、配信、印刷物）に"
        "掲載することに同意します。掲載はいつでも取りやめを申し出ることができ、申し出を受けた時点で"
        "公開をやめます。"
    ),
    CaseVariant.ANONYMOUS: _(
        "当社は、上記の事例を、当社の名称・法人番号・関係者の氏名や連絡先を伏せ、業種・従業員規模・地域だけを"
        "示して、応援隊の事例集（ウェブサイト、検索、配信、印刷物）に掲載することに同意します。掲載は"
        "いつでも取りやめを申し出ることができ、申し出を受けた時点で公開をやめます。"
    ),
}

AUDIT_ACTIONS = {
    "cases.case.created": _("事例を作成"),
    "cases.case.updated": _("事例を更新"),
    "cases.case.kpis_refreshed": _("事例のKPIを案件の記録から更新"),
    "cases.case.submitted": _("事例を承認に回す"),
    "cases.case.returned": _("事例を差し戻す"),
    "cases.case.consent_requested": _("企業に掲載の同意を依頼"),
    "cases.case.consented": _("企業が掲載に同意"),
    "cases.case.published": _("事例を公開"),
    "cases.case.withdrawn": _("事例の公開を取りやめ"),
    "cases.case.reopened": _("事例を下書きに戻す"),
    "cases.media.added": _("事例に写真・資料を追加"),
    "cases.media.removed": _("事例の写真・資料を削除"),
    "cases.nominations.exported": _("推薦用に事例を書き出し"),
}
