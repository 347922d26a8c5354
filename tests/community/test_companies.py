import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouentai.community import services
from ouentai.community.models import Application, Company
from ouentai.community.selectors import CompanyFilters, company_list, company_timeline
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from tests.community.factories import MemberFactory
from tests.community.post_data import application_post_data, inquiry_post_data
from tests.engagements.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def create(org, actor=None, **fields):
    data = services.CompanyData(**{"name": "株式会社みなと精機", **fields})
    return services.company_create(organization=org, data=data, actor=actor)


def names(org, **filters):
    return sorted(c.name for c in company_list(organization=org, filters=CompanyFilters(**filters)))


def test_derived_fields_are_computed_never_typed(yokohama):
    company = create(
        yokohama,
        name="みなと精機㈱",
        industry="E",
        employees=45,
        capital_yen=10_000_000,
        municipality_code="14104",
    )
    assert (company.legal_form, company.legal_form_position, company.core_name) == (
        "株式会社",
        "after",
        "みなと精機",
    )
    assert company.is_sme is True and company.is_small is False
    assert company.city_code == "14100"
    wholesale_unknown = create(yokohama, name="卸の会社", industry="I", employees=150)
    assert wholesale_unknown.is_sme is None  # 卸売業 or 小売業 not chosen yet


def test_update_recomputes_and_audits_changed_fields(yokohama, staff):
    company = create(yokohama, industry="I", employees=150, capital_yen=200_000_000)
    company = services.company_update(
        company=company,
        data=services.CompanyData(
            name=company.name, industry="I", employees=150, capital_yen=200_000_000, sme_category="wholesale"
        ),
        actor=staff,
    )
    assert company.is_sme is False
    entry = company_timeline(company)[0]
    assert entry.kind == "audit"
    assert audit_entries_for(company)[0].details == {"changed": ["sme_category"]}


def test_corporate_number_is_unique_per_organization(yokohama, kawasaki):
    create(yokohama, corporate_number="7000012050002")
    with pytest.raises(DomainError) as error:
        create(yokohama, name="別名", corporate_number="7000012050002")
    assert error.value.field == "corporate_number"
    create(kawasaki, corporate_number="7000012050002")  # another organization may hold it too


@pytest.mark.parametrize(
    "query",
    [
        "精機",
        "みなと",
        "ミナト",
        "ﾐﾅﾄ",
        "株式会社みなと",
        "㈱みなと精機",
        "（株）みなと",
        "ＭＩＮＡＴＯ",
        "minato",
        "045-201-1234",
        "0452011234",
        "+81 45 201 1234",
        "7000012050002",
        "田中",
        "たなか",
        "tanaka@",
    ],
)
def test_search_finds_the_company_however_it_is_typed(yokohama, query):
    company = create(
        yokohama,
        name="株式会社みなと精機 MINATO",
        name_kana="ミナトセイキ",
        phone="+81452011234",
        corporate_number="7000012050002",
    )
    services.contact_create(
        company=company,
        data=services.ContactData(
            name="田中 誠", name_kana="タナカ マコト", email="Tanaka@minato.example.jp"
        ),
        actor=None,
    )
    create(yokohama, name="有限会社かわさき食品", phone="+81442115678")
    assert names(yokohama, q=query) == ["株式会社みなと精機 MINATO"]


def test_two_character_words_match(yokohama):
    create(yokohama, name="会計事務所さくら")
    create(yokohama, name="さくら製作所")
    assert names(yokohama, q="会計") == ["会計事務所さくら"]


def test_area_filter_uses_the_organizations_areas(yokohama):
    create(yokohama, name="横浜の会社", municipality_code="14104")
    create(yokohama, name="川崎の会社", municipality_code="14131")
    create(yokohama, name="東京の会社", municipality_code="13101")
    assert names(yokohama, area="14100") == ["横浜の会社"]
    assert names(yokohama, area="other") == ["川崎の会社", "東京の会社"]


def test_filters_on_size_sme_and_stage(yokohama):
    create(yokohama, name="小さな会社", industry="E", employees=4, it_stage=1)
    create(yokohama, name="大きな会社", industry="E", employees=900, capital_yen=5_000_000_000, it_stage=3)
    assert names(yokohama, size="1-5") == ["小さな会社"]
    assert names(yokohama, sme="no") == ["大きな会社"]
    assert names(yokohama, it_stage="3") == ["大きな会社"]


