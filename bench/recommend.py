#!/usr/bin/env python
"""`make bench`, recommendations: how good the case recommender is on a labelled set, beside plain
keyword baselines, and what it costs the console's company page, measured side by side in one run.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

1. Quality. bench/data/recommend_cases.json (48 short cases in 12 subjects, written for this set) and
   bench/data/recommend_queries.json (26 company profiles as a company writes them, each with the ids of
   the cases a coordinator would show it). Every ranker sees the same cases and profiles:
   - recommender: cases.similarity.CaseModel (char 1–3-gram TF-IDF over normalized text, plus the
     structured points), exactly what the pages call;
   - TF-IDF text only: the same model with the structured points left out (what the facts add);
   - shared words: the number of the profile's words (its kanji, katakana and Latin runs, normalized)
     that the case's text holds; the plain keyword baseline;
   - shared bigrams: the number of the profile's distinct character bigrams (the search engine's
     tokens, core.search) that the case's text holds.
   Ties go to the higher id, as in the recommender. Printed: precision@5, recall@5 and nDCG@10 (binary
   gains), their means over the profiles. A profile has 1–4 relevant cases, so precision@5 cannot
   exceed 0.8 here; nDCG@10 is the fairer single number.
2. Scale of the model, in memory: fitting and ranking over the labelled cases copied to
   BENCH_RECOMMEND_SCALE cases (default 5,000).
3. The company page. A test database (PostgreSQL when DATABASE_URL is set, else SQLite in
   var/bench-recommend.sqlite3) with the labelled cases published through the services (review,
   consent, publication) and experts on some of them, and a company with an engagement describing its
   problem. GET /console/companies/<pk>/ as staff through Django's test client, BENCH_RECOMMEND_ROUNDS
   rounds (default 30) alternating with and without the recommendations panel (the panel's source taken
   out of core.panels for the "without" requests), after a warm-up; median and ratio, queries of each.
   Also: the first page of a process (which fits the model) vs a warm one.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_SQLITE_PATH", str(ROOT / "var" / "bench-recommend.sqlite3"))

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from bench.recommend_set import (  # noqa: E402
    by_count,
    case_text,
    fit,
    item_of,
    load,
    ndcg_at,
    precision_at,
    profile_of,
    recall_at,
    shared_words_ranking,
)
from ouentai.cases import similarity  # noqa: E402
from ouentai.cases.similarity import CaseModel, Profile  # noqa: E402
from ouentai.core.search.normalize import normalize  # noqa: E402

# --- 1. quality ---------------------------------------------------------------------------------------


def bigrams(text: str) -> set[str]:
    folded = normalize(text)
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def quality() -> None:
    cases, queries = load()
    model = fit(cases)
    folded = {case["id"]: normalize(case_text(case)) for case in cases}
    points = dict(similarity.STRUCTURE_POINTS)

    def recommender(query: dict[str, Any]) -> list[int]:
        return [m.item.pk for m in model.rank(profile_of(query), limit=10)]

    def text_only(query: dict[str, Any]) -> list[int]:
        similarity.STRUCTURE_POINTS.update(dict.fromkeys(points, 0.0))
        try:
            return [m.item.pk for m in model.rank(Profile(query["text"]), limit=10)]
        finally:
            similarity.STRUCTURE_POINTS.update(points)

    shared_words = shared_words_ranking(cases)

    def shared_bigrams(query: dict[str, Any]) -> list[int]:
        grams = bigrams(query["text"])
        return by_count({pk: sum(1 for g in grams if g in text) for pk, text in folded.items()})[:10]

    rankers = [
        ("recommender (TF-IDF + facts)", recommender),
        ("TF-IDF text only", text_only),
        ("shared words (baseline)", shared_words),
        ("shared bigrams (baseline)", shared_bigrams),
    ]
    print(f"1. Quality: {len(cases)} cases, {len(queries)} company profiles (bench/data/recommend_*.json)")
    print(f"   {'ranker':<30} {'P@5':>6} {'R@5':>6} {'nDCG@10':>8}  {'time/profile':>12}")
    results: dict[str, list[float]] = {}
    for name, ranker in rankers:
        started = time.perf_counter()
        ranked = [(ranker(query), set(query["relevant"])) for query in queries]
        per = (time.perf_counter() - started) / len(queries) * 1000
        p5 = statistics.mean(precision_at(r, rel, 5) for r, rel in ranked)
        r5 = statistics.mean(recall_at(r, rel, 5) for r, rel in ranked)
        n10 = statistics.mean(ndcg_at(r, rel, 10) for r, rel in ranked)
        results[name] = [p5, r5, n10]
        print(f"   {name:<30} {p5:>6.3f} {r5:>6.3f} {n10:>8.3f}  {per:>9.2f} ms")
    base = results["shared words (baseline)"]
    mine = results["recommender (TF-IDF + facts)"]
    print(
        f"   recommender / shared words: P@5 ×{mine[0] / base[0]:.2f}, nDCG@10 ×{mine[2] / base[2]:.2f}"
        f"  (ceiling of P@5 on this set: "
        f"{statistics.mean(min(len(q['relevant']), 5) / 5 for q in queries):.3f})"
    )
    first = queries[0]
    found = model.rank(profile_of(first), limit=1)
    if found:
        print(f"   e.g. {first['id']} → case {found[0].item.pk}: {' / '.join(found[0].reasons)}")


# --- 2. scale of the model ----------------------------------------------------------------------------


def scale() -> None:
    cases, queries = load()
    target = int(os.environ.get("BENCH_RECOMMEND_SCALE", "5000"))
    documents = []
    for n in range(target):
        case = cases[n % len(cases)]
        documents.append((item_of({**case, "id": n + 1}), f"{case_text(case)}\n{n}"))
    started = time.perf_counter()
    model = CaseModel.fit(documents)
    fit = time.perf_counter() - started
    timings = []
    for query in queries:
        started = time.perf_counter()
        model.rank(
            Profile(query["text"], query["industry"], query["size_band"], query["prefecture"]), limit=5
        )
        timings.append(time.perf_counter() - started)
    print(
        f"2. Model at {target:,} cases (in memory): fit {fit:.2f} s, "
        f"rank one profile median {statistics.median(timings) * 1000:.1f} ms "
        f"(at {len(cases)} cases: see part 1's time/profile)"
    )


# --- 3. the company page ------------------------------------------------------------------------------


def company_page() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment
    from django.test.utils import teardown_databases as teardown
    from django.urls import reverse

    from ouentai.accounts.choices import Role
    from ouentai.cases.panels import company_recommendations_panel
    from ouentai.cases.selectors.recommend import case_model_forget
    from ouentai.core import panels
    from tests.accounts.factories import OrganizationFactory, make_user
    from tests.cases.factories import CaseFactory, completed_engagement, publish
    from tests.community.factories import CompanyFactory
    from tests.engagements.factories import EngagementFactory
    from tests.network.factories import ExpertFactory

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    vendor = connection.vendor
    try:
        cases, queries = load()
        organization = OrganizationFactory.create()
        staff = make_user(organization, Role.STAFF)
        experts = [ExpertFactory.create(organization=organization, name=f"専門家 {n}") for n in range(6)]
        started = time.perf_counter()
        for case in cases:
            company = CompanyFactory.create(
                organization=organization,
                name=f"株式会社事例{case['id']}",
                prefecture=case["prefecture"],
                industry=case["industry"],
                employees=int(case["size_band"].split("-")[0]) + 1,
            )
            made = CaseFactory.create(
                engagement=completed_engagement(company=company),
                title=case["title"][:120],
                summary=case["summary"][:300],
                challenge=case["challenge"],
                solution=case["solution"],
                results=case["results"],
                challenge_kind=case["challenge_kind"],
                it_area=case["it_area"],
            )
            # The experts a case lists come from its engagement's reported dispatches; set here.
            made.experts.add(experts[case["id"] % len(experts)])
            publish(made)
        made_in = time.perf_counter() - started
        query = queries[0]
        company = CompanyFactory.create(
            organization=organization, name="株式会社ベンチ", in_yokohama=True, employees=15
        )
        EngagementFactory.create(organization=organization, company=company, challenges=query["text"])
        client = Client()
        client.force_login(staff)
        url = reverse("community:company_detail", args=[company.pk])
        sources = panels._SOURCES["community.company"]

        def without() -> None:
            sources.remove(company_recommendations_panel)

        def restore() -> None:
            if company_recommendations_panel not in sources:
                sources.append(company_recommendations_panel)

        def get() -> tuple[float, int, str]:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            return elapsed, len(captured), response.content.decode()

        case_model_forget()
        cold, cold_queries, _page = get()
        warm_first, _n, page = get()
        assert "似た事例とおすすめの専門家" in page
        rounds = int(os.environ.get("BENCH_RECOMMEND_ROUNDS", "30"))
        with_times, without_times = [], []
        with_queries = without_queries = 0
        for n in range(rounds):
            for mode in ("with", "without") if n % 2 == 0 else ("without", "with"):
                if mode == "without":
                    without()
                    try:
                        elapsed, without_queries, _page = get()
                    finally:
                        restore()
                    without_times.append(elapsed)
                else:
                    elapsed, with_queries, _page = get()
                    with_times.append(elapsed)
        median_with = statistics.median(with_times) * 1000
        median_without = statistics.median(without_times) * 1000
        database = "PostgreSQL" if vendor == "postgresql" else "SQLite"
        print(
            f"3. Company page on {database} ({len(cases)} public cases published through the services in "
            f"{made_in:.1f} s; {rounds} rounds alternating):"
        )
        print(f"   with recommendations    median {median_with:7.2f} ms, {with_queries} queries")
        print(f"   without                 median {median_without:7.2f} ms, {without_queries} queries")
        print(f"   ratio with / without    {median_with / median_without:.2f}×  (goal ≤ 1.5×)")
        print(
            f"   first page of a process (fits the model): {cold * 1000:.1f} ms, {cold_queries} queries; "
            f"the next: {warm_first * 1000:.1f} ms"
        )
    finally:
        teardown(old, verbosity=0)


def main() -> int:
    with translation.override("ja"):
        quality()
        scale()
        company_page()
    return 0


if __name__ == "__main__":
    sys.exit(main())
