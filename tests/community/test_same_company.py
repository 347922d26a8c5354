"""One "same company" rule (issue 12): community.dedup.same_company decides, company_match finds the
company a record is, and the three places that used to decide with rules of their own (converting an
application, 名寄せ and the import's candidates, linking an event registration) all go through it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.accounts.models import Organization
from ouentai.community import services
from ouentai.community.dedup import (
    CompanyFacts,
    company_match,
    duplicate_candidates,
    same_company,
    shared_reasons,
)
from ouentai.community.models import Company
from ouentai.events import services as event_services
from ouentai.events.models import Registration
from tests.community.factories import ApplicationFactory, CompanyFactory, ContactFactory
from tests.events.factories import make_event

NUMBERS = ["", "7000012050002", "4000012090001", "1180301018771"]
# The same firm written many ways, another firm, and none.
NAMES = ["株式会社みなと精機", "ミナト精機(株)", "ﾐﾅﾄ精機㈱", "（株）みなと　精機", "青葉テック合同会社", ""]
PHONES = ["", "+81452011234", "045-201-1234", "０４５－２０１－１２３４", "+81312345678"]
POSTAL_CODES = ["", "2310023", "〒231-0023", "1000001"]
EMAILS = ["tanaka@minato.example.jp", "TANAKA@Minato.example.jp", "info@aoba.example.jp"]

facts = st.builds(
    CompanyFacts.of,
    name=st.sampled_from(NAMES),
    corporate_number=st.sampled_from(NUMBERS),
    phone=st.sampled_from(PHONES),
    postal_code=st.sampled_from(POSTAL_CODES),
    emails=st.lists(st.sampled_from(EMAILS), max_size=2),
)


# --- The rule, without the database ----------------------------------------------------------------------


@given(facts, facts)
def test_same_company_is_symmetric(a: CompanyFacts, b: CompanyFacts) -> None:
    assert same_company(a, b) == same_company(b, a)
    assert shared_reasons(a, b) == shared_reasons(b, a)


@given(facts, facts)
def test_two_different_corporate_numbers_are_never_one_company(a: CompanyFacts, b: CompanyFacts) -> None:
    if a.corporate_number and b.corporate_number and a.corporate_number != b.corporate_number:
        assert same_company(a, b) is None


@given(facts, facts)
def test_a_name_phone_or_postal_code_alone_decides_nothing(a: CompanyFacts, b: CompanyFacts) -> None:
    decision = same_company(a, b)
    reasons = set(shared_reasons(a, b))
    if decision is not None:
        assert (
            "corporate_number" in reasons
            or "email" in reasons
            or ("name" in reasons and reasons & {"phone", "postal_code"})
        )
    if reasons <= {"name"} or reasons <= {"phone"} or reasons <= {"postal_code"}:
        assert decision is None


def test_precedence_and_spelling_variants() -> None:
    minato = CompanyFacts.of(name="株式会社みなと精機", phone="+81452011234", postal_code="2310023")
    # ㈱/(株)/株式会社, 前株/後株, half-width kana and full-width digits are one company.
    assert same_company(minato, CompanyFacts.of(name="ﾐﾅﾄ精機㈱", phone="045-201-1234")) == "name_phone"
    assert same_company(minato, CompanyFacts.of(name="みなと精機(株)", postal_code="〒231-0023")) == (
        "name_postal_code"
    )
    # The same trade name elsewhere is another firm until something else says otherwise.
    assert same_company(minato, CompanyFacts.of(name="株式会社みなと精機", phone="+81312345678")) is None
    # A known contact's address decides, whatever the name typed.
    with_contact = dataclasses.replace(minato, emails=frozenset({"tanaka@minato.example.jp"}))
    assert same_company(
        with_contact, CompanyFacts.of(name="別の名前", emails=["TANAKA@minato.example.jp"])
    ) == ("email")
    # 法人番号 first: equal decides over everything, different refuses over everything.
    numbered = dataclasses.replace(minato, corporate_number="7000012050002")
    assert same_company(numbered, CompanyFacts.of(name="全く別の表記", corporate_number="7000012050002")) == (
        "corporate_number"
    )
    assert (
        same_company(
            numbered,
            CompanyFacts.of(
                name="株式会社みなと精機", phone="+81452011234", corporate_number="4000012090001"
            ),
        )
        is None
    )


# --- company_match on the database ---------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(NAMES[:-1]),
    number=st.sampled_from(NUMBERS),
    phone=st.sampled_from(PHONES[1:]),
    email=st.sampled_from(EMAILS),
    in_yokohama=st.booleans(),
)
def test_company_match_never_crosses_organizations(
    yokohama: Organization, kawasaki: Organization, name, number, phone, email, in_yokohama
) -> None:
    """Whatever the record shares with a company of another organization, it is never matched to it;
    the same company in the record's own organization is."""
    stored = {"name": name, "corporate_number": number, "phone": CompanyFacts.of(phone=phone).phone}
    with transaction.atomic():
        theirs = CompanyFactory.create(organization=kawasaki, **stored)
        ContactFactory.create(company=theirs, name="川崎 太郎", email=email)
        ours = None
        if in_yokohama:
            ours = CompanyFactory.create(organization=yokohama, **stored)
            ContactFactory.create(company=ours, name="横浜 花子", email=email)
        found = company_match(
            organization_id=yokohama.pk, name=name, corporate_number=number, phone=phone, email=email
        )
        if ours is None:
            assert found is None
        else:
            assert found is not None and found.company.pk == ours.pk
        assert all(
            c.company.organization_id == yokohama.pk
            for c in duplicate_candidates(organization=yokohama, name=name, phone=phone, emails=[email])
        )
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_company_match_prefers_the_strongest_rule_then_the_oldest_company(yokohama: Organization) -> None:
    by_name_phone = CompanyFactory.create(
        organization=yokohama, name="株式会社みなと精機", phone="+81452011234"
    )
    # A duplicate typed later:
    CompanyFactory.create(organization=yokohama, name="みなと精機㈱", phone="+81452011234")
    by_email = CompanyFactory.create(organization=yokohama, name="港精機")
    contact = ContactFactory.create(company=by_email, name="田中", email="tanaka@minato.example.jp")
    found = company_match(organization_id=yokohama.pk, name="ﾐﾅﾄ精機(株)", phone="045-201-1234")
    assert found is not None
    assert (found.company.pk, found.decision, found.contact_id) == (by_name_phone.pk, "name_phone", None)
    assert str(found.decision_label) == "会社名と電話番号が同じ"
    found = company_match(
        organization_id=yokohama.pk,
        name="ﾐﾅﾄ精機(株)",
        phone="045-201-1234",
        email="Tanaka@minato.example.jp",
    )
    assert found is not None
    assert (found.company.pk, found.decision, found.contact_id) == (by_email.pk, "email", contact.pk)
    assert company_match(organization_id=yokohama.pk, name="株式会社みなと精機") is None


