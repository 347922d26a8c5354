from django.contrib import admin

from ouentai.accounts.admin import OrganizationScopedAdmin
from ouentai.network.models import SupportOrganization


@admin.register(SupportOrganization)
class SupportOrganizationAdmin(OrganizationScopedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "region"]
