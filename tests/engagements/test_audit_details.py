"""Audit details read in words on record pages: key labels, choice codes as their labels, changed
fields by their names."""

import datetime as dt

import pytest

from ouentai.core.audit import audit_details, audit_entries_for
from ouentai.engagements import services
from tests.core.test_audit_pages import assert_in_words

pytestmark = pytest.mark.django_db


def test_phase_change_and_field_changes_read_in_japanese(engagement, coordinator):
    services.engagement_set_phase(
        engagement=engagement, phase="implementation", actor=coordinator, note="途中から"
    )
    services.engagement_update(
        engagement=engagement,
        data=services.EngagementData(
            title="新しい案件名",
            lead_id=coordinator.pk,
            started_on=dt.date(2026, 10, 1),
            target_on=dt.date(2027, 3, 31),
        ),
        actor=coordinator,
    )
    entries = {e.action: audit_details(e) for e in audit_entries_for(engagement)}
    assert entries["engagements.engagement.phase_changed"] == [
        ("変更前", "経営戦略"),
        ("変更後", "IT導入"),
        ("メモ", "途中から"),
    ]
    changed = dict(entries["engagements.engagement.updated"])["変更した項目"]
    assert "案件名" in changed and "title" not in changed


def test_record_page_shows_words_not_codes(client, staff, engagement, coordinator):
    services.engagement_set_phase(engagement=engagement, phase="operation", actor=coordinator)
    client.force_login(staff)
    page = client.get(f"/console/engagements/{engagement.pk}/").content.decode()
    assert "変更後：ITサービス活用" in page
    assert "to=operation" not in page


def test_engagement_page(client, staff, coordinator, engagement):
    services.engagement_set_phase(engagement=engagement, phase="implementation", actor=coordinator)
    services.note_add(engagement=engagement, body="キックオフの議事録を共有", actor=coordinator)
    client.force_login(staff)
    html = client.get(f"/console/engagements/{engagement.pk}/").content.decode()
    assert_in_words(html, "フェーズを変更", "変更後：IT導入", "メモを追加", "メモ：キックオフの議事録を共有")
