"""The public case library's pages: facets with counts that combine, keyword search with highlighted
hits, 新着順 and 関連度順, pages, the case page (KPI table behind its chart, support, related cases, the
事例発表会, OGP tags), media, the feed and the sitemap; and a constant number of queries."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ouentai.cases.choices import CaseVariant, Challenge, ItArea
from ouentai.cases.models import Case, CaseMedia
from ouentai.cases.services.authoring import case_media_add
from ouentai.cases.services.workflow import case_withdraw
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.community.factories import CompanyFactory

pytestmark = pytest.mark.django_db

LIST = "/cases/"


def titles(response: Any) -> list[str]:
    """The case titles listed, in order, without the highlight marks."""
    html = response.content.decode()
    block = html.split('class="case-list"', 1)[1] if 'class="case-list"' in html else ""
    return [
        re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<h3><a href="/cases/[^"]+/">(.*?)</a></h3>', block)
    ]


def make_public(
    organization: Any = None,
    *,
    variant: str = CaseVariant.ANONYMOUS,
    company: dict[str, Any] | None = None,
    **fields: Any,
) -> Case:
    company_fields: dict[str, Any] = {"in_yokohama": True, "employees": 12, **(company or {})}
    if organization is not None:
        company_fields["organization"] = organization
    engagement = completed_engagement(company=CompanyFactory.create(**company_fields))
    return publish(CaseFactory.create(engagement=engagement, **fields), variant=variant)


def test_the_library_lists_public_cases_with_counts_and_combines_facets(client: Client) -> None:
    a = make_public(title="受注を一つに", it_area=ItArea.ORDERS, challenge_kind=Challenge.PRODUCTIVITY)
    b = make_public(title="在庫を見える化", it_area=ItArea.INVENTORY, challenge_kind=Challenge.PRODUCTIVITY)
    c = make_public(
        title="会計をクラウドへ", it_area=ItArea.ACCOUNTING, challenge_kind=Challenge.COST,
        company={"industry": "I", "employees": 80},
    )  # fmt: skip
    CaseFactory.create(title="下書きの事例")
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [c.title, b.title, a.title]  # newest first
    html = response.content.decode()
    assert "3件の事例" in html
    assert re.search(r"生産性の向上 <span class=\"facet-count\">（2件）", html)
    assert re.search(r"製造業 <span class=\"facet-count\">（2件）", html) and "E 製造業" not in html
    # Two facets combined narrow each other; a facet's own other values keep their counts.
    response = client.get(LIST, {"challenge": Challenge.PRODUCTIVITY, "it_area": ItArea.INVENTORY})
    assert titles(response) == [b.title]
    html = response.content.decode()
    assert re.search(r"在庫・物流 <span class=\"facet-count\">（1件）", html)
    assert re.search(r"受発注 <span class=\"facet-count\">（1件）", html)  # an alternative within it_area
    # Two values of one facet are alternatives.
    response = client.get(LIST, {"it_area": [ItArea.INVENTORY, ItArea.ORDERS]})
    assert titles(response) == [b.title, a.title]
    # Values no facet knows are ignored, not an error.
    assert titles(client.get(LIST, {"industry": "Z", "stage": "x"})) == [c.title, b.title, a.title]
    # Size band and region.
    assert titles(client.get(LIST, {"size": "51-100"})) == [c.title]
    assert titles(client.get(LIST, {"region": "神奈川県"})) == [c.title, b.title, a.title]
    assert titles(client.get(LIST, {"region": "北海道"})) == []


def test_keyword_search_highlights_hits_and_ranks_by_relevance(client: Client) -> None:
    in_title = make_public(title="在庫の数を毎朝そろえる")
    in_summary = make_public(title="受注の電話をなくす", summary="在庫と受注を一つの画面で見る。")
    make_public(
        title="勤怠をクラウドに", summary="出退勤を打刻で集める。", challenge="紙の出勤簿。",
        solution="打刻の端末を入れた。", results="月末の集計がなくなった。",
    )  # fmt: skip
    response = client.get(LIST, {"q": "在庫"})
    assert titles(response) == [in_title.title, in_summary.title]  # the title ranks above the summary
    html = response.content.decode()
    assert "<mark>在庫</mark>の数を毎朝そろえる" in html
    assert "<mark>在庫</mark>と受注を一つの画面で見る。" in html
    assert "関連度順" in html
    # 新着順 on request.
    assert titles(client.get(LIST, {"q": "在庫", "sort": "new"})) == [in_summary.title, in_title.title]
    # Half-width kana and full-width letters find the same.
    assert titles(client.get(LIST, {"q": "ｆａｘ"})) == titles(client.get(LIST, {"q": "FAX"}))
    # A keyword keeps the facets chosen (hidden fields) and combines with them.
    response = client.get(LIST, {"q": "在庫", "it_area": ItArea.ORDERS})
    assert '<input type="hidden" name="it_area" value="orders">' in response.content.decode()


def test_a_search_with_more_hits_than_the_limit_shows_the_newest_and_says_so(
    client: Client, monkeypatch: Any
) -> None:
    from ouentai.cases.selectors import library

    monkeypatch.setattr(library, "SEARCH_LIMIT", 2)
    oldest = make_public(title="棚卸を朝にそろえる", it_area=ItArea.ORDERS)
    middle = make_public(title="受注を一本化する", summary="棚卸も見る。", it_area=ItArea.ORDERS)
    newest = make_public(title="棚卸を毎朝数える", it_area=ItArea.ACCOUNTING)
    html = client.get(LIST, {"q": "棚卸"}).content.decode()
    assert "2件を超える事例" in html
    assert "新しく載った2件を並べています" in html
    # The two newest hits, ranked (the title hit first); the oldest is left out.
    assert titles(client.get(LIST, {"q": "棚卸"})) == [newest.title, middle.title]
    assert oldest.title not in html
    # The facets count the shown hits: one of each IT area.
    assert html.count("（1件）") >= 2
    # A narrower search shows every hit, with its exact count and no notice.
    html = client.get(LIST, {"q": "棚卸 朝"}).content.decode()
    assert "2件の事例" in html
    assert "新しく載った" not in html
    assert titles(client.get(LIST, {"q": "棚卸 朝"})) == [newest.title, oldest.title]


def test_an_empty_result_says_what_to_do(client: Client) -> None:
    make_public()
    response = client.get(LIST, {"q": "宇宙開発"})
    html = response.content.decode()
    assert "0件の事例" in html
    assert "条件に合う事例は見つかりませんでした。" in html
    assert "すべての事例を見る" in html


def test_an_empty_library_says_so(client: Client) -> None:
    response = client.get(LIST)
    assert "公開している事例はまだありません。" in response.content.decode()


def test_pages_of_twenty(client: Client, yokohama: Any) -> None:
    cases = [make_public(yokohama, title=f"事例{i:02d}") for i in range(22)]
    first = client.get(LIST)
    assert len(titles(first)) == 20
    assert "1 / 2 ページ" in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert titles(second) == [cases[1].title, cases[0].title]
    assert titles(client.get(LIST, {"page": "x"})) == titles(first)


def test_the_library_costs_the_same_queries_for_1_and_30_cases(
    client: Client, yokohama: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_public(yokohama)

    def count(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST, params).status_code == 200
        return len(queries)

    one = {
        key: count(key_params)
        for key, key_params in (("plain", {}), ("q", {"q": "受注", "it_area": "orders"}))
    }
    for _ in range(29):
        make_public(yokohama)
    thirty = {
        key: count(key_params)
        for key, key_params in (("plain", {}), ("q", {"q": "受注", "it_area": "orders"}))
    }
    assert one == thirty
    assert thirty["plain"] <= 16


def test_the_case_page_shows_everything_public(client: Client, yokohama: Any) -> None:
    case = make_public(
        yokohama, variant=CaseVariant.NAMED, background="創業50年の町工場。", products="クラウド販売管理"
    )
    related = make_public(yokohama, title="似ている事例", it_area=ItArea.ORDERS)
    other = make_public(
        yokohama,
        title="違う事例",
        it_area=ItArea.HR,
        challenge_kind=Challenge.GROWTH,
        company={"industry": "I"},
    )
    response = client.get(f"/cases/{case.public_key}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{case.title}</h1>" in html
    assert "株式会社みなと精機" in html  # named
    assert "神奈川県横浜市中区" in html
    assert "創業50年の町工場。" in html and "クラウド販売管理" in html
    # The KPI table: name, values with unit and dates; and the chart drawn from it, hidden from readers.
    kpi = case.kpis.get()
    table = html.split('<table class="table kpi-table">', 1)[1].split("</table>", 1)[0]
    assert kpi.name in table
    assert f"{kpi.before_on.year}年" in table and f"{kpi.after_on.year}年" in table
    assert kpi.unit in table
    assert '<svg viewBox="0 0 480' in html and 'aria-hidden="true"' in html.split("<svg", 1)[1][:120]
    # Related cases: public ones sharing something, not the unrelated one, not itself.
    related_block = html.split('id="related-heading"', 1)[1].split('class="case-back"', 1)[0]
    assert related.title in related_block and other.title not in related_block
    assert f"/cases/{case.public_key}/" not in related_block
    # OGP and Twitter tags.
    assert f'<meta property="og:title" content="{case.title}">' in html
    assert f'<meta property="og:url" content="http://testserver/cases/{case.public_key}/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    # The print stylesheet.
    assert 'href="/static/cases/print.css" media="print"' in html


def test_a_case_page_links_its_case_presentation_event_when_public(
    client: Client, yokohama: Any, staff: Any
) -> None:
    from tests.events.factories import make_event

    event = make_event(yokohama, staff, sessions=1, kind="cases", title="事例発表会2026")
    case = make_public(yokohama, presented_at_id=event.pk)
    html = client.get(f"/cases/{case.public_key}/").content.decode()
    assert f'<a href="/events/{event.pk}/">事例発表会2026</a>' in html
    type(event).objects.filter(pk=event.pk).update(is_published=False)
    html = client.get(f"/cases/{case.public_key}/").content.decode()
    assert "事例発表会2026" in html and f'href="/events/{event.pk}/"' not in html


def test_photos_are_served_with_their_alt_text_until_withdrawal(client: Client, yokohama: Any) -> None:
    case = CaseFactory.create(
        engagement=completed_engagement(
            company=CompanyFactory.create(organization=yokohama, in_yokohama=True, employees=12)
        )
    )
    assert case.author is not None
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    media = case_media_add(
        case=case, actor=case.author, upload=SimpleUploadedFile("line.png", png, content_type="image/png"),
        kind="photo", alt_text="出荷場で端末を使う社員",
    )  # fmt: skip
    case = publish(case)
    html = client.get(f"/cases/{case.public_key}/").content.decode()
    url = f"/cases/{case.public_key}/media/{media.pk}/"
    assert f'<img src="{url}" alt="出荷場で端末を使う社員"' in html
    assert f'<meta property="og:image" content="http://testserver{url}">' in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png" and "attachment" not in response["Content-Disposition"]
    # A file whose name is not an image's is downloaded as bytes, never shown as a page of ours.
    CaseMedia.objects.filter(pk=media.pk).update(name="page.html")
    response = client.get(url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    case_withdraw(case=case, actor=case.company.member_accounts.get().user)
    assert client.get(url).status_code == 404


def test_unpublished_and_unknown_keys_are_404(client: Client) -> None:
    draft = CaseFactory.create()
    assert client.get(f"/cases/{draft.public_key}/").status_code == 404
    assert client.get(f"/cases/{uuid.uuid4()}/").status_code == 404
    assert client.get("/cases/not-a-key/").status_code == 404


def test_the_case_page_costs_a_constant_number_of_queries(
    client: Client, yokohama: Any, django_assert_max_num_queries: Any
) -> None:
    case = make_public(yokohama)
    for _ in range(5):
        make_public(yokohama)
    with django_assert_max_num_queries(16):
        assert client.get(f"/cases/{case.public_key}/").status_code == 200


def test_feed_and_sitemap_list_public_cases(client: Client) -> None:
    public = make_public(title="公開中の事例")
    CaseFactory.create(title="下書きの事例")
    feed = client.get(reverse("cases:feed"))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "<title>公開中の事例</title>" in body and "下書きの事例" not in body
    assert f"urn:uuid:{public.public_key}" in body
    sitemap = client.get(reverse("cases:sitemap"))
    assert sitemap.status_code == 200
    body = sitemap.content.decode()
    assert f"http://testserver/cases/{public.public_key}/" in body
    assert "<loc>http://testserver/cases/</loc>" in body
    assert body.count("<url>") == 2


def test_an_organization_library_shows_its_cases_only(client: Client, yokohama: Any, kawasaki: Any) -> None:
    ours = make_public(yokohama, title="横浜の事例")
    theirs = make_public(
        kawasaki,
        title="川崎の事例",
        company={"postal_code": "2100007", "city": "川崎市川崎区", "municipality_code": "14131"},
    )
    assert titles(client.get("/o/yokohama/cases/")) == [ours.title]
    assert titles(client.get("/o/kawasaki/cases/")) == [theirs.title]
    assert set(titles(client.get(LIST))) == {ours.title, theirs.title}
    assert client.get("/o/nowhere/cases/").status_code == 404


def test_the_public_navigation_links_the_library(client: Client, yokohama: Any) -> None:
    html = client.get("/").content.decode()
    assert 'href="/cases/"' in html
    html = client.get("/o/yokohama/").content.decode()
    assert 'href="/o/yokohama/cases/"' in html
