"""Success cases (成功事例): what an engagement achieved, written for other companies to read, with the
company's consent to publish recorded word for word. Company facts, KPIs and support used are taken
from the records (the engagement, its KPIs, dispatches and events), never retyped."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.cases.choices import (
    CaseStatus,
    CaseVariant,
    Challenge,
    ConsentMethod,
    ItArea,
    MediaKind,
    SizeBand,
)
from ouentai.community.choices import Industry, ItStage
from ouentai.core.models import OrganizationOwnedModel


class Case(OrganizationOwnedModel):
    """One success case. Only the services change ``status`` (choices.TRANSITIONS); a case is public
    exactly when it is published and holds a consent that is not withdrawn, and public surfaces read it
    only through ``cases.selectors.public`` (which leaves the company out of an anonymized case)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="cases", verbose_name=_("支援案件")
    )
    company = models.ForeignKey(
        "community.Company", on_delete=models.PROTECT, related_name="cases", verbose_name=_("企業")
    )
    status = models.CharField(_("状態"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    variant = models.CharField(
        _("公開の形"), max_length=10, choices=CaseVariant.choices, default=CaseVariant.ANONYMOUS
    )
    # Public address: an unguessable key, so unpublished cases cannot be found by counting ids.
    public_key = models.UUIDField(_("公開用キー"), default=uuid.uuid4, unique=True, editable=False)

    title = models.CharField(_("事例の表題"), max_length=120)
    summary = models.CharField(_("要約"), max_length=300)
    # Company facts as published: taken from the company when the case is made, kept with the case.
    industry = models.CharField(_("業種"), max_length=1, choices=Industry.choices, blank=True)
    size_band = models.CharField(_("従業員規模"), max_length=10, choices=SizeBand.choices, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=50, blank=True)
    it_stage_before = models.PositiveSmallIntegerField(
        _("支援前のIT経営力の段階"), choices=ItStage.choices, null=True, blank=True
    )
    it_stage_after = models.PositiveSmallIntegerField(
        _("支援後のIT経営力の段階"), choices=ItStage.choices, null=True, blank=True
    )
    challenge_kind = models.CharField(_("課題の分類"), max_length=20, choices=Challenge.choices)
    it_area = models.CharField(_("ITの分野"), max_length=20, choices=ItArea.choices)
    background = models.TextField(_("背景"), blank=True)
    challenge = models.TextField(_("経営課題"))
    strategy = models.TextField(_("経営戦略"), blank=True)
    solution = models.TextField(_("導入したITと進め方"))
    products = models.CharField(_("導入した製品・サービス"), max_length=300, blank=True)
    results = models.TextField(_("成果"))
    owner_words = models.TextField(_("経営者の声"), blank=True)
    owner_title = models.CharField(
        _("経営者の声の話し手（役職）"), max_length=50, blank=True, help_text=_("例：代表取締役")
    )
    phases: models.JSONField[Any, Any] = models.JSONField(_("実施したフェーズ"), default=list, blank=True)
    started_on = models.DateField(_("支援の開始日"), null=True, blank=True)
    completed_on = models.DateField(_("支援の完了日"), null=True, blank=True)
    schemes = models.ManyToManyField(
        "network.DispatchScheme", blank=True, related_name="cases", verbose_name=_("利用した派遣制度")
    )
    experts = models.ManyToManyField(
        "network.Expert", blank=True, related_name="cases", verbose_name=_("支援した専門家")
    )
    trainings = models.ManyToManyField(
        "events.Event", blank=True, related_name="trained_cases", verbose_name=_("受講した研修・セミナー")
    )
    presented_at = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presented_cases",
        verbose_name=_("発表した事例発表会"),
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="authored_cases",
        verbose_name=_("作成者"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_cases",
        verbose_name=_("承認者"),
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("公開取りやめ日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("成功事例")
        verbose_name_plural = pgettext_lazy("plural", "成功事例")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="case_status_published"),
            models.Index(fields=["organization", "status"], name="case_org_status"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseKpi(models.Model):
    """A KPI of the engagement shown in the case: the before and after values are copied from the KPI
    and its latest measurement by the services (``case_kpis_refresh``), never typed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("成功事例"))
    kpi = models.ForeignKey(
        "engagements.Kpi", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("KPI")
    )
    name = models.CharField(_("指標"), max_length=100)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    direction = models.CharField(_("良くなる向き"), max_length=10)
    before_value = models.DecimalField(_("支援前"), max_digits=16, decimal_places=2)
    before_on = models.DateField(_("支援前の測定日"))
    after_value = models.DecimalField(_("支援後"), max_digits=16, decimal_places=2)
    after_on = models.DateField(_("支援後の測定日"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("事例のKPI")
        verbose_name_plural = pgettext_lazy("plural", "事例のKPI")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


def media_path(instance: CaseMedia, filename: str) -> str:
    return f"cases/{instance.case.organization_id}/{uuid.uuid4().hex}/{filename}"


class CaseMedia(models.Model):
    """A photo or a document of the case. A photo needs its alternative text (what it shows)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="media", verbose_name=_("成功事例"))
    kind = models.CharField(_("種類"), max_length=10, choices=MediaKind.choices, default=MediaKind.PHOTO)
    file = models.FileField(_("ファイル"), upload_to=media_path, max_length=300)
    name = models.CharField(_("ファイル名"), max_length=200)
    alt_text = models.CharField(_("代替テキスト"), max_length=200, blank=True)
    caption = models.CharField(_("説明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登録者"),
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("事例の写真・資料")
        verbose_name_plural = pgettext_lazy("plural", "事例の写真・資料")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


def consent_form_path(instance: CaseConsent, filename: str) -> str:
    return f"case-consents/{instance.case.organization_id}/{uuid.uuid4().hex}/{filename}"


class CaseConsent(models.Model):
    """The company's consent to publish one case in one variant: the exact text shown and its version,
    who agreed (a member online, or staff attaching the signed form) and when. A consent is never
    edited; withdrawal sets ``withdrawn_at``, and a case may be published only while it holds a consent
    that is not withdrawn, for the variant it is published in."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("成功事例")
    )
    variant = models.CharField(_("公開の形"), max_length=10, choices=CaseVariant.choices)
    version = models.CharField(_("同意文の版"), max_length=20)
    text = models.TextField(_("同意文"))
    method = models.CharField(_("同意の方法"), max_length=12, choices=ConsentMethod.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("同意した会員"),
    )
    signer_name = models.CharField(_("署名者"), max_length=100, blank=True)
    signed_form = models.FileField(
        _("署名済みの同意書"), upload_to=consent_form_path, max_length=300, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("記録者"),
    )
    given_at = models.DateTimeField(_("同意日時"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("取りやめ日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("掲載の同意")
        verbose_name_plural = pgettext_lazy("plural", "掲載の同意")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(withdrawn_at__isnull=True), name="case_one_live_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.version}"
