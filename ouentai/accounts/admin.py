"""The Django admin, kept for org admins: each sees and edits only their own organization's records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.core.models import AuditEntry


class OrganizationScopedAdmin(admin.ModelAdmin):
    """Restricts a model admin to the signed-in user's organization (superusers see everything)."""

    organization_field = "organization"
    # Web addresses typed without a scheme are https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return queryset
        return queryset.filter(**{self.organization_field: getattr(user, "organization_id", None)})

    # For a choice of related records that are not owned directly: field name → the lookup from the
    # related model to its organization (e.g. {"dimension": "questionnaire__organization"}).
    related_organization_paths: dict[str, str] = {}

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Related-record choices list only the user's own organization's records (and the organization
        itself), so that a form can never attach a record to another organization's."""
        user = request.user
        if not user.is_superuser:
            organization_id = getattr(user, "organization_id", None)
            related = db_field.related_model
            path = self.related_organization_paths.get(db_field.name)
            if path is not None:
                kwargs["queryset"] = related._default_manager.filter(**{path: organization_id})
            elif related is Organization:
                kwargs["queryset"] = Organization.objects.filter(pk=organization_id or 0)
            elif any(f.name == "organization" for f in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(organization_id=organization_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        related = db_field.related_model
        if not user.is_superuser and any(f.name == "organization" for f in related._meta.get_fields()):
            kwargs["queryset"] = related._default_manager.filter(
                organization_id=getattr(user, "organization_id", None)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser and self.organization_field == "organization":
            obj.organization_id = getattr(request.user, "organization_id", None)
        super().save_model(request, obj, form, change)


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


@admin.register(AuditEntry)
class AuditEntryAdmin(OrganizationScopedAdmin):
    """The audit log, read-only: entries are written by services and never changed."""

    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["target_repr", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
