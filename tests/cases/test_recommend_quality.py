"""The recommender against the plain keyword baseline on the labelled set in bench/data (the numbers
bench/recommend.py prints). Deterministic: the same data, the same locked scikit-learn, no sampling;
a change that makes the recommender no better than counting shared words fails here."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

from django.conf import settings

from ouentai.cases.similarity import CaseItem, CaseModel, Profile, _term_runs
from ouentai.core.search.normalize import normalize

DATA = Path(settings.BASE_DIR) / "bench" / "data"


def ndcg10(ranked: list[int], relevant: set[int]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, pk in enumerate(ranked[:10]) if pk in relevant)
    return dcg / sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))


def text(case: dict[str, Any]) -> str:
    return "\n".join(case[k] for k in ("title", "summary", "challenge", "solution", "results"))


def test_the_recommender_ranks_the_labelled_set_better_than_shared_words():
    cases = json.loads((DATA / "recommend_cases.json").read_text(encoding="utf-8"))
    queries = json.loads((DATA / "recommend_queries.json").read_text(encoding="utf-8"))
    assert len(cases) >= 40 and len(queries) >= 20
    items = [
        CaseItem(
            pk=c["id"],
            key=None,  # type: ignore[arg-type]  # no public key: not from the database
            organization_id=1,
            company_id=0,
            named=False,
            company_name="",
            title=c["title"],
            summary=c["summary"],
            industry=c["industry"],
            size_band=c["size_band"],
            prefecture=c["prefecture"],
            city="",
            challenge_kind=c["challenge_kind"],
            it_area=c["it_area"],
        )
        for c in cases
    ]
    model = CaseModel.fit(zip(items, [text(c) for c in cases], strict=True))
    folded = {c["id"]: normalize(text(c)) for c in cases}
    mine, baseline = [], []
    for q in queries:
        relevant = set(q["relevant"])
        profile = Profile(q["text"], q["industry"], q["size_band"], q["prefecture"])
        mine.append(ndcg10([m.item.pk for m in model.rank(profile, limit=10)], relevant))
        words = _term_runs(q["text"])
        counts = {pk: sum(1 for w in words if w in t) for pk, t in folded.items()}
        ranked = [pk for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0])) if n]
        baseline.append(ndcg10(ranked, relevant))
    assert statistics.mean(mine) >= statistics.mean(baseline) + 0.03
