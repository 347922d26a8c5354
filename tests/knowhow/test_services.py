"""The know-how library's rules, against the database: who sees which item (in the list, on its
page, its files and in search), who may change it, versions of its file, engagement links, the search
entry, and the audit log in words."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_entries_for, audit_rows
from ouentai.core.errors import DomainError
from ouentai.core.models import AuditEntry, SearchEntry
from ouentai.knowhow import selectors, services
from ouentai.knowhow.choices import MAX_TAG_LENGTH, MAX_TAGS, ItemKind, Visibility
from ouentai.knowhow.models import Item, ItemFile
from ouentai.knowhow.selectors import ITEM_SEARCH_KIND, ItemFilters
from tests.accounts.factories import make_user
from tests.engagements.factories import EngagementFactory
from tests.knowhow.factories import ItemFactory, upload

pytestmark = pytest.mark.django_db


def ids(queryset: Any) -> set[int]:
    return {item.pk for item in queryset}


# --- Visibility ----------------------------------------------------------------------------------------


@pytest.fixture
def items(
    yokohama: Organization, kawasaki: Organization, staff: User, kawasaki_staff: User
) -> dict[str, Item]:
    """One item per organization and visibility, all holding the word 在庫 in their title."""
    made = {}
    for (slug, org, author), visibility in itertools.product(
        [("yokohama", yokohama, staff), ("kawasaki", kawasaki, kawasaki_staff)], Visibility.values
    ):
        made[f"{slug}-{visibility}"] = ItemFactory.create(
            organization=org, actor=author, visibility=visibility, title=f"在庫の棚卸し {slug} {visibility}",
            file=upload(),
        )  # fmt: skip
    return made


def expected_visible(viewer: User | None, item: Item) -> bool:
    """The rule, written apart from the selector: console users see their own organization's items and
    every shared one; experts and partners the shared ones; everyone else the public ones."""
    if item.visibility == Visibility.PUBLIC:
        return True
    if viewer is None:
        return False
    if viewer.role in (Role.ORG_ADMIN, Role.STAFF, Role.COORDINATOR):
        return item.organization_id == viewer.organization_id or item.visibility == Visibility.PLATFORM
    if viewer.role in (Role.EXPERT, Role.PARTNER):
        return item.visibility == Visibility.PLATFORM
    return False


VIEWER_ROLES = [None, Role.MEMBER, Role.EXPERT, Role.PARTNER, Role.COORDINATOR, Role.STAFF, Role.ORG_ADMIN]


def test_other_organizations_own_only_item_is_never_visible(items: dict[str, Item], staff: User) -> None:
    secret = items["kawasaki-organization"]
    assert selectors.item_get(user=staff, pk=secret.pk) is None
    assert secret.pk not in ids(selectors.item_list(user=staff, filters=ItemFilters()))
    assert secret.pk not in ids(selectors.item_list(user=staff, filters=ItemFilters(q="在庫")))
    assert secret.pk not in ids(selectors.item_list(user=staff, filters=ItemFilters(q="kawasaki")))
    assert secret.pk not in ids(selectors.item_public_list(filters=ItemFilters(q="在庫")))
    assert selectors.item_public_get(pk=secret.pk) is None
    # Its own organization finds it, by search too (the index holds every item).
    kawasaki_staff = User.objects.get(email="staff@kawasaki.example.jp")
    assert secret.pk in ids(selectors.item_list(user=kawasaki_staff, filters=ItemFilters(q="在庫")))
    # Shared items of the other organization are visible to staff.
    assert items["kawasaki-platform"].pk in ids(
        selectors.item_list(user=staff, filters=ItemFilters(q="在庫"))
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(VIEWER_ROLES), org_slug=st.sampled_from(["yokohama", "kawasaki"]))
def test_visibility_is_the_same_in_list_page_search_and_tags(
    items: dict[str, Item], role: str | None, org_slug: str
) -> None:
    viewer = None
    if role is not None:
        org = Organization.objects.get(slug=org_slug)
        viewer = User.objects.filter(organization=org, role=role).first() or make_user(org, role)
    expected = {item.pk for item in items.values() if expected_visible(viewer, item)}
    assert ids(selectors.item_list(user=viewer, filters=ItemFilters())) == expected
    assert ids(selectors.item_list(user=viewer, filters=ItemFilters(q="棚卸"))) == expected
    assert {
        pk for pk in (item.pk for item in items.values()) if selectors.item_get(user=viewer, pk=pk)
    } == expected
    # Public pages show public items only, whoever reads them.
    public = {item.pk for item in items.values() if item.visibility == Visibility.PUBLIC}
    assert ids(selectors.item_public_list(filters=ItemFilters(q="在庫"))) == public


def test_tags_are_listed_only_through_visible_items(
    yokohama: Organization, kawasaki: Organization, staff: User
) -> None:
    ItemFactory.create(organization=kawasaki, tags=("社外秘タグ",))
    ItemFactory.create(organization=yokohama, actor=staff, tags=("在庫",), visibility=Visibility.PUBLIC)
    assert selectors.tag_choices(user=staff) == ["在庫"]
    assert selectors.tag_choices(user=None) == ["在庫"]
    assert ids(selectors.item_list(user=staff, filters=ItemFilters(tag="社外秘タグ"))) == set()


# --- Search --------------------------------------------------------------------------------------------


def test_search_finds_two_character_words_and_ranks_title_above_summary_above_body(
    yokohama: Organization, staff: User
) -> None:
    in_body = ItemFactory.create(
        organization=yokohama, actor=staff, title="導入の手引き", body="在庫の数え方"
    )
    in_summary = ItemFactory.create(
        organization=yokohama, actor=staff, title="手順書", summary="在庫を減らす"
    )
    in_title = ItemFactory.create(organization=yokohama, actor=staff, title="在庫チェックリスト")
    tagged = ItemFactory.create(organization=yokohama, actor=staff, title="見積もり依頼", tags=("RFP",))
    found = list(selectors.item_list(user=staff, filters=ItemFilters(q="在庫")))
    assert [item.pk for item in found] == [in_title.pk, in_summary.pk, in_body.pk]
    assert [item.pk for item in selectors.item_list(user=staff, filters=ItemFilters(q="rfp"))] == [tagged.pk]
    assert [item.pk for item in selectors.item_list(user=staff, filters=ItemFilters(q="ざいこ"))] == []


def test_index_follows_create_update_and_delete(yokohama: Organization, staff: User) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff, title="受発注の教訓")
    entry = SearchEntry.objects.get(kind=ITEM_SEARCH_KIND, object_id=item.pk)
    assert entry.organization_id == yokohama.pk
    services.item_update(
        item=item,
        data=services.ItemData(
            kind=ItemKind.LESSON, title="EDI化の教訓", tags=("受発注",), visibility=Visibility.PUBLIC
        ),
        actor=staff,
    )
    assert ids(selectors.item_public_list(filters=ItemFilters(q="EDI"))) == {item.pk}
    assert ids(selectors.item_public_list(filters=ItemFilters(q="受発注"))) == {item.pk}  # the tag
    services.item_set_visibility(item=item, visibility=Visibility.ORGANIZATION, actor=staff)
    assert ids(selectors.item_public_list(filters=ItemFilters(q="EDI"))) == set()
    services.item_delete(item=item, actor=staff)
    assert not SearchEntry.objects.filter(kind=ITEM_SEARCH_KIND, object_id=item.pk).exists()


# --- Who may change an item ----------------------------------------------------------------------------


def test_only_the_items_organization_may_change_it(
    yokohama: Organization, staff: User, coordinator: User, kawasaki_staff: User
) -> None:
    item = ItemFactory.create(
        organization=yokohama, actor=staff, visibility=Visibility.PLATFORM, file=upload()
    )
    data = services.ItemData(kind=ItemKind.RFP, title="書き換え", visibility=Visibility.PUBLIC)
    for attempt in (
        lambda: services.item_update(item=item, data=data, actor=kawasaki_staff),
        lambda: services.item_file_add(item=item, upload=upload(), actor=kawasaki_staff),
        lambda: services.item_set_engagements(item=item, engagement_ids=[], actor=kawasaki_staff),
        lambda: services.item_delete(item=item, actor=kawasaki_staff),
    ):
        with pytest.raises(DomainError):
            attempt()
    # A coordinator of the organization edits, but deletes only their own items.
    services.item_update(item=item, data=data, actor=coordinator)
    with pytest.raises(DomainError) as refused:
        services.item_delete(item=item, actor=coordinator)
    assert refused.value.code == "knowhow.delete_forbidden"
    own = ItemFactory.create(organization=yokohama, actor=coordinator)
    services.item_delete(item=own, actor=coordinator)
    item.refresh_from_db()
    assert (item.title, item.visibility, item.files.count()) == ("書き換え", Visibility.PUBLIC, 1)


def test_nobody_creates_items_for_another_organization(kawasaki: Organization, staff: User) -> None:
    with pytest.raises(DomainError):
        ItemFactory.create(organization=kawasaki, actor=staff)
    assert not Item.objects.exists()


def test_data_is_checked(yokohama: Organization, staff: User) -> None:
    for data, code in [
        (services.ItemData(kind=ItemKind.RFP, title="  "), "knowhow.title_empty"),
        (services.ItemData(kind="poster", title="A"), "knowhow.kind"),
        (services.ItemData(kind=ItemKind.RFP, title="A", visibility="world"), "knowhow.visibility"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.item_create(organization=yokohama, data=data, actor=staff)
        assert refused.value.code == code
    assert not Item.objects.exists()


# --- Versions ------------------------------------------------------------------------------------------


def test_new_versions_keep_the_earlier_ones(yokohama: Organization, staff: User, coordinator: User) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff, file=upload("a.md", "第1版"), note="初版")
    second = services.item_file_add(item=item, upload=upload("a.md", "第2版"), note="改訂", actor=coordinator)
    assert second.number == 2
    latest = selectors.item_file_get(item=item)
    first = selectors.item_file_get(item=item, number=1)
    assert latest is not None and first is not None
    assert (latest.number, latest.note, latest.uploaded_by) == (2, "改訂", coordinator)
    assert latest.file.read().decode() == "第2版"
    assert first.file.read().decode() == "第1版"
    assert selectors.item_file_get(item=item, number=3) is None


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=1, max_value=6))
def test_versions_are_numbered_one_after_another(yokohama: Organization, staff: User, count: int) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff)
    for n in range(count):
        services.item_file_add(item=item, upload=upload(content=f"v{n + 1}"), actor=staff)
    assert list(
        ItemFile.objects.filter(item=item).order_by("number").values_list("number", flat=True)
    ) == list(range(1, count + 1))
    latest = selectors.item_file_get(item=item)
    assert latest is not None and latest.file.read().decode() == f"v{count}"


def test_files_follow_the_attachment_rules(
    yokohama: Organization, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff)
    with pytest.raises(DomainError) as empty:
        services.item_file_add(item=item, upload=upload(content=""), actor=staff)
    assert (empty.value.code, str(empty.value.message)) == (
        "attachment.empty",
        "空のファイルは添付できません。",
    )
    monkeypatch.setattr("ouentai.knowhow.services.MAX_ATTACHMENT_BYTES", 5)
    with pytest.raises(DomainError) as large:
        services.item_file_add(item=item, upload=upload(content="123456"), actor=staff)
    assert large.value.code == "attachment.too_large"
    assert not item.files.exists()


def test_delete_takes_the_files_from_storage(
    yokohama: Organization, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff, file=upload())
    version = item.files.get()
    storage, path = version.file.storage, str(version.file.name)
    assert storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=item, actor=staff)
    assert not storage.exists(path)
    assert not Item.objects.exists()


# --- Tags ----------------------------------------------------------------------------------------------


def test_tags_are_normalized_and_deduplicated() -> None:
    assert services.tags_parse("在庫、ＲＦＰ, #受発注  rfp ｶｲｹｲ") == ("在庫", "RFP", "受発注", "カイケイ")
    assert services.tags_parse("") == ()


@given(st.lists(st.text(alphabet="在庫ABCabc受発注 、,#", min_size=0, max_size=40), max_size=15))
def test_tags_parse_keeps_its_limits(pieces: list[str]) -> None:
    text = "、".join(pieces)
    try:
        tags = services.tags_parse(text)
    except DomainError as error:
        assert error.code in {"knowhow.tags_many", "knowhow.tag_long"}
        return
    assert len(tags) <= MAX_TAGS
    assert all(0 < len(tag) <= MAX_TAG_LENGTH and not tag.startswith("#") for tag in tags)
    assert len({tag.casefold() for tag in tags}) == len(tags)


# --- Engagements ---------------------------------------------------------------------------------------


def test_engagement_links_stay_within_the_organization(
    yokohama: Organization, kawasaki: Organization, staff: User, kawasaki_staff: User
) -> None:
    own = EngagementFactory.create(organization=yokohama)
    other = EngagementFactory.create(organization=kawasaki)
    item = ItemFactory.create(organization=yokohama, actor=staff, visibility=Visibility.PLATFORM)
    with pytest.raises(DomainError) as refused:
        services.item_set_engagements(item=item, engagement_ids=[own.pk, other.pk], actor=staff)
    assert refused.value.code == "knowhow.engagement_other"
    services.item_set_engagements(item=item, engagement_ids=[own.pk], actor=staff)
    assert selectors.item_engagements(user=staff, item=item) == [own]
    # Kawasaki's staff see the shared item, not the engagement it was used in.
    assert selectors.item_get(user=kawasaki_staff, pk=item.pk) is not None
    assert selectors.item_engagements(user=kawasaki_staff, item=item) == []
    assert selectors.item_engagements(user=None, item=item) == []


# --- Audit ---------------------------------------------------------------------------------------------


def test_every_change_is_in_the_audit_log_in_words(yokohama: Organization, staff: User) -> None:
    engagement = EngagementFactory.create(organization=yokohama)
    item = ItemFactory.create(organization=yokohama, actor=staff, title="RFPひな形", file=upload())
    services.item_update(
        item=item,
        data=services.ItemData(
            kind=ItemKind.RFP, title="RFPひな形（改訂）", tags=("RFP",), visibility=Visibility.PUBLIC
        ),
        actor=staff,
    )
    services.item_file_add(item=item, upload=upload(), note="様式を更新", actor=staff)
    services.item_set_engagements(item=item, engagement_ids=[engagement.pk], actor=staff)
    entries = list(audit_entries_for(item))
    actions = [entry.action for entry in reversed(entries)]
    assert actions == [
        "knowhow.item.created",
        "knowhow.item.file_added",
        "knowhow.item.updated",
        "knowhow.item.visibility_changed",
        "knowhow.item.file_added",
        "knowhow.item.engagements_set",
    ]
    visibility = next(entry for entry in entries if entry.action == "knowhow.item.visibility_changed")
    assert visibility.details == {"from": "organization", "to": "public"}
    assert all(entry.actor == staff for entry in entries)
    words = {row.label: dict(row.details) for row in audit_rows(entries)}
    assert words["ノウハウの公開範囲を変更"] == {"変更前": "自組織のみ", "変更後": "一般公開"}
    assert words["ノウハウを使った支援案件を設定"]["追加"] == engagement.title
    pk = item.pk
    services.item_delete(item=item, actor=staff)
    deleted = AuditEntry.objects.filter(target_id=str(pk), action="knowhow.item.deleted").get()
    assert (deleted.actor, deleted.details) == (staff, {"title": "RFPひな形（改訂）", "files": 2})


def test_no_change_no_entry(yokohama: Organization, staff: User) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff, title="同じ", tags=("在庫",))
    before = audit_entries_for(item).count()
    services.item_update(
        item=item, data=services.ItemData(kind=item.kind, title="同じ", tags=("在庫",)), actor=staff
    )
    assert audit_entries_for(item).count() == before


def test_reindex_rebuilds_the_same_entries(yokohama: Organization, staff: User) -> None:
    from django.core.management import call_command

    item = ItemFactory.create(
        organization=yokohama, actor=staff, title="在庫の教訓", summary="概要", tags=("RFP",)
    )
    before = SearchEntry.objects.values("title", "secondary", "body", "tokens", "organization_id").get(
        kind=ITEM_SEARCH_KIND, object_id=item.pk
    )
    SearchEntry.objects.filter(kind=ITEM_SEARCH_KIND).delete()
    call_command("search_reindex", kind=[ITEM_SEARCH_KIND], verbosity=0)
    after = SearchEntry.objects.values("title", "secondary", "body", "tokens", "organization_id").get(
        kind=ITEM_SEARCH_KIND, object_id=item.pk
    )
    assert after == before
