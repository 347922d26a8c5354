"""Migrations core 0009 and community 0020 on a database that has companies from before: every company
and contact is found through the new search index afterwards, and entries written with the old tokens
are rewritten with the digit-run pieces."""

from __future__ import annotations

import pytest

from tests.accounts.factories import OrganizationFactory
from tests.migrations import back_to_the_latest, migrate_to  # noqa: F401 (a fixture)

# Every app back at its newest migration after each test (tests.migrations).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("back_to_the_latest")]

BEFORE = [("community", "0019_remove_companyimport_report"), ("core", "0008_search_org_newest")]
AFTER = [("community", "0020_company_search_entries"), ("core", "0009_search_digit_runs")]


_migrate = migrate_to


def test_existing_companies_get_their_entries_and_old_entries_their_digit_pieces() -> None:
    old = _migrate(BEFORE)
    Company = old.get_model("community", "Company")  # type: ignore[attr-defined]
    Contact = old.get_model("community", "Contact")  # type: ignore[attr-defined]
    SearchEntry = old.get_model("core", "SearchEntry")  # type: ignore[attr-defined]
    organization = OrganizationFactory.create()  # accounts stays at its newest migration
    company = Company.objects.create(
        organization_id=organization.pk,
        name="株式会社みなと精機",
        name_kana="ミナトセイキ",
        phone="+81452011234",
    )
    Contact.objects.create(
        organization_id=organization.pk, company=company, name="田中 誠", email="tanaka@example.jp"
    )
    # An entry of another kind, written before the digit pieces existed.
    SearchEntry.objects.create(kind="tests.old", object_id=1, title="0452011234", tokens="")

    _migrate(AFTER)
    from ouentai.community.models import Company as CompanyNow
    from ouentai.community.selectors import CompanyFilters, company_list
    from ouentai.core.models import SearchEntry as EntryNow

    def found(query: str) -> list[int]:
        return [c.pk for c in company_list(organization=organization, filters=CompanyFilters(q=query))]

    assert CompanyNow.objects.get().pk == company.pk
    for query in ("みなと", "精機", "ﾐﾅﾄ", "田中", "tanaka@", "045-201-1234", "2011234"):
        assert found(query) == [company.pk], query
    assert "d2011" in EntryNow.objects.get(kind="tests.old").tokens.split()
