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
