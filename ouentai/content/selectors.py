"""Reads of public content, always for one organization."""

from __future__ import annotations

from django.db.models import QuerySet

from ouentai.accounts.models import Organization
from ouentai.content.models import FaqEntry, NewsItem, PrivacyPolicy


def faq_public_list(*, organization: Organization, program_wide: bool = False) -> QuerySet[FaqEntry]:
    """Published entries that have an answer, in their order; with ``program_wide`` only those marked
    for the program-wide pages."""
    entries = FaqEntry.objects.filter(organization=organization, is_published=True).exclude(
        answer__regex=r"^\s*$"
    )
    return entries.filter(is_program_wide=True) if program_wide else entries


def faq_list(*, organization: Organization) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(organization=organization).select_related("source_inquiry")


def news_public_list(*, organization: Organization, program_wide: bool = False) -> QuerySet[NewsItem]:
    """Published news, newest first; with ``program_wide`` only those marked for the program-wide pages."""
    items = NewsItem.objects.filter(organization=organization, is_published=True)
    return items.filter(is_program_wide=True) if program_wide else items


def privacy_policy_current(*, organization: Organization) -> PrivacyPolicy | None:
    return (
        PrivacyPolicy.objects.filter(organization=organization, is_current=True)
        .select_related("organization")
        .first()
    )
