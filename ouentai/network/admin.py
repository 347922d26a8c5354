from django.contrib import admin

from ouentai.core.admin import OrganizationScopedAdmin
from ouentai.network.models import PartnerAccount, SupportOrganization


@admin.register(SupportOrganization)
class SupportOrganizationAdmin(OrganizationScopedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "region"]


@admin.register(PartnerAccount)
class PartnerAccountAdmin(OrganizationScopedAdmin):
    """Which user (role 支援機関の担当者) acts for which support organization: they approve its schemes'
    dispatch requests and see nothing else."""

    list_display = ["user", "support_organization"]
    list_filter = ["support_organization"]
