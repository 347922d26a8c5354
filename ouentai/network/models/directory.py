"""Public support organizations (支援機関) the implementing organization works with, their contacts and
accounts, and the regional key persons: the directory that events and dispatch schemes point at."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.core.models import OrganizationOwnedModel
from ouentai.network.choices import SupportOrganizationKind


class SupportOrganization(OrganizationOwnedModel):
    """A support organization as one implementing organization knows it (中小企業基盤整備機構, 神奈川県,
    横浜市, a chamber of commerce, a bank). Kept per implementing organization so that each keeps its own
    contacts and notes."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=SupportOrganizationKind.choices)
    region = models.CharField(_("地域"), max_length=100, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)

    class Meta:
        verbose_name = _("支援機関")
        verbose_name_plural = pgettext_lazy("plural", "支援機関")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="support_organization_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SupportContact(models.Model):
    """A person to contact at a support organization."""

    support_organization = models.ForeignKey(
        SupportOrganization, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("支援機関")
    )
    name = models.CharField(_("氏名"), max_length=100)
    title = models.CharField(_("部署・役職"), max_length=200, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("支援機関の連絡先")
        verbose_name_plural = pgettext_lazy("plural", "支援機関の連絡先")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class KeyPerson(OrganizationOwnedModel):
    """A regional key person (地域キーマン) and what they committed to do for the program."""

    name = models.CharField(_("氏名"), max_length=100)
    affiliation = models.CharField(_("所属"), max_length=200, blank=True)
    support_organization = models.ForeignKey(
        SupportOrganization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_persons",
        verbose_name=_("支援機関"),
    )
    region = models.CharField(_("地域"), max_length=100, blank=True)
    commitment = models.TextField(_("約束していただいたこと"), blank=True)
    committed_on = models.DateField(_("約束の日"), null=True, blank=True)

    class Meta:
        verbose_name = _("地域キーマン")
        verbose_name_plural = pgettext_lazy("plural", "地域キーマン")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerAccount(OrganizationOwnedModel):
    """A user of a support organization (role partner): approves requests to its own schemes and sees
    nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_account",
        verbose_name=_("ユーザー"),
    )
    support_organization = models.ForeignKey(
        SupportOrganization,
        on_delete=models.PROTECT,
        related_name="partner_accounts",
        verbose_name=_("支援機関"),
    )

    class Meta:
        verbose_name = _("支援機関のアカウント")
        verbose_name_plural = pgettext_lazy("plural", "支援機関のアカウント")

    def __str__(self) -> str:
        return f"{self.user} ({self.support_organization})"
