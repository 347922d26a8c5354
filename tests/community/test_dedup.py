import pytest
from django.urls import reverse

from ouentai.community import services
from ouentai.community.dedup import candidates_for_company, duplicate_candidates, duplicate_groups
from ouentai.community.models import Application, Company, Contact, Membership
from ouentai.community.selectors import COMPANY_SEARCH_KIND, CompanyFilters, company_list
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.models import SearchEntry
from tests.community.factories import CompanyFactory, ContactFactory
from tests.community.post_data import application_post_data

pytestmark = pytest.mark.django_db


def test_groups_on_a_varied_set_of_japanese_names(yokohama, kawasaki):
    made = {
        name: CompanyFactory.create(organization=yokohama, name=name, **fields)
        for name, fields in [
            ("株式会社みなと精機", {}),
            ("みなと精機株式会社", {}),  # legal form after the name
            ("㈱ﾐﾅﾄ精機", {}),  # ㈱ and half-width kana
            ("（株）みなと　精機", {}),  # full-width parentheses and a space
            ("ベイ設計", {"phone": "+81452011234"}),
            ("ベイサイド設計事務所", {"phone": "+81452011234"}),  # same phone
            ("かわさき食品", {}),  # linked to 青葉テック by a contact e-mail below
            ("青葉テック", {}),
            ("あおばテクノ", {}),  # alone: similar but not the same key
        ]
    }
    ContactFactory.create(company=made["青葉テック"], name="a", email="Info@aoba.jp")
    ContactFactory.create(company=made["かわさき食品"], name="b", email="info@AOBA.jp")
    # Another organization never joins a group:
    CompanyFactory.create(organization=kawasaki, name="株式会社みなと精機")
    groups = {
        frozenset(c.name for c in g.companies): g.reasons for g in duplicate_groups(organization=yokohama)
    }
    assert groups == {
        frozenset({"株式会社みなと精機", "みなと精機株式会社", "㈱ﾐﾅﾄ精機", "（株）みなと　精機"}): {"name"},
        frozenset({"ベイ設計", "ベイサイド設計事務所"}): {"phone"},
        frozenset({"青葉テック", "かわさき食品"}): {"email"},
    }


def test_candidates_carry_their_reasons(yokohama):
    original = CompanyFactory.create(
        organization=yokohama,
        name="株式会社みなと精機",
        corporate_number="7000012050002",
        phone="+81452011234",
    )
    found = duplicate_candidates(
        organization=yokohama, name="ミナト精機(株)", corporate_number="7000012050002"
    )
    assert [(c.company.pk, c.reasons) for c in found] == [(original.pk, ["corporate_number", "name"])]
    other = CompanyFactory.create(organization=yokohama, name="別表記", phone="+81452011234")
    assert [(c.company.pk, c.reasons) for c in candidates_for_company(other)] == [(original.pk, ["phone"])]


def test_merge_moves_every_related_row_and_can_be_traced(client, yokohama, staff):
    for email in ("tanaka@minato.example.jp", "sato@minato.example.jp"):
        client.post(reverse("portal:apply"), application_post_data(email=email))
    first_app, second_app = Application.objects.order_by("id")
    services.application_convert(application=first_app, actor=staff)
    keep = Company.objects.get(applications=first_app)
    # The same company typed again by hand, with its own contacts, membership and history.
    remove = CompanyFactory.create(
        organization=yokohama,
        name="ﾐﾅﾄ精機株式会社",
        corporate_number="7000012050002",
        capital_yen=10_000_000,
    )
    ContactFactory.create(company=remove, name="田中 誠", email="TANAKA@minato.example.jp", actor=staff)
    ContactFactory.create(company=remove, name="鈴木", email="suzuki@minato.example.jp", actor=staff)
    Application.objects.filter(pk=second_app.pk).update(
        company=remove, contact=remove.contacts.get(name="田中 誠")
    )
    services.membership_create(company=remove, actor=staff)
    history_before = audit_entries_for(remove).count()

    removed_pk = remove.pk
    merged = services.company_merge(keep=keep, remove=remove, actor=staff)

    assert not Company.objects.filter(pk=remove.pk).exists()
    assert set(Application.objects.values_list("company_id", flat=True)) == {merged.pk}
    assert sorted(merged.contacts.values_list("email", flat=True)) == [
        "suzuki@minato.example.jp",
        "tanaka@minato.example.jp",
    ]
    assert (
        Contact.objects.get(applications=second_app).email == "tanaka@minato.example.jp"
    )  # folded into the twin
    assert Contact.objects.count() == 2
    assert Membership.objects.get().company == merged  # keep had one already: the removed one is recorded
    assert merged.corporate_number == "7000012050002" and merged.capital_yen == 10_000_000  # blanks filled
    entries = audit_entries_for(merged)
    merge_entry = entries[0]
    assert merge_entry.action == "community.company.merged"
    assert merge_entry.details["merged_company_name"] == "ﾐﾅﾄ精機株式会社"
    assert merge_entry.details["merged_company"]["corporate_number"] == "7000012050002"
    assert merge_entry.details["merged_company"]["membership"]["status"] == "applied"
    assert entries.count() >= history_before + 2  # the removed company's history came along
    # The kept company is found by the moved contact; the removed one is out of the search index.
    filters = CompanyFilters(q="suzuki@minato")
    assert list(company_list(organization=merged.organization, filters=filters)) == [merged]
    assert not SearchEntry.objects.filter(kind=COMPANY_SEARCH_KIND, object_id=removed_pk).exists()


def test_merge_refuses_other_organizations(yokohama, kawasaki, staff):
    with pytest.raises(DomainError):
        services.company_merge(
            keep=CompanyFactory.create(organization=yokohama, name="A社"),
            remove=CompanyFactory.create(organization=kawasaki, name="A社"),
            actor=staff,
        )


def test_console_warns_before_registering_a_likely_duplicate(client, yokohama, staff, kawasaki_staff):
    existing = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機")
    client.force_login(staff)
    warned = client.post(reverse("community:company_create"), {"name": "ミナト精機㈱"})
    assert warned.status_code == 409
    assert "同じ企業かもしれません" in warned.content.decode()
    assert Company.objects.count() == 1
    confirmed = client.post(reverse("community:company_create"), {"name": "ミナト精機㈱", "confirm_new": "1"})
    assert confirmed.status_code == 302 and Company.objects.count() == 2
    report = client.get(reverse("community:company_duplicates")).content.decode()
    assert "ミナト精機㈱" in report
    other = Company.objects.exclude(pk=existing.pk).get()
    merge_url = reverse("community:company_merge", args=[existing.pk, other.pk])
    assert client.get(merge_url).status_code == 200
    client.force_login(kawasaki_staff)
    assert client.get(merge_url).status_code == 404
    assert client.post(merge_url, {"keep": existing.pk}).status_code == 404
    client.force_login(staff)
    assert client.post(merge_url, {"keep": other.pk}).status_code == 302
    assert list(Company.objects.values_list("pk", flat=True)) == [other.pk]


def test_duplicate_report_query_count_is_fixed(client, yokohama, staff, django_assert_max_num_queries):
    for i in range(30):
        CompanyFactory.create(organization=yokohama, name=f"株式会社テスト{i % 10}")
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("community:company_duplicates")).status_code == 200
