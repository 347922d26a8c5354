"""Dispatch schemes (専門家派遣制度) with their rules as data, and dispatch requests from the request to
the SME's confirmation: visits, the expert's report, the rating."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.network.choices import DispatchStatus, DispatchTheme
from ouentai.network.models.directory import SupportOrganization
from ouentai.network.models.experts import Expert


class DispatchScheme(OrganizationOwnedModel):
    """A support organization's expert-dispatch scheme. Its rules are data: who is eligible (SMEs only,
    which areas), how many visits a company may have per fiscal year (and per theme), hours per visit,
    the share of the fee the scheme covers, when requests are accepted, and what the expert's report
    must contain."""

    support_organization = models.ForeignKey(
        SupportOrganization, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("支援機関")
    )
    name = models.CharField(_("制度名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    sme_only = models.BooleanField(_("中小企業に限る"), default=True)
    # JIS codes of the prefectures or municipalities served ("14" 神奈川県, "14100" 横浜市); empty: anywhere.
    area_codes = models.CharField(
        _("対象地域（都道府県・市区町村コード、カンマ区切り）"), max_length=500, blank=True
    )
    visits_per_year = models.PositiveSmallIntegerField(_("1社あたり年度内の訪問回数の上限"))
    # {"it": 5}: a theme with its own (usually larger) allowance.
    visits_per_theme: models.JSONField[Any, Any] = models.JSONField(
        _('テーマ別の上限（例: {"it": 5}）'), default=dict, blank=True
    )
    hours_per_visit = models.DecimalField(
        _("1回あたりの時間"), max_digits=4, decimal_places=1, default=Decimal("2")
    )
    fee_per_hour = models.PositiveIntegerField(_("謝金の時間単価（円）"), default=0)
    fee_share_percent = models.PositiveSmallIntegerField(_("制度が負担する謝金の割合（％）"), default=100)
    opens_on = models.DateField(_("受付開始日"), null=True, blank=True)
    closes_on = models.DateField(_("受付終了日"), null=True, blank=True)
    report_fields: models.JSONField[Any, Any] = models.JSONField(
        _("報告書の必須項目"), default=list, blank=True
    )
    is_active = models.BooleanField(_("受付中"), default=True)

    class Meta:
        verbose_name = _("派遣制度")
        verbose_name_plural = pgettext_lazy("plural", "派遣制度")
        ordering = ["support_organization__name", "name"]

    def __str__(self) -> str:
        return f"{self.support_organization.name} {self.name}"

    @property
    def area_code_list(self) -> list[str]:
        return [code.strip() for code in self.area_codes.replace("、", ",").split(",") if code.strip()]

    def limit_for(self, theme: str) -> int:
        """Visits allowed per company and fiscal year for a theme."""
        value = (self.visits_per_theme or {}).get(theme)
        return int(value) if value else self.visits_per_year


class DispatchRequest(OrganizationOwnedModel):
    """A request to send an expert to a company under a scheme, filed by staff or a coordinator (from a
    company or an engagement), approved by the scheme's support organization, carried out by the
    expert (visits, report), confirmed and rated by the company. ``fiscal_year`` is the 年度 its visits
    count against (the year of the first preferred date, else of the day it was created)."""

    company = models.ForeignKey(
        "community.Company",
        on_delete=models.PROTECT,
        related_name="dispatch_requests",
        verbose_name=_("企業"),
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatch_requests",
        verbose_name=_("支援案件"),
    )
    scheme = models.ForeignKey(
        DispatchScheme, on_delete=models.PROTECT, related_name="requests", verbose_name=_("派遣制度")
    )
    theme = models.CharField(_("テーマ"), max_length=20, choices=DispatchTheme.choices)
    requested_visits = models.PositiveSmallIntegerField(_("希望する訪問回数"))
    preferred_dates = models.CharField(_("希望日時"), max_length=300, blank=True)
    first_preferred_on = models.DateField(_("最初の希望日"), null=True, blank=True)
    purpose = models.TextField(_("相談したいこと"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状態"), max_length=20, choices=DispatchStatus.choices, default=DispatchStatus.DRAFT
    )
    expert = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatches",
        verbose_name=_("専門家"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作成者"),
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承認・却下した人"),
    )
    decided_at = models.DateTimeField(_("承認・却下の日時"), null=True, blank=True)
    decision_note = models.TextField(_("承認・却下の理由"), blank=True)
    report: models.JSONField[Any, Any] = models.JSONField(_("完了報告"), default=dict, blank=True)
    reported_at = models.DateTimeField(_("報告日時"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("企業の評価（5段階）"), null=True, blank=True)
    rating_comment = models.TextField(_("企業のコメント"), blank=True)
    confirmed_at = models.DateTimeField(_("企業の確認日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("派遣申請")
        verbose_name_plural = pgettext_lazy("plural", "派遣申請")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="dispatch_org_status"),
            models.Index(fields=["company", "scheme", "fiscal_year"], name="dispatch_company_year"),
        ]

    def __str__(self) -> str:
        return f"{self.company} / {self.scheme.name}"


class DispatchVisit(models.Model):
    """One visit of the expert: date, start and end, what was done, what comes next. Written only by
    services.visit_log (its date and times checked by rules.visit_problem); its length and the part the
    scheme counts are rules.visit_hours'."""

    request = models.ForeignKey(
        DispatchRequest, on_delete=models.CASCADE, related_name="visits", verbose_name=_("派遣申請")
    )
    visited_on = models.DateField(_("訪問日"))
    starts_at = models.TimeField(_("開始"))
    ends_at = models.TimeField(_("終了"))
    summary = models.TextField(_("実施内容"))
    next_steps = models.TextField(_("次回までの課題"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("記録者"),
    )
    logged_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("訪問記録")
        verbose_name_plural = pgettext_lazy("plural", "訪問記録")
        ordering = ["visited_on", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.starts_at}-{self.ends_at}"
