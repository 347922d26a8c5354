"""The search test set (tests/cases/search_set.py) against the real index, through the public gate,
on whichever database the suite runs (SQLite in `make test`, PostgreSQL in `make test-postgres`):
both must give the same hits in the same order."""

from __future__ import annotations

import pytest

from ouentai.cases.choices import CaseVariant, Challenge, ItArea
from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
from ouentai.core.search import search_filter
from tests.cases.factories import CaseFactory, completed_engagement, publish
from tests.cases.search_set import DOCS, QUERIES
from tests.community.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_the_set_is_large_enough_to_mean_something() -> None:
    assert len(QUERIES) >= 40
    assert len({query for query, _, _ in QUERIES}) == len(QUERIES)
    assert {key for _, keys, _ in QUERIES for key in keys} == {doc.key for doc in DOCS}


def test_every_query_of_the_set_finds_its_cases_in_order() -> None:
    keys: dict[int, str] = {}
    for doc in DOCS:  # created in order: a later case has the higher id
        company = CompanyFactory.create(name=doc.company or f"試験用の会社{doc.key}", employees=12)
        case = CaseFactory.create(
            engagement=completed_engagement(company=company),
            title=doc.title,
            summary=doc.summary,
            challenge=doc.challenge,
            solution=doc.solution,
            strategy="段階を踏んで進めた。",
            results="効果が出た。",
            owner_words="",
            owner_title="",
            it_area=ItArea.COLLABORATION,
            challenge_kind=Challenge.PRODUCTIVITY,
        )
        variant = CaseVariant.NAMED if doc.company else CaseVariant.ANONYMOUS
        keys[publish(case, variant=variant).pk] = doc.key

    wrong = []
    for query, expected, why in QUERIES:
        hits = search_filter(public_cases(), kind=CASE_SEARCH_KIND, query=query).values_list("pk", flat=True)
        found = [keys[pk] for pk in hits]
        if found != expected:
            wrong.append(f"{query!r}: found {found}, expected {expected} ({why})")
    assert wrong == []
