from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ouentai.core.admin import OrganizationScopedAdmin
from ouentai.knowhow.models import Item


@admin.register(Item)
class ItemAdmin(OrganizationScopedAdmin):
    """Read-only here: items change through the console, which keeps the search index and audit log."""

    list_display = ["title", "kind", "visibility", "organization", "updated_at"]
    list_filter = ["kind", "visibility"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
