"""core.search.newest_hits and rank_hits: the bounded search gives exactly the newest hits of the full
search, in its order once ranked, whatever the windows it takes to find them (properties)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouentai.core.models import SearchEntry
from ouentai.core.search import index_put, newest_hits, rank_hits, search_filter
from ouentai.core.search import query as search_query

pytestmark = pytest.mark.django_db

KIND = "tests.user"
WORDS = ["在庫", "受注", "会計", "EC", "ｶｲｹｲ"]
User = get_user_model()


def _library(seed: int, size: int) -> list[int]:
    """``size`` users, each indexed with some of WORDS in its title, secondary field or body, and in
    organization 1 or 2 (by the parity of its position)."""
    SearchEntry.objects.filter(kind=KIND).delete()
    User.objects.all().delete()
    rng = random.Random(seed)
    users = User.objects.bulk_create(
        User(email=f"u{seed}-{i}@example.jp", name=f"利用者{i}") for i in range(size)
    )
    for position, user in enumerate(users):
        fields = {"title": "", "secondary": "", "body": ""}
        for word in rng.sample(WORDS, rng.randrange(0, 3)):
            where = rng.choice(list(fields))
            fields[where] += f"{word}の話。"
        index_put(kind=KIND, object_id=user.pk, organization_id=1 + position % 2, **fields)
    return [user.pk for user in users]


def _exact(queryset: QuerySet[Any], query: str) -> list[int]:
    return list(search_filter(queryset, kind=KIND, query=query).values_list("pk", flat=True))


@given(
    seed=st.integers(0, 10_000),
    size=st.integers(0, 40),
    limit=st.integers(1, 8),
    query=st.sampled_from([*WORDS, "在庫 受注", "かいけい", "ない言葉"]),
    start=st.integers(1, 3),
    growth=st.integers(2, 4),
    scope=st.sampled_from(["all", "every other", "organization"]),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_newest_hits_are_those_of_the_full_search(
    monkeypatch: Any, seed: int, size: int, limit: int, query: str, start: int, growth: int, scope: str
) -> None:
    monkeypatch.setattr(search_query, "WINDOW_START", start)
    monkeypatch.setattr(search_query, "WINDOW_GROWTH", growth)
    ids = _library(seed, size)
    queryset = User.objects.all() if scope == "all" else User.objects.filter(pk__in=ids[::2])
    organization = 1 if scope == "organization" else None  # ids[::2] are organization 1's
    exact = _exact(queryset, query)
    hits = newest_hits(queryset, kind=KIND, query=query, limit=limit, organization_id=organization)
    assert hits is not None
    newest = sorted(exact, reverse=True)[:limit]
    assert list(hits.ids) == newest
    assert hits.complete == (len(exact) <= limit)
    # Ranked, they come in the full search's order (the full ranking restricted to them).
    ranked = list(
        rank_hits(queryset.filter(pk__in=hits.ids), kind=KIND, query=query).values_list("pk", flat=True)
    )
    assert ranked == [pk for pk in exact if pk in set(newest)]


def test_a_query_without_words_searches_nothing() -> None:
    assert newest_hits(User.objects.all(), kind=KIND, query="  株式会社 ", limit=5) is None


def test_a_common_word_stops_at_the_first_window_and_a_rare_one_asks_the_index_once(
    monkeypatch: Any, django_assert_num_queries: Any
) -> None:
    monkeypatch.setattr(search_query, "WINDOW_START", 2)
    _library(7, 0)
    users = User.objects.bulk_create(User(email=f"w{i}@example.jp", name=f"利用者{i}") for i in range(30))
    for user in users:
        index_put(kind=KIND, object_id=user.pk, organization_id=None, title="在庫の話")
    index_put(kind=KIND, object_id=users[5].pk, organization_id=None, title="在庫の話", body="棚卸")
    # A rare word: the first window (2 × limit newest entries, its edge, then its hits) holds none, the
    # index's few hits are all, then those of the queryset.
    with django_assert_num_queries(4):
        hits = newest_hits(User.objects.all(), kind=KIND, query="棚卸", limit=3)
    assert hits is not None and hits.ids == (users[5].pk,) and hits.complete
    # Every entry is a hit: the first window holds more than the limit; two queries however many
    # entries there are.
    with django_assert_num_queries(2):
        hits = newest_hits(User.objects.all(), kind=KIND, query="在庫", limit=3)
    assert hits is not None
    assert list(hits.ids) == sorted((u.pk for u in users), reverse=True)[:3]
    assert not hits.complete
