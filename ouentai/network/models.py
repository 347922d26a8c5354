"""Public support organizations (支援機関) the implementing organization works with: they co-host events
and, later, run dispatch schemes."""

from __future__ import annotations

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
