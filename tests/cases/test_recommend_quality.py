"""The recommender against the plain keyword baseline on the labelled set in bench/data (the numbers
bench/recommend.py prints, read the same way: bench/recommend_set.py). Deterministic: the same data,
the same locked scikit-learn, no sampling; a change that makes the recommender no better than counting
shared words fails here."""

from __future__ import annotations

import statistics

from bench.recommend_set import fit, load, ndcg_at, profile_of, shared_words_ranking


def test_the_recommender_ranks_the_labelled_set_better_than_shared_words():
    cases, queries = load()
    assert len(cases) >= 40 and len(queries) >= 20
    model = fit(cases)
    baseline = shared_words_ranking(cases)
    mine = [
        ndcg_at([m.item.pk for m in model.rank(profile_of(q), limit=10)], set(q["relevant"]), 10)
        for q in queries
    ]
    keywords = [ndcg_at(baseline(q), set(q["relevant"]), 10) for q in queries]
    assert statistics.mean(mine) >= statistics.mean(keywords) + 0.03
