"""Child-process tasks of bench/community.py: the set-up of its organizations and the measured import,
bulk insert, export and search, each run in a fresh process with Django set up (see run_child). The
meters are in bench/procstats.py, the attribution and the profiler in bench/profiling.py."""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.community_data import (  # noqa: E402
    CSV_HEADER,
    DATA_ORG,
    FULL_REPORT,
    IMPORT_ORG,
    PAGE_SIZE,
    PoolRow,
    generate_pool,
)
from bench.procstats import CLOCK_TICKS, MemoryMeter, proc_stat  # noqa: E402
from bench.profiling import attribute_import, plan_summary, profile_import  # noqa: E402
from bench.run import SetupError  # noqa: E402


def backend_ticks() -> tuple[int, int]:
    """(pid, CPU ticks) of this process's PostgreSQL backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    pid = int(row[0]) if row else 0
    stat = proc_stat(pid)
    return pid, stat[2] if stat else 0


def child_setup(spec: dict[str, Any]) -> dict[str, Any]:
    """The organization that imports and the one holding the generated companies (no area, no privacy
    policy: nobody applies to them), a staff member who imports and the coordinators the memberships
    name, none of whom signs in."""
    from ouentai.accounts.choices import Role
    from tests.accounts.factories import OrganizationFactory, UserFactory

    importer = OrganizationFactory.create(
        name="ベンチ取り込み支援協会", short_name="ベンチ取込", slug=IMPORT_ORG, policy=None
    )
    data = OrganizationFactory.create(name="ベンチ応援隊", short_name="ベンチ", slug=DATA_ORG, policy=None)
    staff = UserFactory.create(
        organization=importer, email="staff@bench-import.example.jp", name="取込 花子", password=None
    )
    coordinators = [
        UserFactory.create(
            organization=data,
            role=Role.COORDINATOR,
            email=f"itc{i}@bench.example.jp",
            name=f"コーディネータ {i}",
            password=None,
        ).pk
        for i in range(1, 9)
    ]
    return {"import_org": importer.pk, "data_org": data.pk, "staff": staff.pk, "coordinators": coordinators}


def child_import(spec: dict[str, Any]) -> dict[str, Any]:
    """One import through the real services: timed, attributed to its parts, or profiled."""
    from django.core.files.uploadedfile import UploadedFile
    from django.test.utils import override_settings

    import ouentai.community.services.imports as imports_service
    from ouentai.accounts.models import Organization, User
    from ouentai.community.models import CompanyImportRow

    # One chunk for the whole file, as the old task ran it, so that the figures stay comparable.
    imports_service.CHUNK_SECONDS = 10.0**9

    def run_all(pk: int) -> None:
        while imports_service.import_run(pk) not in ("done", "failed"):
            pass

    organization = Organization.objects.get(pk=spec["org"])
    actor = User.objects.get(pk=spec["staff"])
    path = Path(spec["csv"])
    mode = spec["mode"]
    result: dict[str, Any] = {}
    with override_settings(MEDIA_ROOT=spec["media_root"]), path.open("rb") as handle:
        upload = UploadedFile(
            file=handle, name="取引先一覧.csv", content_type="text/csv", size=path.stat().st_size
        )
        backend_pid, ticks0 = backend_ticks()
        segment_marks: list[float] = []
        meter = MemoryMeter()
        with meter:
            began, cpu0 = time.perf_counter(), time.process_time()
            record = imports_service.import_upload(organization=organization, upload=upload, actor=actor)
            uploaded = time.perf_counter()
            if len(record.mapping) != len(CSV_HEADER):
                raise SetupError(f"the import mapped {len(record.mapping)} of {len(CSV_HEADER)} columns")
            record = imports_service.import_start(
                record=record, mapping=record.mapping, dry_run=False, actor=actor
            )
            if spec.get("fill_report"):
                # As at the end of a long import: many rows already reported.
                CompanyImportRow.objects.bulk_create(
                    CompanyImportRow(
                        organization=organization,
                        company_import=record,
                        number=10_000_000 + int(str(entry["row"])),
                        kind=str(entry["kind"]),
                        messages=entry["messages"],
                    )
                    for entry in FULL_REPORT
                )
            started = time.perf_counter()
            if mode == "timed":
                segment = int(spec["segment"])
                original = imports_service._import_row
                done = [0]

                def counted(*args: Any, **kwargs: Any) -> str:
                    outcome = original(*args, **kwargs)
                    done[0] += 1
                    if done[0] % segment == 0:
                        segment_marks.append(time.perf_counter())
                    return outcome

                setattr(imports_service, "_import_row", counted)  # noqa: B010
                run_began = time.perf_counter()
                try:
                    run_all(record.pk)
                finally:
                    setattr(imports_service, "_import_row", original)  # noqa: B010
                result["segments"] = [
                    b - a for a, b in zip([run_began, *segment_marks], segment_marks, strict=False)
                ]
                result["segment_rows"] = segment
            elif mode == "attribute":
                result.update(attribute_import(lambda: run_all(record.pk)))
            else:
                result.update(profile_import(lambda: run_all(record.pk)))
            finished = time.perf_counter()
            cpu = time.process_time() - cpu0
        stat = proc_stat(backend_pid)
        record.refresh_from_db()
    result.update(
        rows=record.total_rows,
        created=record.created_count,
        duplicates=record.duplicate_count,
        errors=record.error_count,
        upload_s=uploaded - began,
        start_s=started - uploaded,
        run_s=finished - started,
        total_s=finished - began,
        cpu_s=cpu,
        backend_cpu_s=((stat[2] if stat else ticks0) - ticks0) / CLOCK_TICKS,
        memory=meter.result(),
    )
    return result


def child_bulk(spec: dict[str, Any]) -> dict[str, Any]:
    """Check the imported rows against what they should be; then bulk-insert the same rows, timed."""
    import tracemalloc

    from django.db import connection, transaction

    from ouentai.accounts.models import Organization
    from ouentai.community.data import CompanyData, ContactData
    from ouentai.community.models import Company, Contact
    from ouentai.community.selectors import COMPANY_SEARCH_KIND, company_search_document
    from ouentai.community.services.companies import _derive
    from ouentai.community.services.imports import _keys
    from ouentai.core.models import SearchEntry
    from ouentai.core.search import entry_fields

    organization = Organization.objects.get(pk=spec["org"])
    pool = generate_pool(spec["pool_size"])

    def prepare(rows: list[PoolRow]) -> list[tuple[Company, Contact | None]]:
        prepared = []
        for row in rows:
            if row.company is None:
                continue
            company = Company(organization=organization, **row.company)
            contact = (
                Contact(organization=organization, phone="", **row.contact)
                if row.contact is not None
                else None
            )
            _derive(company)
            prepared.append((company, contact))
        return prepared

    # 1. The rows the import created, compared with the same rows prepared here (field by field).
    checked_fields = [
        "name", "legal_form", "legal_form_position", "core_name", "name_kana", "name_key", "corporate_number",
        "postal_code", "prefecture", "city", "town", "address", "municipality_code", "phone", "industry",
        "employees", "capital_yen", "is_sme", "is_small", "city_code",
    ]  # fmt: skip
    expected = {c.name: (c, ct) for c, ct in prepare(pool[: spec["verify_rows"]])}
    stored = {
        values["name"]: values
        for values in Company.objects.filter(organization=organization, name__in=list(expected)).values(
            *checked_fields
        )
    }
    contacts = {
        (values["company__name"], values["name"], values["name_kana"], values["email"])
        for values in Contact.objects.filter(organization=organization).values(
            "company__name", "name", "name_kana", "email"
        )
    }
    mismatches: list[str] = []
    for name, (company, contact) in expected.items():
        values = stored.get(name)
        if values is None:
            mismatches.append(f"{name}: not imported")
            continue
        for field in checked_fields:
            if values[field] != getattr(company, field):
                mismatches.append(f"{name}: {field} {values[field]!r} ≠ {getattr(company, field)!r}")
        if contact is not None and (name, contact.name, contact.name_kana, contact.email) not in contacts:
            mismatches.append(f"{name}: contact {contact.name} missing")
    result: dict[str, Any] = {
        "verified": len(expected),
        "mismatches": len(mismatches),
        "examples": mismatches[:5],
    }

    # 2. Plain bulk inserts of the same rows, each into emptied tables.
    runs = []
    for count in spec["runs"]:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE community_contact, community_company CASCADE")
            cursor.execute("DELETE FROM core_searchentry WHERE kind = %s", [COMPANY_SEARCH_KIND])
        began = time.perf_counter()
        prepared = prepare(pool[:count])
        prepared_s = time.perf_counter() - began
        began = time.perf_counter()
        with transaction.atomic():
            Company.objects.bulk_create([c for c, _ in prepared], batch_size=1000)
            for company, contact in prepared:
                if contact is not None:
                    contact.company = company
            Contact.objects.bulk_create([ct for _, ct in prepared if ct is not None], batch_size=1000)
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        **entry_fields(COMPANY_SEARCH_KIND, company_search_document(c, [ct] if ct else []))
                    )
                    for c, ct in prepared
                ],
                batch_size=1000,
            )
        runs.append(
            {
                "pool_rows": count,
                "companies": len(prepared),
                "contacts": sum(1 for _, ct in prepared if ct is not None),
                "prepare_s": prepared_s,
                "insert_s": time.perf_counter() - began,
            }
        )
    result["runs"] = runs

    # 3. The import's in-memory set of keys already accepted, at the target size.
    tracemalloc.start()
    seen: set[str] = set()
    for row in pool[: spec["target"]]:
        if row.company is not None:
            contact_data = ContactData(**row.contact) if row.contact else None  # type: ignore[arg-type]
            seen |= _keys(CompanyData(**row.company), contact_data)
    result["seen_keys"] = len(seen)
    result["seen_bytes"] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return result


def child_export(spec: dict[str, Any]) -> dict[str, Any]:
    from ouentai.accounts.models import Organization
    from ouentai.community.exports import company_rows
    from ouentai.community.selectors import CompanyFilters, company_list
    from ouentai.core.exports import stream_csv, write_xlsx

    organization = Organization.objects.get(pk=spec["org"])
    queryset = company_list(organization=organization, filters=CompanyFilters())
    counted = [0]
    first_row = [0.0]
    meter = MemoryMeter()
    with meter:
        began = time.perf_counter()

        def rows() -> Iterator[list[Any]]:
            for row in company_rows(queryset):
                if counted[0] == 1:
                    first_row[0] = time.perf_counter() - began
                counted[0] += 1
                yield row

        size = 0
        if spec["format"] == "csv":
            for chunk in stream_csv(rows()):
                size += len(chunk)
        else:
            handle = write_xlsx(rows(), title="企業")
            size = handle.seek(0, io.SEEK_END)
            handle.close()
        seconds = time.perf_counter() - began
    return {
        "rows": counted[0] - 1,
        "bytes": size,
        "seconds": seconds,
        "first_row_s": first_row[0],
        "memory": meter.result(),
    }


def child_index(spec: dict[str, Any]) -> dict[str, Any]:
    """Rebuild the companies' search entries with the real rebuild (search_reindex's), timed."""
    from django.db import connection

    from ouentai.community.selectors import COMPANY_SEARCH_KIND, company_search_documents
    from ouentai.core.search import index_replace_kind

    began = time.perf_counter()
    written = index_replace_kind(
        kind=COMPANY_SEARCH_KIND, documents=company_search_documents(), batch_size=5000
    )
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE core_searchentry")
    return {"entries": written, "index_s": indexed - began, "vacuum_s": time.perf_counter() - indexed}


def child_search(spec: dict[str, Any]) -> dict[str, Any]:
    """The company list page's search, as the page asks it: company_list_page (the newest hits, at most
    COMPANY_SEARCH_LIMIT), then the count and the first page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ouentai.accounts.models import Organization
    from ouentai.community.selectors import CompanyFilters, company_list_page

    organization = Organization.objects.get(pk=spec["org"])
    results = {}
    for label, query in spec["queries"]:

        def once(query: str = query) -> tuple[float, float, float, int, int, bool]:
            began = time.perf_counter()
            found = company_list_page(organization=organization, filters=CompanyFilters(q=query))
            searched = time.perf_counter()
            matches = found.companies.count()
            counted = time.perf_counter()
            page = list(found.companies[:PAGE_SIZE])
            done = time.perf_counter()
            return searched - began, counted - searched, done - counted, matches, len(page), found.capped

        once()  # warm-up: caches, plans
        runs = [once() for _ in range(spec["repeat"])]
        with CaptureQueriesContext(connection) as captured:
            once()
        plans, texts, executed = [], [], []
        with connection.cursor() as cursor:
            for item in captured.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + item["sql"])
                row = cursor.fetchone()
                plan = (json.loads(row[0]) if isinstance(row[0], str) else row[0])[0] if row else {}
                plans.append(plan_summary(plan))
                executed.append(plan.get("Execution Time", 0.0))
                if label == spec["explain"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + item["sql"])
                    texts.append("\n".join(r[0] for r in cursor.fetchall()))
        results[label] = {
            "query": query,
            "matches": runs[0][3],
            "capped": runs[0][5],
            "page_rows": runs[0][4],
            "search_s": statistics.median(r[0] for r in runs),
            "count_s": statistics.median(r[1] for r in runs),
            "page_s": statistics.median(r[2] for r in runs),
            "total_s": statistics.median(r[0] + r[1] + r[2] for r in runs),
            "plans": plans,
            "explain_ms": executed,
            "explain_text": texts,
            "sql": [item["sql"] for item in captured.captured_queries],
        }
    return results


CHILD_TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "setup": child_setup,
    "import": child_import,
    "bulk": child_bulk,
    "export": child_export,
    "index": child_index,
    "search": child_search,
}


def child_main(spec: dict[str, Any]) -> int:
    import django

    django.setup()
    import ouentai.community.services  # noqa: F401  (imported first: it completes the community imports)

    result = CHILD_TASKS[spec["task"]](spec)
    sys.stdout.write("RESULT " + json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


def run_child(env: dict[str, str], spec: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "community.py"),
            "--child",
            json.dumps(spec, ensure_ascii=False),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if proc.returncode == 0 and line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    raise SetupError(
        f"child task {spec['task']} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    )
