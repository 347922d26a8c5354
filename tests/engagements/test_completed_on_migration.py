"""Migration engagements 0004 gives each completed engagement the day of its last completion in the audit
trail, and the day it was last changed when the trail has none; other engagements stay without a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.migrations import back_to_the_latest, migrate_to  # noqa: F401 (a fixture)

# Every app back at its newest migration after each test (tests.migrations).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("back_to_the_latest")]

# The other apps at their newest, so that the historical models match the tables.
NEWEST = [("core", "0009_search_digit_runs"), ("community", "0020_company_search_entries")]
BEFORE = [("engagements", "0003_engagement_completed_on"), *NEWEST]
AFTER = [("engagements", "0004_engagement_completed_on_backfill"), *NEWEST]


_migrate = migrate_to


def _tokyo(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_completed_engagements_get_the_day_of_their_last_completion() -> None:
    old = _migrate(BEFORE)
    Engagement = old.get_model("engagements", "Engagement")  # type: ignore[attr-defined]
    Company = old.get_model("community", "Company")  # type: ignore[attr-defined]
    AuditEntry = old.get_model("core", "AuditEntry")  # type: ignore[attr-defined]
    ContentType = old.get_model("contenttypes", "ContentType")  # type: ignore[attr-defined]
    organization = OrganizationFactory.create()
    lead = UserFactory.create(organization=organization)
    company = Company.objects.create(organization_id=organization.pk, name="株式会社みなと精機")

    def engagement(title: str, status: str) -> object:
        return Engagement.objects.create(
            organization_id=organization.pk,
            company=company,
            title=title,
            lead_id=lead.pk,
            started_on=dt.date(2025, 4, 1),
            status=status,
        )

    reopened = engagement("再開して完了", "completed")
    imported = engagement("取り込み", "completed")
    active = engagement("進行中", "active")
    content_type, _ = ContentType.objects.get_or_create(app_label="engagements", model="engagement")
    # Completed at 23:30 UTC on 31 March: 1 April in Tokyo, the next fiscal year.
    for moment, to in (
        (dt.datetime(2026, 2, 1, 3, tzinfo=dt.UTC), "completed"),
        (dt.datetime(2026, 2, 10, 3, tzinfo=dt.UTC), "active"),
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), "completed"),
    ):
        entry = AuditEntry.objects.create(
            organization_id=organization.pk,
            action="engagements.engagement.status_changed",
            target_type=content_type,
            target_id=str(reopened.pk),  # type: ignore[attr-defined]
            target_repr="再開して完了",
            details={"to": to},
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=moment)
    Engagement.objects.filter(pk=imported.pk).update(updated_at=_tokyo(dt.date(2025, 12, 24), 10))  # type: ignore[attr-defined]

    _migrate(AFTER)
    from ouentai.engagements.models import Engagement as EngagementNow

    dates = dict(EngagementNow.objects.values_list("title", "completed_on"))
    assert dates == {"再開して完了": dt.date(2026, 4, 1), "取り込み": dt.date(2025, 12, 24), "進行中": None}
    assert active is not None
