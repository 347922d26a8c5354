#!/usr/bin/env python
"""`make bench`, the case library's search at scale, on PostgreSQL: the same searches at a small and a
large library (BENCH_CASES_SMALL, default 500, and BENCH_CASES_LARGE, default 50,000 published cases),
measured in one run and printed side by side with their ratio.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

Set-up: a fresh PostgreSQL database (ouentai_bench_cases, dropped first), migrated. One organization,
company and completed engagement are made through the test factories (the real services); the cases are
then bulk-inserted as published with a live consent (what the workflow leaves behind), their texts
assembled from a vocabulary of phrases, so that a word's share of the library stays the same as the
library grows (a topic word such as 在庫 is in about one case in ten at both sizes). The index is
written by the real rebuild (`index_replace_kind` over `public_case_documents`), then VACUUM ANALYZE.

Measured per query, median of BENCH_SEARCH_REPEAT runs (default 7) after one warm-up:
- library: what the library page asks for a search, through its selector (`library_results`): the
  newest hits up to SEARCH_LIMIT, the facet counts over them, the count and the first page of 20 ranked;
- full ranking: the count of every hit and the first page of 20 ranked from all of them
  (`search_filter`), the way the library searched before, for comparison. The database is dropped at the end unless
--keep-db. Environment: BENCH_CASES_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/ouentai_bench_cases).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ouentai_bench_cases"
QUERIES = ["在庫", "ＥＣ", "ai", "会計", "コスト", "クラウド", "在庫 出荷", "存在しない言葉"]
PAGE = 20

# Phrases a case is written from: each slot picks one, so each phrase's words are in a steady share of
# the library whatever its size.
TOPICS = [
    ("受注", "受注の入力を一本化する", "受注の電話とFAXを紙に写していた。"),
    ("在庫", "在庫の数を毎日そろえる", "在庫の数が帳簿と合わなかった。"),
    ("会計", "会計をクラウドに移して月次を早める", "会計ソフトと銀行明細をつないだ。"),
    ("EC", "ECサイトで全国に売る", "ECモールに出店した。"),
    ("AI", "AIで検品の見落としを減らす", "カメラとAIで傷を見つける。"),
    ("勤怠", "勤怠をスマホで打刻する", "勤怠の集計を自動にした。"),
    ("予約", "予約をウェブで受ける", "予約の確認を自動で送る。"),
    ("工程", "工程を画面で見える化する", "工程の遅れを朝礼で確かめる。"),
    ("顧客", "顧客台帳を一つにする", "顧客の記録を営業全員で見る。"),
    ("配車", "配車表を全員で見る", "配車の変更をスマホに知らせる。"),
    ("期限", "賞味期限をロットで管理する", "期限の近い品から出荷する。"),
    ("請求", "請求書を電子化する", "請求の締めを一日早めた。"),
    ("会議", "会議資料をペーパーレスにする", "会議の前に資料を共有する。"),
    ("技能", "技能を動画で伝える", "技能の手順を撮影して残す。"),
    ("POS", "POSデータで売れ筋を分析する", "POSの集計を毎週見る。"),
    ("ｻｰﾊﾞｰ", "ｻｰﾊﾞｰを入れ替えて安全にする", "ｻｰﾊﾞｰの保守を外に任せた。"),
    ("見積", "見積りを即日で返す", "見積りのひな形をそろえた。"),
    ("採用", "採用の応募をウェブで受ける", "採用の面接日程を自動で決める。"),
    ("ｺｽﾄ", "ｺｽﾄを見える化する", "ｺｽﾄの内訳を製品ごとに出す。"),
    ("出荷", "出荷の間違いをなくす", "出荷の前にバーコードで確かめる。"),
]
FILLERS = [
    "社員向けに操作の勉強会を開いた。",
    "小さく始めて順に広げた。",
    "経営者が毎週数字を確かめる。",
    "若手が使い方をまとめた。",
    "取引先にも協力を頼んだ。",
    "半年で定着した。",
    "残業が減った。",
    "紙の書類がほとんどなくなった。",
    "問い合わせへの返事が早くなった。",
    "ベテランの負担が軽くなった。",
]


def case_texts(rng: random.Random) -> dict[str, str]:
    """A case about one main topic (its title and challenge) and a second one (its solution), the rest
    filler: each topic word is in about one case in ten, at any size of the library."""
    main, second = rng.sample(TOPICS, 2)
    fillers = rng.sample(FILLERS, 3)
    return {
        "title": f"{main[1]}（{rng.randrange(1, 10_000)}）",
        "summary": fillers[0],
        "challenge": main[2],
        "solution": second[2] + fillers[1],
        "results": fillers[2],
    }


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def grow(engagement: Any, count: int, rng: random.Random) -> None:
    """Bulk-insert ``count`` published cases with a live consent, then rebuild the case index."""
    from django.utils import timezone

    from ouentai.cases.choices import (
        CONSENT_TEXT_VERSION,
        CONSENT_TEXTS,
        CaseStatus,
        CaseVariant,
        Challenge,
        ItArea,
    )
    from ouentai.cases.models import Case, CaseConsent
    from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_case_documents
    from ouentai.core.search import index_replace_kind

    now = timezone.now()
    company = engagement.company
    for start in range(0, count, 2000):
        batch = [
            Case(
                organization_id=engagement.organization_id,
                engagement=engagement,
                company=company,
                status=CaseStatus.PUBLISHED,
                variant=CaseVariant.ANONYMOUS,
                industry=company.industry,
                prefecture=company.prefecture,
                challenge_kind=rng.choice(Challenge.values),
                it_area=rng.choice(ItArea.values),
                published_at=now - dt.timedelta(minutes=rng.randrange(0, 500_000)),
                **case_texts(rng),
            )
            for _ in range(min(2000, count - start))
        ]
        Case.objects.bulk_create(batch)
        CaseConsent.objects.bulk_create(
            CaseConsent(
                case=case,
                variant=CaseVariant.ANONYMOUS,
                version=CONSENT_TEXT_VERSION,
                text=str(CONSENT_TEXTS[CaseVariant.ANONYMOUS]),
                method="online",
            )
            for case in batch
        )
    index_replace_kind(kind=CASE_SEARCH_KIND, documents=public_case_documents(), batch_size=2000)


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def measure(query: str, repeat: int) -> dict[str, tuple[float, int, bool]]:
    """Median seconds of each way to search, with the count it shows and whether it was capped."""
    from ouentai.cases.selectors.library import LibraryFilters, library_results
    from ouentai.cases.selectors.public import CASE_SEARCH_KIND, public_cases
    from ouentai.core.search import search_filter

    def library() -> tuple[int, bool]:
        results = library_results(LibraryFilters(q=query))
        total = results.cases.count()
        list(results.cases.values_list("pk", flat=True)[:PAGE])
        return total, results.capped

    def full() -> tuple[int, bool]:
        hits = search_filter(public_cases(), kind=CASE_SEARCH_KIND, query=query)
        total = hits.count()
        list(hits.values_list("pk", flat=True)[:PAGE])
        return total, False

    measured = {}
    for name, once in (("library", library), ("full", full)):
        total, capped = once()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            once()
            times.append(time.perf_counter() - started)
        measured[name] = (statistics.median(times), total, capped)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=int(os.environ.get("BENCH_CASES_SMALL", 500)))
    parser.add_argument("--large", type=int, default=int(os.environ.get("BENCH_CASES_LARGE", 50_000)))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_SEARCH_REPEAT", 7)))
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_CASES_DATABASE_URL", DEFAULT_URL)

    recreate_database(url)
    django_setup(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.cases.factories import completed_engagement

    engagement = completed_engagement()
    rng = random.Random(20261205)
    results: dict[int, dict[str, dict[str, tuple[float, int, bool]]]] = {}
    size = 0
    for target in (args.small, args.large):
        started = time.perf_counter()
        grow(engagement, target - size, rng)
        size = target
        vacuum(url)
        print(f"{size:,} published cases ready ({time.perf_counter() - started:.0f} s to insert and index)")
        results[size] = {query: measure(query, args.repeat) for query in QUERIES}

    small, large = results[args.small], results[args.large]
    for name, title in (
        ("library", "The library's search (newest hits up to the limit, facets, count, first page)"),
        ("full", f"Full ranking, for comparison (count of every hit + first {PAGE} ranked)"),
    ):
        print()
        print(f"{title}, median of {args.repeat}, PostgreSQL")
        print(f"{'query':<14}{args.small:>8,} cases{'':>10}{args.large:>8,} cases{'':>12}ratio")
        for query in QUERIES:
            (t_small, n_small, c_small), (t_large, n_large, c_large) = small[query][name], large[query][name]
            shown_small = f"{n_small:>5,}{'+' if c_small else ' '}"
            shown_large = f"{n_large:>6,}{'+' if c_large else ' '}"
            print(
                f"{query:<14}{t_small * 1000:>8.1f} ms ({shown_small} hits)"
                f"{t_large * 1000:>8.1f} ms ({shown_large} hits){t_large / t_small:>8.1f}×"
            )
    print("  (+: more hits than the library's limit; it shows the newest)")
    if not args.keep_db:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
