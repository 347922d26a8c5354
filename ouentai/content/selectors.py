"""Reads of public content, always for one organization."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from ouentai.accounts.models import Organization
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy


def faq_public_list(*, organization: Organization) -> QuerySet[FaqEntry]:
    """Published entries that have an answer, in their order."""
    return FaqEntry.objects.filter(organization=organization, is_published=True).exclude(
        answer__regex=r"^\s*$"
    )


def faq_list(*, organization: Organization) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(organization=organization).select_related("source_inquiry")


def news_public_list(*, organization: Organization) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(organization=organization, is_published=True)


def privacy_policy_current(*, organization: Organization) -> PrivacyPolicy | None:
    return PrivacyPolicy.objects.filter(organization=organization, is_current=True).first()


CONTENT_VERSION_KEY = "content:version"


def content_version() -> int:
    """A number that changes whenever public content changes (pages cached with it in their key)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(CONTENT_VERSION_KEY, version, None)
    return int(version)