# --- The three callers go through it ------------------------------------------------------------------------


def _convert(org: Organization, staff, **changes: Any) -> Company:
    """The company an application (APPLICATION with ``changes``) becomes when staff convert it."""
    application = ApplicationFactory.create(organization=org, **changes)
    services.application_convert(application=application, actor=staff)
    application.refresh_from_db()
    assert application.company is not None
    return application.company


@pytest.mark.django_db
def test_converting_an_application_uses_the_rule(yokohama: Organization, staff) -> None:
    known = CompanyFactory.create(organization=yokohama, name="港精機")
    ContactFactory.create(company=known, name="田中 誠", email="tanaka@minato.example.jp")
    # A known contact's address: their company, although the name is typed another way (the old rule
    # looked at 法人番号, name with phone and name with 郵便番号 only, and made a second company).
    assert _convert(yokohama, staff).pk == known.pk
    # Another legal entity with the same trade name and phone: a 法人番号 that differs is never merged in.
    numbered = CompanyFactory.create(
        organization=yokohama, name="株式会社あおば", corporate_number="7000012050002", phone="+81312345678"
    )
    created = _convert(
        yokohama,
        staff,
        company_name="株式会社あおば",
        email="new@aoba.example.jp",
        phone="+81312345678",
        corporate_number="4000012090001",
    )
    assert created.pk != numbered.pk and created.corporate_number == "4000012090001"


@pytest.mark.django_db
def test_candidates_and_match_read_the_same_facts(yokohama: Organization) -> None:
    """名寄せ shows every company that may be the one (a name alone is enough to ask); the decision needs
    more. Both come from the same shared facts."""
    same_name = CompanyFactory.create(organization=yokohama, name="株式会社みなと精機", phone="+81312345678")
    found = duplicate_candidates(organization=yokohama, name="ミナト精機㈱", phone="+81452011234")
    assert [(c.company.pk, c.reasons) for c in found] == [(same_name.pk, ["name"])]
    assert company_match(organization_id=yokohama.pk, name="ミナト精機㈱", phone="+81452011234") is None


@pytest.mark.django_db
def test_registration_link_uses_the_rule(yokohama: Organization, staff, run_queued_tasks) -> None:
    company = CompanyFactory.create(
        organization=yokohama, name="株式会社みなと精機", phone="+81452011234", postal_code="2310023"
    )
    event = make_event(yokohama, staff)

    def register(**fields: Any) -> Registration:
        data = event_services.RegistrationData(name="参加 者", **fields)
        return event_services.registration_create(event=event, data=data)

    same_name = register(company_name="みなと精機株式会社", email="a@example.jp")
    name_and_phone = register(company_name="ﾐﾅﾄ精機㈱", email="b@example.jp", phone="+81452011234")
    run_queued_tasks()
    same_name.refresh_from_db()
    name_and_phone.refresh_from_db()
    assert same_name.company_id is None
    assert name_and_phone.company_id == company.pk
