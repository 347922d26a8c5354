"""The Django admin, kept for org admins: each sees and edits only their own organization's records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.hosts import organization_hosts_changed
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.core.admin import OrganizationScopedAdmin
from ouentai.core.pagecache import pages_changed


class OrganizationAreaInline(admin.TabularInline):
    model = OrganizationArea
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    organization_field = "pk"
    list_display = ["name", "short_name", "kind", "is_default", "reply_due_business_days"]
    inlines = [OrganizationAreaInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk=getattr(request.user, "organization_id", None))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The host name needs DNS, TLS and ALLOWED_HOSTS set up by the operator: theirs to change.
        return () if request.user.is_superuser else ("public_host",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The organization's name, areas and host name show on the public pages: rebuild them."""
        super().save_related(request, form, formsets, change)
        organization_hosts_changed()
        pages_changed(organization_slug=form.instance.slug)


@admin.register(User)
class UserAdmin(OrganizationScopedAdmin, BaseUserAdmin):
    ordering = ["name"]
    list_display = ["email", "name", "organization", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "name", "name_kana"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("個人情報"), {"fields": ("name", "name_kana")}),
        (_("所属と役割"), {"fields": ("organization", "role", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "organization", "role", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An org admin cannot move people to another organization.
        return () if request.user.is_superuser else ("organization",)
