from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy
from ouentai.content.services import content_changed
from ouentai.core.admin import OrganizationScopedAdmin


class ContentAdmin(OrganizationScopedAdmin):
    """Public content edited in the admin shows on the cached public pages at once."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        content_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        content_changed()


@admin.register(FaqEntry)
class FaqEntryAdmin(ContentAdmin):
    list_display = ["question", "position", "is_published"]
    exclude = ["organization"]


@admin.register(NewsItem)
class NewsItemAdmin(ContentAdmin):
    list_display = ["title", "published_on", "is_published"]
    exclude = ["organization"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(ContentAdmin):
    list_display = ["version", "effective_on", "is_current"]
    exclude = ["organization"]
