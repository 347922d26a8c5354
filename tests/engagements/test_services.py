"""Engagement services: phases in any order with their history, closed engagements, KPIs reached or not
in both directions, the checklist and attachments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry
from ouentai.engagements import services
from ouentai.engagements.checklists import checklist_items_for
from ouentai.engagements.choices import EngagementStatus, KpiDirection, Phase
from ouentai.engagements.models import Attachment, ChecklistCheck, Engagement, Kpi, PhaseChange
from ouentai.engagements.services.engagements import MAX_ATTACHMENT_BYTES
from tests.accounts.factories import make_user
from tests.clock import clock_at
from tests.engagements.factories import KpiFactory

pytestmark = pytest.mark.django_db


def _audit(engagement: Engagement, action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(target_id=str(engagement.pk), action=action).order_by("created_at", "pk")
    )


# --- Phases -----------------------------------------------------------------------------------------


def test_phases_in_any_order_are_recorded_with_actor_and_time(
    engagement: Engagement, coordinator: User, staff: User
) -> None:
    moves = [
        (Phase.IMPLEMENTATION, coordinator, "ベンダーが決まっていたため"),
        (Phase.IT_STRATEGY, staff, "要件を見直す"),
        (Phase.OPERATION, coordinator, ""),
    ]
    for phase, actor, note in moves:
        engagement = services.engagement_set_phase(engagement=engagement, phase=phase, actor=actor, note=note)
    engagement.refresh_from_db()
    assert engagement.phase == Phase.OPERATION
    changes = list(PhaseChange.objects.filter(engagement=engagement).order_by("changed_at", "pk"))
    assert [(c.from_phase, c.to_phase) for c in changes] == [
        ("", Phase.STRATEGY),
        (Phase.STRATEGY, Phase.IMPLEMENTATION),
        (Phase.IMPLEMENTATION, Phase.IT_STRATEGY),
        (Phase.IT_STRATEGY, Phase.OPERATION),
    ]
    assert [c.actor for c in changes] == [coordinator, coordinator, staff, coordinator]
    assert changes[1].note == "ベンダーが決まっていたため"
    assert all(c.changed_at is not None for c in changes)
    assert [c.changed_at for c in changes] == sorted(c.changed_at for c in changes)
    entries = _audit(engagement, "engagements.engagement.phase_changed")
    assert [(e.details["from"], e.details["to"], e.actor) for e in entries] == [
        (Phase.STRATEGY, Phase.IMPLEMENTATION, coordinator),
        (Phase.IMPLEMENTATION, Phase.IT_STRATEGY, staff),
        (Phase.IT_STRATEGY, Phase.OPERATION, coordinator),
    ]


def test_moving_to_the_same_phase_records_nothing(engagement: Engagement, coordinator: User) -> None:
    before = PhaseChange.objects.count(), AuditEntry.objects.count()
    services.engagement_set_phase(engagement=engagement, phase=Phase.STRATEGY, actor=coordinator)
    assert (PhaseChange.objects.count(), AuditEntry.objects.count()) == before


def test_unknown_phase_refused(engagement: Engagement, coordinator: User) -> None:
    with pytest.raises(DomainError) as info:
        services.engagement_set_phase(engagement=engagement, phase="monitoring", actor=coordinator)
    assert info.value.field == "phase"


@pytest.mark.parametrize("status", [EngagementStatus.COMPLETED, EngagementStatus.WITHDRAWN])
def test_closed_engagement_refuses_phase_changes(
    engagement: Engagement, coordinator: User, status: str
) -> None:
    services.engagement_set_status(engagement=engagement, status=status, actor=coordinator)
    with pytest.raises(DomainError) as info:
        services.engagement_set_phase(engagement=engagement, phase=Phase.OPERATION, actor=coordinator)
    assert info.value.code == "engagement.closed"
    engagement.refresh_from_db()
    assert engagement.phase == Phase.STRATEGY
    assert PhaseChange.objects.filter(engagement=engagement).count() == 1
    # Taken up again, it moves.
    services.engagement_set_status(engagement=engagement, status=EngagementStatus.ACTIVE, actor=coordinator)
    services.engagement_set_phase(engagement=engagement, phase=Phase.OPERATION, actor=coordinator)
    engagement.refresh_from_db()
    assert engagement.phase == Phase.OPERATION


def test_completion_day_is_kept_and_cleared_when_reopened(engagement: Engagement, coordinator: User) -> None:
    with clock_at(dt.date(2027, 3, 31)):
        services.engagement_set_status(
            engagement=engagement, status=EngagementStatus.COMPLETED, actor=coordinator
        )
    engagement.refresh_from_db()
    assert engagement.completed_on == dt.date(2027, 3, 31)
    with clock_at(dt.date(2027, 4, 2)):
        services.engagement_set_status(
            engagement=engagement, status=EngagementStatus.ACTIVE, actor=coordinator
        )
    engagement.refresh_from_db()
    assert engagement.completed_on is None
    # Completed again just after midnight of 1 April in Tokyo: counted in the new fiscal year.
    with clock_at(dt.datetime(2027, 3, 31, 15, 5, tzinfo=dt.UTC)):
        services.engagement_set_status(
            engagement=engagement, status=EngagementStatus.COMPLETED, actor=coordinator
        )
    engagement.refresh_from_db()
    assert engagement.completed_on == dt.date(2027, 4, 1)


def test_on_hold_engagement_may_still_move(engagement: Engagement, coordinator: User) -> None:
    services.engagement_set_status(engagement=engagement, status=EngagementStatus.ON_HOLD, actor=coordinator)
    services.engagement_set_phase(engagement=engagement, phase=Phase.PROCUREMENT, actor=coordinator)
    engagement.refresh_from_db()
    assert engagement.phase == Phase.PROCUREMENT


def test_create_midway_records_entry_phase(
    yokohama: Organization, engagement: Engagement, coordinator: User
) -> None:
    midway = services.engagement_create(
        organization=yokohama,
        company=engagement.company,
        data=services.EngagementData(
            title="導入から支援", lead_id=coordinator.pk, started_on=dt.date(2026, 11, 1)
        ),
        phase=Phase.IMPLEMENTATION,
        actor=coordinator,
    )
    change = PhaseChange.objects.get(engagement=midway)
    assert (change.from_phase, change.to_phase, change.actor) == ("", Phase.IMPLEMENTATION, coordinator)


def test_lead_must_be_a_console_user_of_the_organization(
    yokohama: Organization, kawasaki_staff: User, engagement: Engagement, member: User, coordinator: User
) -> None:
    for lead in (kawasaki_staff, member):
        with pytest.raises(DomainError) as info:
            services.engagement_create(
                organization=yokohama,
                company=engagement.company,
                data=services.EngagementData(title="案件", lead_id=lead.pk, started_on=dt.date(2026, 11, 1)),
                actor=coordinator,
            )
        assert info.value.field == "lead"


# --- KPIs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "reached"),
    [(None, None), ("1100", False), ("1199.99", False), ("1200", True), ("1350", True)],
)
def test_increase_kpi_reached(
    engagement: Engagement, coordinator: User, latest: str | None, reached: bool | None
) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator)
    assert services.kpi_reached(kpi, None if latest is None else Decimal(latest)) is reached


@pytest.mark.parametrize(
    ("latest", "reached"),
    [(None, None), ("30", False), ("10.01", False), ("10", True), ("8", True)],
)
def test_decrease_kpi_reached(
    engagement: Engagement, coordinator: User, latest: str | None, reached: bool | None
) -> None:
    kpi = KpiFactory.create(
        engagement=engagement,
        actor=coordinator,
        name="受注処理時間",
        unit="分",
        direction=KpiDirection.DECREASE,
        baseline_value=Decimal("40"),
        target_value=Decimal("10"),
    )
    assert services.kpi_reached(kpi, None if latest is None else Decimal(latest)) is reached


def test_kpi_measurements_and_progress(engagement: Engagement, coordinator: User) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator)
    assert services.kpi_progress(kpi, None) is None
    services.kpi_measure(kpi=kpi, measured_on=dt.date(2027, 1, 31), value=Decimal("1100"), actor=coordinator)
    measurement = services.kpi_measure(
        kpi=kpi, measured_on=dt.date(2027, 3, 31), value=Decimal("1150"), actor=coordinator, note="春の繁忙期"
    )
    latest = kpi.measurements.order_by("-measured_on").first()
    assert latest == measurement
    assert services.kpi_progress(kpi, latest.value) == Decimal("75.0")
    assert services.kpi_reached(kpi, latest.value) is False
    entries = _audit(engagement, "engagements.kpi.measured")
    assert [e.details["value"] for e in entries] == ["1100", "1150"]


def test_measurement_before_baseline_refused(engagement: Engagement, coordinator: User) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator)
    with pytest.raises(DomainError) as info:
        services.kpi_measure(kpi=kpi, measured_on=dt.date(2026, 9, 1), value=Decimal("1"), actor=coordinator)
    assert info.value.field == "measured_on"


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [
        (KpiDirection.INCREASE, "1000", "900"),
        (KpiDirection.INCREASE, "1000", "1000"),
        (KpiDirection.DECREASE, "40", "50"),
        (KpiDirection.DECREASE, "40", "40"),
    ],
)
def test_kpi_save_refuses_target_in_the_wrong_direction(
    engagement: Engagement, coordinator: User, direction: str, baseline: str, target: str
) -> None:
    with pytest.raises(DomainError) as info:
        KpiFactory.create(
            engagement=engagement,
            actor=coordinator,
            direction=direction,
            baseline_value=Decimal(baseline),
            target_value=Decimal(target),
        )
    assert info.value.code == "kpi.target_direction"
    assert info.value.field == "target_value"
    assert not Kpi.objects.exists()


def test_kpi_save_refuses_target_date_before_baseline(engagement: Engagement, coordinator: User) -> None:
    with pytest.raises(DomainError) as info:
        KpiFactory.create(engagement=engagement, actor=coordinator, target_on=dt.date(2026, 9, 30))
    assert info.value.field == "target_on"


def test_kpi_of_another_engagement_refused(
    yokohama: Organization, engagement: Engagement, coordinator: User
) -> None:
    kpi = KpiFactory.create(engagement=engagement, actor=coordinator)
    other = services.engagement_create(
        organization=yokohama,
        company=engagement.company,
        data=services.EngagementData(title="別案件", lead_id=coordinator.pk, started_on=dt.date(2026, 11, 1)),
        actor=coordinator,
    )
    data = services.KpiData(
        name="売上高",
        unit="万円",
        direction=KpiDirection.INCREASE,
        baseline_value=Decimal("1"),
        baseline_on=dt.date(2026, 10, 1),
        target_value=Decimal("2"),
        target_on=dt.date(2027, 10, 1),
    )
    with pytest.raises(DomainError):
        services.kpi_save(engagement=other, data=data, kpi=kpi, actor=coordinator)


# --- Checklist ----------------------------------------------------------------------------------------


def test_checklist_toggling(engagement: Engagement, coordinator: User, yokohama: Organization) -> None:
    items = checklist_items_for(yokohama)
    assert {item.phase for item in items} == set(Phase.values)
    item = next(item for item in items if item.phase == Phase.STRATEGY)
    services.checklist_set(engagement=engagement, item=item, done=True, actor=coordinator)
    services.checklist_set(engagement=engagement, item=item, done=True, actor=coordinator)  # twice: once
    check = ChecklistCheck.objects.get(engagement=engagement, item=item)
    assert check.done_by == coordinator
    assert len(_audit(engagement, "engagements.checklist.checked")) == 1
    services.checklist_set(engagement=engagement, item=item, done=False, actor=coordinator)
    services.checklist_set(engagement=engagement, item=item, done=False, actor=coordinator)
    assert not ChecklistCheck.objects.filter(engagement=engagement).exists()
    assert len(_audit(engagement, "engagements.checklist.unchecked")) == 1


def test_checklist_item_of_another_organization_refused(
    engagement: Engagement, coordinator: User, kawasaki: Organization
) -> None:
    item = checklist_items_for(kawasaki)[0]
    with pytest.raises(DomainError):
        services.checklist_set(engagement=engagement, item=item, done=True, actor=coordinator)
    assert not ChecklistCheck.objects.exists()


def test_checklist_items_are_the_organizations_own(yokohama: Organization, kawasaki: Organization) -> None:
    first = checklist_items_for(yokohama)
    again = checklist_items_for(yokohama)
    assert [i.pk for i in first] == [i.pk for i in again]
    assert not {i.pk for i in first} & {i.pk for i in checklist_items_for(kawasaki)}


# --- Attachments --------------------------------------------------------------------------------------


def test_attachment_stored_and_removed(
    engagement: Engagement, coordinator: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("見積書（第2版）.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = services.attachment_add(engagement=engagement, upload=upload, actor=coordinator)
    assert attachment.name == "見積書（第2版）.pdf"
    assert attachment.size == len(b"%PDF-1.4 test")
    name = attachment.file.name or ""
    path = Path(settings.MEDIA_ROOT) / name
    assert path.read_bytes() == b"%PDF-1.4 test"
    assert name.startswith(f"engagements/{engagement.organization_id}/")
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, actor=coordinator)
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert [e.details["name"] for e in _audit(engagement, "engagements.attachment.removed")] == [
        "見積書（第2版）.pdf"
    ]


def test_attachment_size_limit(engagement: Engagement, coordinator: User, settings: Any) -> None:
    too_big = SimpleUploadedFile("大きい.zip", b"0" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(DomainError) as info:
        services.attachment_add(engagement=engagement, upload=too_big, actor=coordinator)
    assert info.value.code == "attachment.too_large"
    empty = SimpleUploadedFile("空.txt", b"")
    with pytest.raises(DomainError) as info:
        services.attachment_add(engagement=engagement, upload=empty, actor=coordinator)
    assert info.value.code == "attachment.empty"
    assert not Attachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_exactly_the_limit_is_accepted(engagement: Engagement, coordinator: User) -> None:
    upload = SimpleUploadedFile("ちょうど.bin", b"0" * MAX_ATTACHMENT_BYTES)
    attachment = services.attachment_add(engagement=engagement, upload=upload, actor=coordinator)
    assert attachment.size == MAX_ATTACHMENT_BYTES


def test_members_are_kept_on_update(
    engagement: Engagement, coordinator: User, yokohama: Organization
) -> None:
    helper = make_user(yokohama, Role.COORDINATOR, name="佐藤 次郎")
    services.engagement_update(
        engagement=engagement,
        data=services.EngagementData(
            title=engagement.title,
            lead_id=coordinator.pk,
            started_on=engagement.started_on,
            target_on=engagement.target_on,
            member_ids=(helper.pk,),
        ),
        actor=coordinator,
    )
    assert list(engagement.members.all()) == [helper]
    entry = _audit(engagement, "engagements.engagement.updated")[-1]
    assert entry.details["changed"] == ["challenges", "strategy"]


def test_attachment_remove_decides_who_may_remove(
    engagement: Engagement, coordinator: User, staff: User, yokohama: Organization, kawasaki: Organization
) -> None:
    """The service, not the page, decides (issue 12): staff, org admins and the lead; not another
    coordinator, not another organization's staff."""

    def add() -> Attachment:
        upload = SimpleUploadedFile("議事録.txt", b"minutes")
        return services.attachment_add(engagement=engagement, upload=upload, actor=coordinator)

    attachment = add()
    for outsider in (make_user(yokohama, Role.COORDINATOR), make_user(kawasaki, Role.STAFF)):
        assert not services.attachment_may_remove(user=outsider, engagement=engagement)
        with pytest.raises(DomainError) as refused:
            services.attachment_remove(attachment=attachment, actor=outsider)
        assert refused.value.code == "attachment.remove_forbidden"
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert not _audit(engagement, "engagements.attachment.removed")
    for allowed in (coordinator, staff, make_user(yokohama, Role.ORG_ADMIN)):
        assert services.attachment_may_remove(user=allowed, engagement=engagement)
        services.attachment_remove(attachment=add(), actor=allowed)
    assert Attachment.objects.filter(pk=attachment.pk).exists() and Attachment.objects.count() == 1
