"""The know-how pages: who may open what (console, /network/knowhow/, /knowhow/), constant query
counts on the lists, the files served only to those who may see the item, and forms that keep what was
typed and say what is wrong in Japanese."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.accounts.models import Organization, User
from ouentai.knowhow.choices import ItemKind, Visibility
from ouentai.knowhow.models import Item
from tests.engagements.factories import EngagementFactory
from tests.knowhow.factories import ItemFactory, upload

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def refused(response: Any) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "/accounts/login/" in response["Location"]
    )


@pytest.fixture
def secret(kawasaki: Organization, kawasaki_staff: User) -> Item:
    return ItemFactory.create(
        organization=kawasaki, actor=kawasaki_staff, title="川崎の在庫チェックリスト（社内用）",
        visibility=Visibility.ORGANIZATION, file=upload("secret.md", "社外秘"),
    )  # fmt: skip


@pytest.fixture
def shared(kawasaki: Organization, kawasaki_staff: User) -> Item:
    return ItemFactory.create(
        organization=kawasaki, actor=kawasaki_staff, title="在庫の教訓（共有）",
        visibility=Visibility.PLATFORM, file=upload("shared.md", "共有"),
    )  # fmt: skip


@pytest.fixture
def public(yokohama: Organization, staff: User) -> Item:
    item = ItemFactory.create(
        organization=yokohama, actor=staff, title="在庫管理のRFPひな形", summary="販売と在庫をつなぐ",
        visibility=Visibility.PUBLIC, file=upload("rfp.md", "第1版"), tags=("RFP",),
    )  # fmt: skip
    from ouentai.knowhow import services

    services.item_file_add(item=item, upload=upload("rfp.md", "第2版"), actor=staff)
    return item


def test_other_organizations_own_only_item_never_reaches_a_page(
    staff: User, secret: Item, shared: Item, public: Item, expert_user: User
) -> None:
    client = client_for(staff)
    listed = client.get("/console/knowhow/?q=在庫").content.decode()
    assert "の教訓（共有）" in listed and "社内用" not in listed
    assert "管理のRFPひな形" in listed
    for url in (
        f"/console/knowhow/{secret.pk}/",
        f"/console/knowhow/{secret.pk}/download/",
        f"/console/knowhow/{secret.pk}/files/1/",
        f"/console/knowhow/{secret.pk}/edit/",
        f"/knowhow/{secret.pk}/",
        f"/knowhow/{secret.pk}/download/",
        f"/knowhow/{shared.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url
    assert "社内用" not in client_for(None).get("/knowhow/?q=在庫").content.decode()
    expert = client_for(expert_user)
    assert "社内用" not in expert.get("/network/knowhow/?q=在庫").content.decode()
    assert expert.get(f"/network/knowhow/{secret.pk}/download/").status_code == 404
    assert expert.get(f"/network/knowhow/{shared.pk}/download/").status_code == 200


def test_console_pages_by_role(
    staff: User, coordinator: User, org_admin: User, member_user: User, expert_user: User,
    partner_user: User, kawasaki_staff: User, public: Item,
) -> None:  # fmt: skip
    pages = [
        "/console/knowhow/",
        "/console/knowhow/new/",
        f"/console/knowhow/{public.pk}/",
        f"/console/knowhow/{public.pk}/edit/",
        f"/console/knowhow/{public.pk}/upload/",
        f"/console/knowhow/{public.pk}/engagements/",
        f"/console/knowhow/{public.pk}/delete/",
        f"/console/knowhow/{public.pk}/download/",
    ]
    for user in (staff, org_admin):
        for url in pages:
            assert client_for(user).get(url).status_code == 200, (user.role, url)
    # A coordinator of the organization edits but does not delete someone else's item.
    for url in pages:
        expected = 403 if url.endswith("/delete/") else 200
        assert client_for(coordinator).get(url).status_code == expected, url
    for outsider in (None, member_user, expert_user, partner_user):
        for url in pages:
            assert refused(client_for(outsider).get(url)), (outsider, url)
    # Another organization's staff read a public or shared item, never change it.
    other = client_for(kawasaki_staff)
    assert other.get(f"/console/knowhow/{public.pk}/").status_code == 200
    for suffix in ("edit/", "upload/", "engagements/", "delete/"):
        assert other.get(f"/console/knowhow/{public.pk}/{suffix}").status_code == 403
        assert other.post(f"/console/knowhow/{public.pk}/{suffix}", {"title": "x"}).status_code == 403
    assert Item.objects.get(pk=public.pk).title == "在庫管理のRFPひな形"


def test_network_pages_for_experts_and_partners_only(
    expert_user: User, partner_user: User, staff: User, member_user: User, shared: Item
) -> None:
    for user in (expert_user, partner_user):
        client = client_for(user)
        assert shared.title in client.get("/network/knowhow/").content.decode()
        assert client.get(f"/network/knowhow/{shared.pk}/").status_code == 200
    for outsider in (None, staff, member_user):
        assert refused(client_for(outsider).get("/network/knowhow/"))


def _make_items(organization: Organization, author: User, count: int) -> None:
    for n in range(count):
        ItemFactory.create(
            organization=organization, actor=author, title=f"在庫の手引き{n}", tags=(f"タグ{n}", "在庫"),
            visibility=Visibility.PUBLIC, file=upload(),
        )  # fmt: skip


@pytest.mark.parametrize("url", ["/console/knowhow/?q=在庫", "/console/knowhow/", "/knowhow/?q=在庫"])
def test_list_query_count_does_not_grow_with_items(yokohama: Organization, staff: User, url: str) -> None:
    client = client_for(staff)
    _make_items(yokohama, staff, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_items(yokohama, staff, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="kh-card"') == 14
    assert len(many) == len(few)


def test_search_marks_the_hits(client: Client, public: Item) -> None:
    page = client.get("/knowhow/", {"q": "rfp"}).content.decode()
    assert "在庫管理の<mark>RFP</mark>ひな形" in page
    assert "1件見つかりました" in page


def test_public_download_is_the_latest_version(client: Client, public: Item) -> None:
    response = client.get(f"/knowhow/{public.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "第2版"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    page = client.get(f"/knowhow/{public.pk}/").content.decode()
    assert "最新版（第2版）をダウンロード" in page


def test_console_lists_every_version(staff: User, public: Item) -> None:
    client = client_for(staff)
    page = client.get(f"/console/knowhow/{public.pk}/").content.decode()
    assert "第2版" in page and "第1版" in page
    first = client.get(f"/console/knowhow/{public.pk}/files/1/")
    assert b"".join(first.streaming_content).decode() == "第1版"  # type: ignore[attr-defined]
    assert "no-store" in first["Cache-Control"]


def test_create_with_a_file_then_a_new_version(staff: User) -> None:
    client = client_for(staff)
    response = client.post(
        "/console/knowhow/new/",
        {
            "title": "在庫チェックリスト",
            "kind": ItemKind.CHECKLIST,
            "summary": "導入前に",
            "body": "",
            "tags": "在庫、導入",
            "visibility": Visibility.ORGANIZATION,
            "file": upload("list.md", "v1"),
            "note": "初版",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/knowhow/{item.pk}/"
    assert sorted(tag.name for tag in item.tags.all()) == ["在庫", "導入"]
    response = client.post(
        f"/console/knowhow/{item.pk}/upload/", {"file": upload("list.md", "v2"), "note": "追記"}
    )
    assert response.status_code == 302
    assert list(item.files.values_list("number", "note")) == [(2, "追記"), (1, "初版")]


def test_bad_input_keeps_what_was_typed_and_says_why_in_japanese(
    staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(staff)
    typed = {
        "title": "",
        "kind": ItemKind.LESSON,
        "summary": "受発注のEDI化で学んだこと",
        "body": "取引先の準備を先に確かめる。",
        "tags": "EDI、受発注",
        "visibility": Visibility.PLATFORM,
    }
    response = client.post("/console/knowhow/new/", typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "タイトル：入力してください。" in page
    for value in ("受発注のEDI化で学んだこと", "取引先の準備を先に確かめる。", "EDI、受発注"):
        assert value in page
    assert re.search(r'value="platform"[^>]*checked', page)
    too_many = {**typed, "title": "教訓", "tags": "、".join(f"t{n}" for n in range(11))}
    page = client.post("/console/knowhow/new/", too_many).content.decode()
    assert "タグは10個までです。" in page
    monkeypatch.setattr("ouentai.knowhow.services.MAX_ATTACHMENT_BYTES", 3)
    page = client.post(
        "/console/knowhow/new/", {**typed, "title": "教訓", "file": upload(content="12345")}
    ).content.decode()
    assert "添付できるファイルは20MBまでです。" in page
    assert "取引先の準備を先に確かめる。" in page
    assert not Item.objects.exists()


def test_upload_without_a_file_is_refused_in_japanese(staff: User, public: Item) -> None:
    response = client_for(staff).post(f"/console/knowhow/{public.pk}/upload/", {"note": "改訂"})
    assert response.status_code == 400
    assert "改訂" in response.content.decode()
    assert public.files.count() == 2


def test_engagements_page_offers_only_the_organizations_engagements(
    yokohama: Organization, kawasaki: Organization, staff: User, kawasaki_staff: User, public: Item
) -> None:
    own = EngagementFactory.create(organization=yokohama, title="受注の見える化")
    other = EngagementFactory.create(organization=kawasaki, title="川崎の案件")
    client = client_for(staff)
    page = client.get(f"/console/knowhow/{public.pk}/engagements/").content.decode()
    assert own.title in page and other.title not in page
    response = client.post(f"/console/knowhow/{public.pk}/engagements/", {"engagements": [other.pk]})
    assert response.status_code == 400
    assert (
        client.post(f"/console/knowhow/{public.pk}/engagements/", {"engagements": [own.pk]}).status_code
        == 302
    )
    assert own.title in client.get(f"/console/knowhow/{public.pk}/").content.decode()
    # Neither another organization's staff nor the public page shows it.
    assert own.title not in client_for(kawasaki_staff).get(f"/console/knowhow/{public.pk}/").content.decode()
    assert own.title not in client_for(None).get(f"/knowhow/{public.pk}/").content.decode()


def test_delete_asks_first(staff: User, public: Item) -> None:
    client = client_for(staff)
    page = client.get(f"/console/knowhow/{public.pk}/delete/").content.decode()
    assert "元に戻せません" in page and "2版" in page
    assert client.post(f"/console/knowhow/{public.pk}/delete/").status_code == 302
    assert not Item.objects.exists()


def test_navigation_links(staff: User, client: Client) -> None:
    assert reverse("knowhow_console:list") in client_for(staff).get("/console/").content.decode()
    assert reverse("knowhow:list") in client.get("/").content.decode()


def test_stale_filters_in_a_link_keep_the_search(staff: User, public: Item) -> None:
    response = client_for(staff).get(
        "/console/knowhow/", {"q": "在庫", "kind": "poster", "tag": "消えたタグ"}
    )
    assert response.status_code == 200
    assert "1件見つかりました" in response.content.decode()
