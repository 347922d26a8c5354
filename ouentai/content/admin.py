from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ouentai.accounts.models import Organization
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy
from ouentai.content.services import content_changed, organization_may_publish_program_wide
from ouentai.core.admin import OrganizationScopedAdmin


class ContentAdmin(OrganizationScopedAdmin):
    """Public content edited in the admin shows on the cached public pages at once."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        content_changed(organization=obj.organization)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        organization = obj.organization
        super().delete_model(request, obj)
        content_changed(organization=organization)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        organizations = list(Organization.objects.filter(pk__in=queryset.values("organization_id")))
        super().delete_queryset(request, queryset)
        for organization in organizations:
            content_changed(organization=organization)


class ProgramWideContentAdmin(ContentAdmin):
    """Offers 「事業全体のページにも掲載する」 only to the organization that speaks for the program."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        user = request.user
        organization = obj.organization if obj is not None else getattr(user, "organization", None)
        if organization is None or not organization_may_publish_program_wide(organization):
            exclude.append("is_program_wide")
        return exclude


@admin.register(FaqEntry)
class FaqEntryAdmin(ProgramWideContentAdmin):
    list_display = ["question", "position", "is_published", "is_program_wide"]
    exclude = ["organization"]


@admin.register(NewsItem)
class NewsItemAdmin(ProgramWideContentAdmin):
    list_display = ["title", "published_on", "is_published", "is_program_wide"]
    exclude = ["organization"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(ContentAdmin):
    list_display = ["version", "effective_on", "is_current"]
    exclude = ["organization"]
