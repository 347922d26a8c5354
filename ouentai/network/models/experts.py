"""Experts (専門家) the organization can dispatch, their qualifications, and the skill taxonomy they are
matched by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.network.choices import QualificationKind


class Skill(models.Model):
    """A skill in the taxonomy experts are matched by; ``themes`` says which dispatch themes it serves."""

    name = models.CharField(_("スキル"), max_length=100, unique=True)
    themes: models.JSONField[Any, Any] = models.JSONField(_("対応するテーマ"), default=list, blank=True)

    class Meta:
        verbose_name = _("スキル")
        verbose_name_plural = pgettext_lazy("plural", "スキル")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Expert(OrganizationOwnedModel):
    """An expert the organization can dispatch. With ``user`` set, the expert signs in and sees only
    their own dispatches."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        verbose_name=_("ログインするユーザー"),
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名フリガナ"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    profile = models.TextField(_("経歴・得意分野"), blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="experts", verbose_name=_("スキル"))
    area_codes = models.CharField(
        _("対応地域（都道府県・市区町村コード、カンマ区切り）"), max_length=500, blank=True
    )
    is_available = models.BooleanField(_("受付可能"), default=True)
    available_from = models.DateField(_("受付再開日"), null=True, blank=True)
    max_active = models.PositiveSmallIntegerField(_("同時に担当できる件数"), default=3)

    class Meta:
        verbose_name = _("専門家")
        verbose_name_plural = pgettext_lazy("plural", "専門家")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code_list(self) -> list[str]:
        return [code.strip() for code in self.area_codes.replace("、", ",").split(",") if code.strip()]

    def available_on(self, day: dt.date) -> bool:
        """Taking requests on ``day``: available, or paused with a restart date on or before it."""
        if not self.is_available:
            return self.available_from is not None and self.available_from <= day
        return self.available_from is None or self.available_from <= day


class Qualification(models.Model):
    """A qualification of an expert (ITコーディネータ with certificate number and expiry, 中小企業診断士…)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("専門家")
    )
    kind = models.CharField(_("資格"), max_length=20, choices=QualificationKind.choices)
    name = models.CharField(_("資格名（その他の場合）"), max_length=100, blank=True)
    number = models.CharField(_("登録番号"), max_length=50, blank=True)
    expires_on = models.DateField(_("有効期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("資格")
        verbose_name_plural = pgettext_lazy("plural", "資格")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    def valid_on(self, day: dt.date) -> bool:
        return self.expires_on is None or self.expires_on >= day
