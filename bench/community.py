#!/usr/bin/env python
"""`make bench`, second part: the community data at scale, on PostgreSQL. Import, export and search of
companies, each measured side by side with its baseline in one run.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

Set-up: a fresh PostgreSQL database (ouentai_bench_community, dropped first; template0, UTF8, LC_COLLATE
and LC_CTYPE C.UTF-8, as docs/operators/postgresql.md asks), migrated with
config.settings.production (environment from bench/run.py). Every measurement runs in a fresh child
process of this script (Django set up, the real app code called in-process; no task worker, no HTTP), so
memory figures do not inherit each other's heap. Memory is the child's peak RSS during the measured call
minus its RSS just before it: the kernel's high-water mark is reset (/proc/self/clear_refs) before the
call and read back after it from /proc/self/status VmHWM (the value getrusage's ru_maxrss gives, without
the parent's pre-exec peak that ru_maxrss carries over into a child).

1. Import. A CP932 CSV (what Excel writes) of generated companies: realistic names (legal form before or
   after, ㈱ and (株)), フリガナ in katakana, hiragana or half-width kana, phone numbers and postal codes
   typed several ways (full-width digits, 〒, hyphens), real Japan Post postal codes, 法人番号 with valid
   check digits, contacts with e-mail; 1% re-typed duplicates of earlier rows and 0.5% invalid rows.
   BENCH_IMPORT_ROWS rows (default 5,000) go through import_upload → import_start → import_run (what the
   worker runs), timed; the same rows are then inserted with Company/Contact.objects.bulk_create, timed.
   The import checks each row against the whole organization (名寄せ), so its per-row cost grows with the
   number of companies already there; when BENCH_IMPORT_ROWS is below BENCH_IMPORT_TARGET (100,000), the
   target is bulk-inserted and BENCH_IMPORT_PROBE_ROWS more rows (default 500) are imported into that
   organization, and the time of a full import is extrapolated from the measured per-row times (labelled).
   Where the time goes: a sample of BENCH_PROFILE_ROWS rows (default 200) is run with the service functions
   wrapped (wall and SQL time per part) and another with cProfile, at both organization sizes.
2. Export. Companies generated with INSERT … SELECT generate_series (derived fields, memberships and a
   contact for half of them, filled like the services would; then the search entries written by the real
   rebuild, search_reindex's, timed), in stages: BENCH_COMPANIES_SMALL (10,000), BENCH_XLSX_ROWS (100,000)
   and BENCH_COMPANIES_LARGE (1,000,000). At each stage: the CSV path (company_rows + stream_csv over
   company_list, consumed like the streaming response would) and, up to BENCH_XLSX_ROWS, the .xlsx path
   (write_xlsx, openpyxl write-only): time, time to the first row, output size, peak memory.
3. Search. At each stage: company_list_page(organization, CompanyFilters(q=…)) for a 2-character query,
   a 5-character one and a phone number, timed like the console's first page (the search, which takes
   the newest hits up to COMPANY_SEARCH_LIMIT; the count; the first 50 rows; median of
   BENCH_SEARCH_REPEAT runs after a warm-up), and EXPLAIN ANALYZE of every query it sent.

The database is dropped at the end (unless --keep-db). Options: see --help. Environment:
BENCH_COMMUNITY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ouentai_bench_community),
BENCH_REDIS_URL, and the BENCH_* sizes above.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.community_data import (  # noqa: E402
    CONTACT_SQL,
    EXPORT_GOAL_MB,
    FULL_REPORT,
    KB,
    MB,
    MEMBERSHIP_SQL,
    PAGE_SIZE,
    SEED,
    company_sql,
    dataset_params,
    env_int,
    generate_pool,
    postal_pool,
    write_csv,
)
from bench.community_tasks import child_main, run_child  # noqa: E402
from bench.profiling import IMPORT_PARTS, OWN_SQL  # noqa: E402
from bench.run import (  # noqa: E402
    SetupError,
    admin_conninfo,
    django_env,
    drop_database,
    machine_note,
    manage,
    recreate_database,
)
from ouentai.core.jp import format_phone  # noqa: E402

# ---------------------------------------------------------------------------------------------------
# Report helpers


def pad(text: str, width: int) -> str:
    """Left-align text in `width` terminal columns (kanji and kana take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def fmt_s(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def mb(kb: float) -> float:
    return kb * KB / MB


def integrate(points: list[tuple[float, float]], until: float) -> float:
    """∫ t(n) dn from 0 to `until`, t piecewise linear through the points (flat before the first)."""
    points = sorted(points)
    total, previous = 0.0, (0.0, points[0][1])
    for n, t in [*points, (until, points[-1][1])]:
        n = min(n, until)
        if n > previous[0]:
            total += (n - previous[0]) * (t + previous[1]) / 2
            previous = (n, t)
    return total


def db_settings(conninfo: str) -> str:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        names = ["shared_buffers", "work_mem", "synchronous_commit", "max_parallel_workers_per_gather"]
        values = [str((conn.execute(f"SHOW {name}").fetchone() or [""])[0]) for name in names]
    return ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


# ---------------------------------------------------------------------------------------------------
# Part 1: import


def part_import(args: argparse.Namespace, env: dict[str, str], ids: dict[str, Any], workdir: Path) -> None:
    n, target, probe, sample = args.import_rows, args.import_target, args.probe_rows, args.profile_rows
    extrapolate = n < target
    pool_size = max(n + 2 * sample, target + probe + 2 * sample) if extrapolate else n + 2 * sample
    print(f"\n=== 1. Import of companies from a CSV file ({n:,} rows measured; target {target:,}) ===")
    began = time.perf_counter()
    pool = generate_pool(pool_size)
    files = {
        "main": pool[:n],
        "sample_attr": pool[n : n + sample],
        "sample_prof": pool[n + sample : n + 2 * sample],
        "probe": pool[target : target + probe],
        "probe_attr": pool[target + probe : target + probe + sample],
        "probe_prof": pool[target + probe + sample : target + probe + 2 * sample],
    }
    sizes = {name: write_csv(workdir / f"{name}.csv", rows) for name, rows in files.items() if rows}
    kinds = {k: sum(1 for r in pool[:n] if r.kind == k) for k in ("new", "duplicate", "error")}
    print(
        f"generated {pool_size:,} rows in {time.perf_counter() - began:.1f} s; the measured file: {n:,} rows, "
        f"{sizes['main'] / MB:.1f} MB CP932 ({kinds['new']:,} new companies, {kinds['duplicate']} re-typed "
        f"duplicates of earlier rows, {kinds['error']} invalid rows; {sum(1 for r in pool[:n] if r.contact):,} "
        "with a contact)"
    )
    del pool, files  # the children regenerate what they need; keep this process small
    base = {
        "task": "import",
        "org": ids["import_org"],
        "staff": ids["staff"],
        "media_root": str(workdir / "media"),
    }

    def run_import(name: str, mode: str, **extra: Any) -> dict[str, Any]:
        return run_child(env, {**base, "csv": str(workdir / f"{name}.csv"), "mode": mode, **extra})

    segment = max(100, n // 10)
    print(f"  importing {n:,} rows into an empty organization (timed) …", flush=True)
    timed = run_import("main", "timed", segment=segment)
    print("  the same in parts (wrapped) and under cProfile, at this size …", flush=True)
    attr_small = run_import("sample_attr", "attribute") if sample else None
    prof_small = run_import("sample_prof", "profile") if sample else None
    print("  bulk inserts of the same rows …", flush=True)
    runs = [n, target] if extrapolate else [n]
    bulk = run_child(
        env,
        {"task": "bulk", "org": ids["import_org"], "pool_size": pool_size, "verify_rows": n, "runs": runs,
         "target": target},
    )  # fmt: skip
    probe_timed = attr_large = prof_large = None
    if extrapolate:
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE community_company, community_contact")
        print(f"  importing {probe:,} rows into the organization holding {target:,} companies …", flush=True)
        probe_timed = run_import("probe", "timed", segment=max(50, probe // 5), fill_report=True)
        if sample:
            attr_large = run_import("probe_attr", "attribute", fill_report=True)
            prof_large = run_import("probe_prof", "profile", fill_report=True)
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE community_contact, community_company CASCADE")

    # --- The table
    bulk_n = bulk["runs"][0]
    rows = timed["rows"]
    print()
    print(f"{'':58} {'rows':>7} {'created':>8} {'seconds':>8} {'ms/row':>7} {'rows/s':>7} {'× bulk':>7}")
    print("-" * 102)
    ratio = timed["total_s"] / bulk_n["insert_s"]
    print(
        f"{'(a) import: import_upload → import_start → import_run':58} {rows:7,} {timed['created']:8,} "
        f"{timed['total_s']:8.1f} {timed['total_s'] * 1000 / rows:7.2f} {rows / timed['total_s']:7.0f} {ratio:7.1f}"
    )
    print(
        f"{'(b) bulk_create of the same companies + contacts':58} {bulk_n['companies']:7,} {bulk_n['companies']:8,} "
        f"{bulk_n['insert_s']:8.2f} {bulk_n['insert_s'] * 1000 / bulk_n['companies']:7.3f} "
        f"{bulk_n['companies'] / bulk_n['insert_s']:7.0f} {1.0:7.1f}"
    )
    print(
        f"  (a) split: upload {timed['upload_s']:.2f} s, start {timed['start_s']:.2f} s, run {timed['run_s']:.1f} s; "
        f"CPU: this process {timed['cpu_s'] * 1000 / rows:.2f} ms/row, its PostgreSQL backend "
        f"{timed['backend_cpu_s'] * 1000 / rows:.2f} ms/row, the rest of the wall time is waiting (commits: "
        "one fsync per row)"
    )
    print(
        f"  (a) outcome: {timed['created']:,} created, {timed['duplicates']} duplicates, {timed['errors']} errors "
        f"(expected {kinds['new']:,} / {kinds['duplicate']} / {kinds['error']})"
    )
    print(
        f"  (b) preparing the objects (not timed in (b)): {bulk_n['prepare_s']:.2f} s; "
        f"{bulk_n['contacts']:,} contacts; batches of 1000"
    )
    verdict = (
        "all match" if not bulk["mismatches"] else f"{bulk['mismatches']} MISMATCHES, e.g. {bulk['examples']}"
    )
    print(
        f"  imported rows vs the same rows prepared for (b), 20 fields + contact: {bulk['verified']:,} checked, {verdict}"
    )
    per = [s * 1000 / timed["segment_rows"] for s in timed["segments"]]
    print(
        f"  (a) ms/row by position in the file ({timed['segment_rows']} rows each): "
        + " ".join(f"{p:.1f}" for p in per)
    )
    memory = timed["memory"]
    print(
        f"  (a) peak memory: {mb(memory['peak_kb'] - memory['rss_start_kb']):.1f} MB above the RSS at the start "
        f"({mb(memory['rss_start_kb']):.0f} MB → peak {mb(memory['peak_kb']):.0f} MB; VmHWM, peak "
        f"mark reset before the import: {'yes' if memory['reset'] else 'no'})"
    )
    estimate = None
    if extrapolate and probe_timed is not None:
        bulk_t = bulk["runs"][1]
        probe_ms = probe_timed["run_s"] * 1000 / probe_timed["rows"]
        points = [
            ((k + 0.5) * timed["segment_rows"] * kinds["new"] / n, s * 1000 / timed["segment_rows"])
            for k, s in enumerate(timed["segments"])
        ]
        points.append((bulk_t["companies"] + probe / 2, probe_ms))
        estimate = integrate(points, bulk_t["companies"]) / 1000 * target / bulk_t["companies"]
        print()
        print(
            f"{'(c) import into an organization of ' + format(bulk_t['companies'], ',') + ' companies':58} "
            f"{probe_timed['rows']:7,} {probe_timed['created']:8,} {probe_timed['run_s']:8.1f} {probe_ms:7.2f} "
            f"{probe_timed['rows'] / probe_timed['run_s']:7.0f}"
        )
        print(
            f"{'(d) bulk_create of ' + format(target, ',') + ' rows (' + format(bulk_t['companies'], ',') + ' companies)':58} "
            f"{bulk_t['companies']:7,} {bulk_t['companies']:8,} {bulk_t['insert_s']:8.1f} "
            f"{bulk_t['insert_s'] * 1000 / bulk_t['companies']:7.3f} {bulk_t['companies'] / bulk_t['insert_s']:7.0f}"
        )
        print(
            f"{'(e) EXTRAPOLATED import of ' + format(target, ',') + ' rows':58} {target:7,} {'':8} "
            f"{estimate:8.0f} {estimate * 1000 / target:7.2f} {target / estimate:7.0f} "
            f"{estimate / bulk_t['insert_s']:7.1f}"
        )
        print(
            f"  (c) ran with the import's report already full ({len(FULL_REPORT)} entries), as it is after the "
            f"first ~{len(FULL_REPORT) * 100 // 1.5:,.0f} rows of a file with 1.5% duplicates/errors; CPU: this process "
            f"{probe_timed['cpu_s'] * 1000 / probe_timed['rows']:.2f} ms/row, backend "
            f"{probe_timed['backend_cpu_s'] * 1000 / probe_timed['rows']:.2f} ms/row"
        )
        print(
            "  (e) = ∫ per-row time over the companies already in the organization, piecewise linear through the "
            f"measured (a) segments and (c) at {bulk_t['companies']:,}; ratio to (d). Not measured: "
            f"{target:,} rows through the import would take ~{estimate / 60:.0f} min here."
        )
        extra = bulk["seen_bytes"] / MB
        print(
            f"  memory at {target:,} rows: the import's set of accepted keys would hold {bulk['seen_keys']:,} "
            f"strings = {extra:.1f} MB (tracemalloc); estimated peak ≈ {mb(memory['peak_kb'] - memory['rss_start_kb']) + extra:.0f} MB "
            "above the start (everything else per row is released)"
        )
    print()
    print_attribution(attr_small, attr_large, n, bulk["runs"][-1]["companies"] if extrapolate else None)
    print_profile(prof_small, prof_large)


def print_attribution(
    small: dict[str, Any] | None, large: dict[str, Any] | None, n: int, big: int | None
) -> None:
    if small is None:
        return
    columns = [("at ~" + format(n, ","), small)]
    if large is not None and big is not None:
        columns.append(("at ~" + format(big, ","), large))
    print(
        "Where the time of one row goes (ms per row; service functions wrapped where the import calls them)"
    )
    header = f"{'part':66}" + "".join(f" {'wall':>7} {'SQL':>6} {'queries':>7} |" for _ in columns)
    print(
        f"{'companies already in the organization →':66}" + "".join(f" {label:^24}|" for label, _ in columns)
    )
    print(header)
    print("-" * len(header))
    labels = [(depth, label) for depth, _m, _f, label in IMPORT_PARTS]
    labels.insert(len(labels) - 1, (1, OWN_SQL))
    for depth, label in labels:
        cells = ""
        for _name, parts in columns:
            rows = parts["parts"][IMPORT_PARTS[0][3]][2]
            wall, sql, _calls, queries = parts["parts"].get(label, [0.0, 0.0, 0.0, 0.0])
            if label == OWN_SQL:
                wall = sql
            cells += f" {wall * 1000 / rows:7.2f} {sql * 1000 / rows:6.2f} {queries / rows:7.1f} |"
        print(f"{pad('  ' * depth + label, 66)}{cells}")
    cells = ""
    for _name, parts in columns:
        rows = parts["parts"][IMPORT_PARTS[0][3]][2]
        p = parts["parts"]
        whole = p[IMPORT_PARTS[0][3]][0]
        children = sum(p.get(label, [0.0])[0] for depth, _m, _f, label in IMPORT_PARTS if depth == 1)
        children += p.get(OWN_SQL, [0.0, 0.0])[1]
        cells += f" {(whole - children) * 1000 / rows:7.2f} {'':6} {'':7} |"
    print(f"{'  rest of _import_row (atomic/savepoints, JSON of the report, ORM)':66}{cells}")
    cells = ""
    for _name, parts in columns:
        p = parts["parts"]
        rows = p[IMPORT_PARTS[0][3]][2]
        cells += f" {(p['import_run'][0] - p[IMPORT_PARTS[0][3]][0]) * 1000 / rows:7.2f} {'':6} {'':7} |"
    print(f"{'outside the rows (reading the file twice, start and finish)':66}{cells}")
    print(
        "  wall includes the parts nested under it; SQL is time inside cursor.execute (client round trip plus "
        "server work), counted in the innermost part"
    )
    print("  duplicate_candidates' queries, EXPLAIN ANALYZE of the first of each in the sample:")
    for label, parts in columns:
        for table, plan, ms in parts.get("dedup_plans", []):
            print(f"    {label:>10}, {table:17}: {'; '.join(plan)} ({ms:.1f} ms)")
    print()


def print_profile(small: dict[str, Any] | None, large: dict[str, Any] | None) -> None:
    if small is None:
        return
    columns = [("small", small)] + ([("large", large)] if large else [])
    print(
        "cProfile of the same kind of sample (own time by area, ms per row; profiling inflates Python time)"
    )
    areas = sorted({a for _, p in columns for a in p["areas"]}, key=lambda a: -small["areas"].get(a, 0.0))
    print(f"{'area':44}" + "".join(f" {'org ' + name:>12}" for name, _ in columns))
    for area in areas:
        cells = "".join(f" {p['areas'].get(area, 0.0) * 1000 / p['rows']:12.2f}" for _, p in columns)
        print(f"{area:44}{cells}")
    print(
        f"{'total (profiled)':44}"
        + "".join(f" {p['profiled_s'] * 1000 / p['rows']:12.2f}" for _, p in columns)
    )
    for name, p in columns:
        print(f"  top functions by own time, org {name} (ms/row own, cumulative):")
        for own, cumulative, where in p["top_own"][:10]:
            print(f"    {own * 1000 / p['rows']:7.2f} {cumulative * 1000 / p['rows']:8.2f}  {where}")
    print()


# ---------------------------------------------------------------------------------------------------
# Parts 2 and 3: export and search, on companies generated in SQL


def grow_dataset(
    database_url: str, org: int, coordinators: list[int], params: dict[str, Any], start: int, stop: int
) -> float:
    began = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM community_company").fetchone()
        after = int(row[0]) if row else 0
        step = 250_000
        for first in range(start, stop + 1, step):
            conn.execute(
                company_sql(len(params["pc"])),
                {**params, "org": org, "start": first, "stop": min(stop, first + step - 1)},
            )
        conn.execute(MEMBERSHIP_SQL, {"org": org, "after": after, "coordinators": coordinators})
        conn.execute(
            CONTACT_SQL,
            {"org": org, "after": after, "n_surnames": len(params["sn"]), "n_given": len(params["gn"]),
             **{key: params[key] for key in ("sn", "snk", "snr", "gn", "gnk")}},
        )  # fmt: skip
        conn.execute("VACUUM ANALYZE community_company, community_membership, community_contact")
    return time.perf_counter() - began


def part_dataset(args: argparse.Namespace, env: dict[str, str], ids: dict[str, Any]) -> None:
    sizes = sorted({args.small, args.xlsx_rows, args.large})
    print(f"\n=== 2 and 3. Export and search over {', '.join(f'{s:,}' for s in sizes)} companies ===")
    rng = random.Random(SEED + 1)
    params = dataset_params(postal_pool(rng))
    exports: dict[tuple[str, int], dict[str, Any]] = {}
    searches: dict[int, dict[str, Any]] = {}
    queries: list[list[str]] = []
    done = 0
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE community_contact, community_membership, community_company CASCADE")
    for size in sizes:
        seconds = grow_dataset(
            args.database_url, ids["data_org"], ids["coordinators"], params, done + 1, size
        )
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            indexed = run_child(env, {"task": "index"}) if "search" in args.parts else None
            row = conn.execute(
                "SELECT count(*), (SELECT count(*) FROM community_membership), "
                "pg_size_pretty(pg_total_relation_size('community_company')), "
                "pg_size_pretty(pg_total_relation_size('core_searchentry')) FROM community_company"
            ).fetchone()
            if not queries:
                phone_row = conn.execute(
                    "SELECT phone FROM community_company WHERE phone LIKE '+8145%%' ORDER BY id LIMIT 1 OFFSET %s",
                    [min(4321, size // 2)],
                ).fetchone()
                phone = format_phone(str(phone_row[0])) if phone_row else "045-200-1234"
                queries = [["2 chars", "会計"], ["5 chars", "みなと精機"], ["phone", phone]]
        assert row is not None
        print(
            f"  {size:>9,} companies: generated in {seconds:.1f} s (INSERT … SELECT generate_series, then VACUUM "
            f"ANALYZE); {row[1]:,} memberships; table + indexes {row[2]}",
            flush=True,
        )
        if indexed is not None:
            print(
                f"  {'':>9} search entries: {indexed['entries']:,} rebuilt in {indexed['index_s']:.1f} s "
                f"(search_reindex's rebuild) + VACUUM ANALYZE {indexed['vacuum_s']:.1f} s; "
                f"core_searchentry with its indexes {row[3]}",
                flush=True,
            )
        done = size
        if "search" in args.parts:
            searches[size] = run_child(
                env,
                {"task": "search", "org": ids["data_org"], "queries": queries, "repeat": args.repeat,
                 "explain": "5 chars"},
            )  # fmt: skip
        if "export" in args.parts:
            exports[("csv", size)] = run_child(
                env, {"task": "export", "org": ids["data_org"], "format": "csv"}
            )
            if size <= args.xlsx_rows:
                exports[("xlsx", size)] = run_child(
                    env, {"task": "export", "org": ids["data_org"], "format": "xlsx"}
                )
    if exports:
        print_exports(exports, args)
    if searches:
        print_searches(searches, args)


def print_exports(exports: dict[tuple[str, int], dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        "\n--- 2. Export: company_rows(company_list(…)) → stream_csv (consumed) / write_xlsx (temporary file)"
    )
    header = (
        f"{'format':6} {'rows':>10} {'seconds':>8} {'rows/s':>8} {'1st row s':>9} {'output MB':>9} "
        f"{'RSS start MB':>12} {'peak MB':>8} {'peak − start MB':>15}"
    )
    print(header)
    print("-" * len(header))
    for (file_format, _size), r in sorted(exports.items()):
        m = r["memory"]
        print(
            f"{file_format:6} {r['rows']:10,} {r['seconds']:8.1f} {r['rows'] / r['seconds']:8.0f} "
            f"{r['first_row_s']:9.2f} {r['bytes'] / MB:9.1f} {mb(m['rss_start_kb']):12.1f} {mb(m['peak_kb']):8.1f} "
            f"{mb(m['peak_kb'] - m['rss_start_kb']):15.1f}"
        )
    print(
        "  memory: a fresh process per row of this table; peak RSS during the export (VmHWM = ru_maxrss of the "
        "process, peak mark reset just before) minus the RSS just before it"
    )
    small, large = exports.get(("csv", args.small)), exports.get(("csv", args.large))
    if small and large:
        grow = mb(large["memory"]["peak_kb"] - large["memory"]["rss_start_kb"]) - mb(
            small["memory"]["peak_kb"] - small["memory"]["rss_start_kb"]
        )
        verdict = "met" if grow <= EXPORT_GOAL_MB else "NOT met"
        print(
            f"  goal: CSV export of {args.large:,} rows within +{EXPORT_GOAL_MB} MB of {args.small:,} rows: "
            f"{grow:+.1f} MB, {verdict}"
        )


def print_searches(searches: dict[int, dict[str, Any]], args: argparse.Namespace) -> None:
    sizes = sorted(searches)
    print(
        "\n--- 3. Search: company_list_page(organization, CompanyFilters(q=…)) (the newest hits, at most "
        f"COMPANY_SEARCH_LIMIT), then the count and the first page of {PAGE_SIZE} (ms, median of "
        f"{args.repeat} after a warm-up)"
    )
    header = f"{'query':24}" + "".join(f" | {format(s, ',') + ' companies':^39}" for s in sizes) + " | ratio"
    sub = (
        f"{'':24}"
        + "".join(f" | {'shown':>8} {'search':>7} {'count':>6} {'page':>6} {'total':>7}" for _ in sizes)
        + " | total"
    )
    print(header)
    print(sub)
    print("-" * len(sub))
    first = searches[sizes[0]]
    for label in first:
        cells = ""
        for size in sizes:
            r = searches[size][label]
            shown = f"{r['matches']:,}{'+' if r['capped'] else ' '}"
            cells += (
                f" | {shown:>8} {r['search_s'] * 1000:7.1f} {r['count_s'] * 1000:6.1f} {r['page_s'] * 1000:6.1f}"
                f" {r['total_s'] * 1000:7.1f}"
            )
        ratio = searches[sizes[-1]][label]["total_s"] / first[label]["total_s"]
        print(f"{pad(label + ' ' + first[label]['query'], 24)}{cells} | {ratio:5.1f}×")
    print("  +: more hits than the limit; the page lists the newest and says so (the export has every hit)")
    print(f"  ratio: total time at {sizes[-1]:,} ÷ total time at {sizes[0]:,} companies")
    print("  plans (EXPLAIN ANALYZE; scan nodes of the count query / of the first-page query, execution ms):")
    for label in first:
        for size in sizes:
            r = searches[size][label]
            plans = " / ".join(", ".join(p) for p in r["plans"])
            ms = " / ".join(f"{x:.1f}" for x in r["explain_ms"])
            print(f"    {label:8} {size:>9,}: {plans}  ({ms} ms)")
    largest = searches[sizes[-1]]["5 chars"]
    print(f"\n  EXPLAIN (ANALYZE, BUFFERS) of the 5-character query at {sizes[-1]:,} companies:")
    for sql_text, text in zip(largest["sql"], largest["explain_text"], strict=True):
        print("    " + sql_text[:400] + (" …" if len(sql_text) > 400 else ""))
        print("\n".join("      " + line for line in text.splitlines()))


# ---------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--import-rows", type=int, default=env_int("BENCH_IMPORT_ROWS", 5000))
    parser.add_argument("--import-target", type=int, default=env_int("BENCH_IMPORT_TARGET", 100_000))
    parser.add_argument("--probe-rows", type=int, default=env_int("BENCH_IMPORT_PROBE_ROWS", 500))
    parser.add_argument("--profile-rows", type=int, default=env_int("BENCH_PROFILE_ROWS", 200))
    parser.add_argument("--small", type=int, default=env_int("BENCH_COMPANIES_SMALL", 10_000))
    parser.add_argument("--large", type=int, default=env_int("BENCH_COMPANIES_LARGE", 1_000_000))
    parser.add_argument("--xlsx-rows", type=int, default=env_int("BENCH_XLSX_ROWS", 100_000))
    parser.add_argument("--repeat", type=int, default=env_int("BENCH_SEARCH_REPEAT", 5))
    parser.add_argument(
        "--parts", default="import,export,search", help="comma-separated subset of import, export, search"
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database at the end")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_COMMUNITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai_bench_community"
        ),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"))
    args = parser.parse_args()
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    args.conn_max_age = None
    return args


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        return child_main(json.loads(sys.argv[2]))
    args = parse_args()
    env = django_env(args)
    _conninfo, db_name = admin_conninfo(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="ouentai-bench-community-"))
    began = time.perf_counter()
    try:
        print(f"ouentai community bench: {machine_note()}")
        print(
            f"setting up database {db_name} (dropped and recreated, C.UTF-8) with config.settings.production"
        )
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        print(f"  PostgreSQL: {db_settings(args.database_url)}")
        ids = run_child(env, {"task": "setup"})
        if "import" in args.parts:
            part_import(args, env, ids, workdir)
        if args.parts & {"export", "search"}:
            part_dataset(args, env, ids)
        print(f"\nmachine after the run: {machine_note()}; total {fmt_s(time.perf_counter() - began)}")
        return 0
    except (SetupError, subprocess.SubprocessError, psycopg.Error, OSError) as exc:
        print(f"bench set-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        kept = "kept (--keep-db)" if args.keep_db else "dropped"
        if not args.keep_db:
            with contextlib.suppress(psycopg.Error):
                drop_database(args.database_url)
        print(f"cleaned up: database {db_name} {kept}, temporary files removed ({workdir})")


if __name__ == "__main__":
    sys.exit(main())
