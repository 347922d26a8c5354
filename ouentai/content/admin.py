from django.contrib import admin

from ouentai.accounts.admin import OrganizationScopedAdmin
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy


@admin.register(FaqEntry)
class FaqEntryAdmin(OrganizationScopedAdmin):
    list_display = ["question", "position", "is_published"]
    exclude = ["organization"]


@admin.register(NewsItem)
class NewsItemAdmin(OrganizationScopedAdmin):
    list_display = ["title", "published_on", "is_published"]
    exclude = ["organization"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(OrganizationScopedAdmin):
    list_display = ["version", "effective_on", "is_current"]
    exclude = ["organization"]
