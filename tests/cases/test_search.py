"""Cases in the search index: indexed from their public projection while public, gone when withdrawn,
and rebuilt by ``search_reindex`` from public cases only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ouentai.cases.choices import CaseVariant
from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
from ouentai.cases.services.workflow import case_withdraw
from ouentai.core.models import SearchEntry
from ouentai.core.search import search_filter
from tests.cases.factories import CaseFactory, publish

pytestmark = pytest.mark.django_db


def _found(query: str) -> list[int]:
    return list(
        search_filter(public_cases(), kind=CASE_SEARCH_KIND, query=query).values_list("pk", flat=True)
    )


def test_a_published_case_is_found_by_its_words_and_ranked_by_where_they_are() -> None:
    anonymous = publish(CaseFactory.create(), variant=CaseVariant.ANONYMOUS)
    named = publish(
        CaseFactory.create(
            title="勤怠をクラウドに移して月末の集計をなくす", results="受注の確認も早くなった。"
        )
    )
    CaseFactory.create(title="下書きの受注事例")  # a draft: never in the index
    assert _found("受注") == [anonymous.pk, named.pk]  # in the title above in the results
    assert _found("ｆａｘ") == [
        named.pk,
        anonymous.pk,
    ]  # 全角 letters find "FAX" of both summaries; ties: newest
    assert _found("でんわ") == []  # hiragana is not read as kanji
    assert _found("電話") == [named.pk, anonymous.pk]  # both challenges: a word scores its best field
    assert _found("勤怠") == [named.pk]
    assert _found("在庫 即日") == [anonymous.pk]
    assert _found("下書き") == []


def test_an_anonymized_case_never_carries_its_company_into_the_index() -> None:
    case = publish(CaseFactory.create(), variant=CaseVariant.ANONYMOUS)
    entry = SearchEntry.objects.get(kind=CASE_SEARCH_KIND, object_id=case.pk)
    assert "みなと" not in entry.title + entry.secondary + entry.body
    assert _found("みなと精機") == []
    named = publish(CaseFactory.create(), variant=CaseVariant.NAMED)
    assert _found("みなと精機") == [named.pk]


def test_withdrawal_takes_the_case_out_of_the_index_at_once() -> None:
    case = publish(CaseFactory.create())
    case_withdraw(case=case, actor=case.company.member_accounts.get().user)
    assert not SearchEntry.objects.filter(kind=CASE_SEARCH_KIND).exists()


def test_reindex_rebuilds_public_cases_only() -> None:
    public = publish(CaseFactory.create())
    CaseFactory.create()
    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("search_reindex", "--kind", CASE_SEARCH_KIND, stdout=out)
    assert f"{CASE_SEARCH_KIND}: 1 entries rebuilt" in out.getvalue()
    assert list(SearchEntry.objects.values_list("object_id", flat=True)) == [public.pk]