def test_company_pages_are_scoped_and_query_counts_are_flat(client, yokohama, staff, kawasaki_staff):
    client.force_login(staff)
    for i in range(3):
        create(yokohama, name=f"会社{i}", corporate_number="")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("community:company_list")).status_code == 200
    for i in range(40):
        create(yokohama, name=f"追加の会社{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("community:company_list")).status_code == 200
    assert len(many) == len(few)
    company = Company.objects.order_by("id")[0]
    client.force_login(kawasaki_staff)
    assert client.get(reverse("community:company_detail", args=[company.pk])).status_code == 404
    assert client.get(reverse("community:company_edit", args=[company.pk])).status_code == 404
    assert "追加の会社" not in client.get(reverse("community:company_list")).content.decode()


def test_a_search_with_more_hits_than_the_limit_lists_the_newest_and_the_export_has_all(
    client, yokohama, kawasaki, staff, monkeypatch
):
    from ouentai.community import selectors

    monkeypatch.setattr(selectors, "COMPANY_SEARCH_LIMIT", 2)
    client.force_login(staff)
    made = [create(yokohama, name=f"会計事務所{i}", corporate_number="") for i in range(3)]
    create(kawasaki, name="会計事務所かわさき", corporate_number="")  # another organization's: never counted
    html = client.get(reverse("community:company_list"), {"q": "会計"}).content.decode()
    assert "2社を超えます。新しく登録された2社を表示しています。" in html
    assert made[2].name in html and made[1].name in html and made[0].name not in html
    # The export has every hit of the organization.
    export = client.get(reverse("community:company_export"), {"q": "会計", "format": "csv"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert all(company.name in body for company in made) and "かわさき" not in body
    # A narrower query lists all its hits, with the exact count.
    html = client.get(reverse("community:company_list"), {"q": "会計事務所1"}).content.decode()
    assert "1社" in html and "を超えます" not in html and made[1].name in html


def test_company_page_query_count_does_not_grow_with_history(client, yokohama, staff):
    client.force_login(staff)

    def apply_and_convert(email):
        client.post(reverse("portal:apply"), application_post_data(email=email))
        services.application_convert(application=Application.objects.order_by("-id")[0], actor=staff)

    apply_and_convert("x0@example.jp")
    company = Company.objects.get()
    url = reverse("community:company_detail", args=[company.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 6):
        apply_and_convert(f"x{i}@example.jp")
    with CaptureQueriesContext(connection) as six:
        html = client.get(url).content.decode()
    # Events, engagements and dispatches add their fixed queries to the timeline (ouentai/*/timeline.py);
    # the case library's recommendations panel six (ouentai/cases/panels.py).
    assert len(six) == len(one) <= 35
    assert html.count("を受付") >= 6  # each application is on the timeline
    assert "企業を登録" in html  # the company's own history is there too, in words


def test_staff_create_and_edit_through_the_console(client, yokohama, staff, coordinator):
    client.force_login(staff)
    response = client.post(
        reverse("community:company_create"),
        {"name": "ﾍﾞｲｻｲﾄﾞ設計合同会社", "name_kana": "べいさいどせっけい", "postal_code": "２３１００６２", "phone": "045-662-0001",
         "industry": "L", "capital_yen": "300万", "employees": "９"},
    )  # fmt: skip
    assert response.status_code == 302
    company = Company.objects.get()
    assert company.name == "ベイサイド設計合同会社"
    assert company.legal_form == "合同会社" and company.legal_form_position == "after"
    assert company.name_kana == "ベイサイドセッケイ"
    assert company.prefecture == "神奈川県" and company.city == "横浜市中区"
    assert company.capital_yen == 3_000_000 and company.is_small is False
    bad = client.post(
        reverse("community:company_edit", args=[company.pk]), {"name": "x", "capital_yen": "たくさん"}
    )
    assert bad.status_code == 400
    assert "金額は円単位の数字で入力してください" in bad.content.decode()
    added = client.post(
        reverse("community:company_detail", args=[company.pk]),
        {"name": "小林 翔", "email": "ｋｏｂａｙａｓｈｉ@example.jp"},
    )
    assert added.status_code == 302
    assert company.contacts.get().email == "kobayashi@example.jp"
    client.force_login(coordinator)
    assert client.get(reverse("community:company_detail", args=[company.pk])).status_code == 200
    assert client.get(reverse("community:company_edit", args=[company.pk])).status_code == 403
    assert (
        client.post(
            reverse("community:company_detail", args=[company.pk]), {"name": "勝手に追加"}
        ).status_code
        == 403
    )


def test_inquiries_from_a_contact_are_on_the_company_timeline(client, yokohama, staff):
    company = create(yokohama)
    services.contact_create(
        company=company, data=services.ContactData(name="田中", email="tanaka@minato.example.jp"), actor=None
    )
    client.post(
        reverse("portal:contact"),
        inquiry_post_data(
            name="田中",
            email="tanaka@minato.example.jp",
            subject="研修の日程",
            message="日程を教えてください",
        ),
    )
    titles = [e.detail for e in company_timeline(company) if e.kind == "inquiry"]
    assert titles == ["研修の日程"]


def test_merge_moves_what_other_apps_attach_to_the_company(yokohama, staff, coordinator):
    """Engagements, dispatch requests, member accounts and event registrations follow the merge
    (they are PROTECT or SET_NULL: the merge used to fail or drop the link)."""
    import datetime as dt

    from ouentai.events.services import RegistrationData, registration_create
    from tests.events.factories import make_event

    keep = services.company_create(
        organization=yokohama, data=services.CompanyData(name="株式会社みなと"), actor=staff
    )
    remove = services.company_create(
        organization=yokohama, data=services.CompanyData(name="(株)みなと"), actor=staff
    )
    engagement = EngagementFactory.create(
        organization=yokohama,
        company=remove,
        title="案件",
        lead=coordinator,
        started_on=dt.date(2026, 10, 1),
        actor=staff,
    )
    account = MemberFactory.create(company=remove, user__email="m@example.jp", user__name="会員")
    registration = registration_create(
        event=make_event(yokohama, staff), data=RegistrationData(name="参加", email="p@example.jp")
    )
    registration.company = remove
    registration.save()
    services.company_merge(keep=keep, remove=remove, actor=staff)
    engagement.refresh_from_db()
    account.refresh_from_db()
    registration.refresh_from_db()
    assert engagement.company_id == account.company_id == registration.company_id == keep.pk
