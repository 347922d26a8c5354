"""The Django admin's base for org admins (each sees and edits only their own organization's records),
and the admin pages of the platform's own records: the audit log and outgoing mail."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ouentai.core.mail import mail_resend
from ouentai.core.models import AuditEntry, OutgoingMail


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
            elif related is apps.get_model("accounts", "Organization"):
                kwargs["queryset"] = related._default_manager.filter(pk=organization_id or 0)
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


@admin.register(OutgoingMail)
class OutgoingMailAdmin(OrganizationScopedAdmin):
    """Outgoing mail, read-only, with one action: send again the mails the queue gave up on."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("送信失敗のメールを再送する"), permissions=["view"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = 0
        for mail in queryset.filter(status=OutgoingMail.Status.FAILED):
            mail_resend(mail=mail)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d件を再送します。", "%(n)d件を再送します。", count) % {"n": count},
            messages.SUCCESS,
        )
