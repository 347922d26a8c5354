from django.contrib import admin

from ouentai.community.models import Application, Company, Contact, Inquiry
from ouentai.core.admin import OrganizationScopedAdmin


class ReadOnlyInboxAdmin(OrganizationScopedAdmin):
    """These records change only through the console's services (validated and audited), so the admin
    only shows them."""

    list_display = ["reference", "status", "assignee", "received_at", "due_on"]
    list_filter = ["status"]
    search_fields = ["reference", "email"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Application, ReadOnlyInboxAdmin)
admin.site.register(Inquiry, ReadOnlyInboxAdmin)


@admin.register(Company)
class CompanyAdmin(ReadOnlyInboxAdmin):
    list_display = ["name", "name_kana", "corporate_number", "prefecture", "city"]
    list_filter = ["industry"]
    search_fields = ["name", "name_kana", "corporate_number"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyInboxAdmin):
    list_display = ["name", "company", "email"]
    list_filter = []
    search_fields = ["name", "email"]
