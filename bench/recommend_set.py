"""The labelled set of the recommender (bench/data/recommend_*.json: cases, company profiles and the
cases relevant to each) and the measures read on it, shared by `bench/recommend.py`, which prints them,
and the test that the recommender beats the keyword baseline. Needs Django set up (it reads the case
text the way the pages do)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ouentai.cases.selectors.recommend import case_document
from ouentai.cases.similarity import CaseItem, CaseModel, Profile, _term_runs
from ouentai.core.search.normalize import normalize

DATA = Path(__file__).resolve().parent / "data"


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    cases = json.loads((DATA / "recommend_cases.json").read_text(encoding="utf-8"))
    queries = json.loads((DATA / "recommend_queries.json").read_text(encoding="utf-8"))
    return cases, queries


def case_text(case: dict[str, Any]) -> str:
    """The text the pages fit: selectors.recommend.case_document over the case's fields."""
    fields = {"background": "", "products": "", "strategy": "", **case}
    return case_document(SimpleNamespace(**fields))


def item_of(case: dict[str, Any]) -> CaseItem:
    return CaseItem(
        pk=case["id"],
        key=None,  # type: ignore[arg-type]  # no public key: not from the database
        organization_id=1,
        company_id=10_000 + case["id"],
        named=False,
        company_name="",
        title=case["title"],
        summary=case["summary"],
        industry=case["industry"],
        size_band=case["size_band"],
        prefecture=case["prefecture"],
        city="",
        challenge_kind=case["challenge_kind"],
        it_area=case["it_area"],
    )


def fit(cases: list[dict[str, Any]]) -> CaseModel:
    return CaseModel.fit([(item_of(case), case_text(case)) for case in cases])


def profile_of(query: dict[str, Any]) -> Profile:
    return Profile(query["text"], query["industry"], query["size_band"], query["prefecture"])


def precision_at(ranked: list[int], relevant: set[int], k: int) -> float:
    return sum(1 for pk in ranked[:k] if pk in relevant) / k


def recall_at(ranked: list[int], relevant: set[int], k: int) -> float:
    return sum(1 for pk in ranked[:k] if pk in relevant) / len(relevant)


def ndcg_at(ranked: list[int], relevant: set[int], k: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:k]) if pk in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def by_count(counts: dict[int, int]) -> list[int]:
    return [pk for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0])) if n > 0]


def shared_words_ranking(cases: list[dict[str, Any]]) -> Any:
    """The keyword baseline: cases ranked by how many of the profile's words their text holds."""
    folded = {case["id"]: normalize(case_text(case)) for case in cases}

    def rank(query: dict[str, Any]) -> list[int]:
        words = _term_runs(query["text"])
        return by_count({pk: sum(1 for w in words if w in text) for pk, text in folded.items()})[:10]

    return rank
