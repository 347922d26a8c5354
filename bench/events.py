#!/usr/bin/env python
"""`make bench`, the registration rush: many people register for a popular event the moment it opens.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

Set-up (bench/run.py's functions): a fresh PostgreSQL database (ouentai_bench), migrated, demo data,
static files; gunicorn with 2 sync workers, OUENTAI_ROOT_URLCONF=bench.urls and a public-form rate limit
high enough never to trigger. A table bench_insert for the baseline. pretix (bench/pretix_peer.py) on its
own database on the same PostgreSQL server, under gunicorn with the same number of sync workers.

Fairness: every round starts each system from a full house. Per round, a new event with `seats` seats and
an open registration window in ours, and a new event with a quota of `seats` in pretix; `requests`
requests from `concurrency` clients are fired at it (the same load generator, bench/loadgen.py), so both
systems sell out early in the round and spend the rest answering those who came too late. The rounds
rotate the order of the scenarios so that all share the machine's conditions. One warm-up event per
system (and a few baseline inserts) is run before the measured rounds.

Scenarios, all POSTs on the same kind of server:
  (a) POST /bench/insert/: a CSRF-exempt view inserting one row (the baseline);
  (b) ours: POST /events/<pk>/register/ with a valid form (CSRF token and policy version taken, per
      client and not timed, from GET /events/<pk>/); 302 = registered (confirmed or waitlisted);
  (c) pretix: POST /api/v1/organizers/bench/events/<event>/orders/ with an API token, one free position;
      201 = ordered, 400 "quota" = sold out. Both (b) and (c) answer those too late: ours by putting them
      on the waiting list (a write), pretix by refusing (a read).

Measured: requests handled per second over the window of each round (responses < 500), p50/p95 latency,
status counts, 5xx, CPU per request (server workers + the PostgreSQL backends of that system's database;
less disturbed by other load than req/s), and after each round the seats held in the database:
oversold = max(0, held − seats). Goal: (b) ≥ 2 × (c) in req/s, with 0 oversold and 0 5xx.

Options: see --help. Environment: BENCH_DATABASE_URL, BENCH_REDIS_URL (as bench/run.py),
BENCH_PRETIX_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pretix_bench).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.loadgen import Builder, Client, LoadResult, Outcome, Request, Response, Setup, run_load
from bench.pretix_peer import (
    PretixPeer,
    default_database_url,
    default_redis_url,
    ensure_venv,
    order_outcome,
)
from bench.procstats import CpuMeter
from bench.run import (
    ROOT,
    Server,
    SetupError,
    admin_conninfo,
    django_env,
    drop_database,
    machine_note,
    manage,
    recreate_database,
    start_gunicorn,
)
from tests.events.post_data import registration_post_data

GOAL = 2.0
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
POLICY_INPUT = re.compile(
    rb'name="policy_version"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="policy_version"'
)
HELD_SQL = (
    "SELECT count(*) FROM events_registration WHERE event_id = %s AND status IN ('confirmed', 'offered')"
)
STATUS_SQL = "SELECT status, count(*) FROM events_registration WHERE event_id = %s GROUP BY status"

# Run with `manage.py shell -c` against the bench database; prints the new events' pks as JSON.
# BENCH_EVENTS events of BENCH_SEATS seats each, made as the tests make them (tests/events/factories.py:
# through the events app's services, as staff would in the console), published, registration open now,
# one session in 30 days.
CREATE_EVENTS = """
import datetime as dt, json, os
from django.utils import timezone
from ouentai.accounts.models import Organization
from ouentai.content.models import PrivacyPolicy
from ouentai.events.services import SessionData
from tests.events.factories import EventFactory

policy = PrivacyPolicy.objects.filter(is_current=True).order_by("pk").first()
org = policy.organization if policy else Organization.objects.order_by("pk").first()
now = timezone.now()
starts = now + dt.timedelta(days=30)
pks = [
    EventFactory.create(
        organization=org, kind="kickoff", title=f"登録ラッシュ {n}", capacity=int(os.environ["BENCH_SEATS"]),
        venue_name="", venue_address="",
        registration_opens_at=now - dt.timedelta(hours=1), registration_closes_at=now + dt.timedelta(days=7),
        sessions=[SessionData(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))],
    ).pk
    for n in range(int(os.environ["BENCH_EVENTS"]))
]
print(json.dumps(pks))
"""


Target = tuple[Builder, Setup | None, Outcome | None]


@dataclass
class Scenario:
    """One system under the rush: where to aim in round r (0 is the warm-up), and how many seats the
    round's event holds afterwards (None for the baseline, which has no seats)."""

    label: str
    port: int
    target: Callable[[int], Target]
    held: Callable[[int], int] | None
    meter: CpuMeter
    stored: Callable[[int], dict[str, int]] | None = None
    result: LoadResult = field(default_factory=LoadResult)
    cpu: Counter[str] = field(default_factory=Counter)
    held_seats: list[int] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)

    def run(self, round_index: int, requests: int, concurrency: int, measured: bool = True) -> LoadResult:
        build, setup, outcome = self.target(round_index)
        cpu: dict[str, float] = {}
        result = run_load(
            self.port,
            concurrency,
            requests,
            build,
            setup=setup,
            outcome=outcome,
            on_start=self.meter.start,
            on_end=lambda: cpu.update(self.meter.stop()),
        )
        if measured:
            self.result.merge(result)
            self.cpu.update(cpu)
            if self.held is not None:
                self.held_seats.append(self.held(round_index))
            if self.stored is not None:
                self.states.update(self.stored(round_index))
        return result

    def cpu_ms(self) -> float:
        """CPU per request: server workers plus that system's PostgreSQL backends (ms)."""
        total = self.result.total
        return (self.cpu["app"] + self.cpu["db"]) * 1000 / total if total else float("nan")


def create_events(env: dict[str, str], count: int, seats: int) -> list[int]:
    proc = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CREATE_EVENTS],
        cwd=ROOT,
        env={**env, "BENCH_EVENTS": str(count), "BENCH_SEATS": str(seats)},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SetupError(f"creating the bench events failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return [int(pk) for pk in json.loads(proc.stdout.strip().splitlines()[-1])]


def insert_target(round_index: int) -> tuple[Builder, Setup | None, Outcome | None]:
    def build(client: Client, i: int) -> Request:
        body = urlencode({"note": f"round {round_index} request {i}"}).encode()
        return "POST", "/bench/insert/", {"Content-Type": "application/x-www-form-urlencoded"}, body

    return build, None, lambda i, r: "inserted" if r.status == 200 else f"HTTP {r.status}"


def registration_target(event_pk: int, tag: str) -> tuple[Builder, Setup | None, Outcome | None]:
    """(b): each client GETs the event page first (not timed) for its CSRF cookie, token and policy
    version, as a browser does; then the i-th request registers a distinct person."""
    page = f"/events/{event_pk}/"

    def setup(client: Client) -> None:
        response = client.request("GET", page)
        csrf = CSRF_INPUT.search(response.body)
        policy = POLICY_INPUT.search(response.body)
        if response.status != 200 or csrf is None or "csrftoken" not in client.cookies:
            raise SetupError(
                f"GET {page} gave no registration form with a CSRF token (HTTP {response.status})"
            )
        client.state["csrf"] = csrf.group(1).decode()
        client.state["policy_version"] = (policy.group(1) or policy.group(2)).decode() if policy else ""

    def build(client: Client, i: int) -> Request:
        # What a person types into the form, as the tests post it; a distinct person each time.
        data = {
            **registration_post_data(
                email=f"rush-{tag}-{i}@example.jp", policy_version=client.state["policy_version"]
            ),
            "csrfmiddlewaretoken": client.state["csrf"],
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return "POST", f"{page}register/", headers, urlencode(data).encode()

    return build, setup, registration_outcome


def registration_outcome(index: int, response: Response) -> str:
    if response.status == 302 and "/events/r/" in response.headers.get("Location", ""):
        return "registered"
    errors = re.findall(rb'class="[^"]*error[^"]*"[^>]*>([^<]{1,120})<', response.body)
    return f"HTTP {response.status} " + "; ".join(e.decode(errors="replace").strip() for e in errors[:2])


def held_seats(database_url: str, event_pk: int) -> int:
    """Registrations of the event holding a seat (confirmed, or offered a seat from the waiting list)."""
    with psycopg.connect(database_url) as conn:
        row = conn.execute(HELD_SQL, [event_pk]).fetchone()
    return int(row[0]) if row else 0


def registration_states(database_url: str, event_pk: int) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        return {str(status): int(n) for status, n in conn.execute(STATUS_SQL, [event_pk]).fetchall()}


# ---------------------------------------------------------------------------------------------------
# Report


def print_report(scenarios: dict[str, Scenario], seats: int) -> None:
    header = (
        f"{'scenario':36} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'2xx':>5} {'3xx':>5} "
        f"{'4xx':>5} {'5xx':>4} {'conn':>4} {'CPU ms/req':>10} {'oversold':>8}"
    )
    print(header)
    print("-" * len(header))
    for scenario in scenarios.values():
        r = scenario.result
        classes = r.classes
        oversold = (
            str(sum(max(0, held - seats) for held in scenario.held_seats))
            if scenario.held is not None
            else "-"
        )
        print(
            f"{scenario.label:36} {r.total:8d} {r.rate:7.1f} {r.percentile(0.5):7.1f} {r.percentile(0.95):7.1f} "
            f"{classes['2xx']:5d} {classes['3xx']:5d} {classes['4xx']:5d} {classes['5xx']:4d} "
            f"{classes['conn']:4d} {scenario.cpu_ms():10.2f} {oversold:>8}"
        )
    print("  req/s: responses < 500 per second of the measured window; CPU: server workers + its PostgreSQL.")
    print()
    for scenario in scenarios.values():
        outcomes = ", ".join(f"{k}: {v}" for k, v in scenario.result.outcomes.most_common(4))
        held = f"; seats held per round {scenario.held_seats}" if scenario.held is not None else ""
        states = f"; stored {dict(scenario.states)}" if scenario.states else ""
        print(f"  {scenario.label}: {outcomes}{held}{states}")
    print()
    base, ours, peer = (scenarios.get(name) for name in ("insert", "ours", "pretix"))
    if ours is not None and base is not None and base.result.rate:
        print(
            f"  (b)/(a) req/s {ours.result.rate / base.result.rate:.2f}, "
            f"CPU per request (a)/(b) {base.cpu_ms() / ours.cpu_ms():.2f}"
        )
    if ours is not None and peer is not None and peer.result.rate:
        ratio = ours.result.rate / peer.result.rate
        print(f"  (b)/(c) req/s {ratio:.2f}, CPU per request (c)/(b) {peer.cpu_ms() / ours.cpu_ms():.2f}")
        clean = all(
            s.result.server_errors == 0 and not s.result.errors and all(h <= seats for h in s.held_seats)
            for s in (ours, peer)
        )
        verdict = "met" if ratio >= GOAL and clean else "NOT met"
        print(f"  goal (b) ≥ {GOAL:g} × (c) in req/s, oversold 0 and no 5xx in both: {verdict}")


# ---------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario and round")
    parser.add_argument("--concurrency", type=int, default=50, help="client threads (one connection each)")
    parser.add_argument("--seats", type=int, default=50, help="seats of each round's event / quota")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, scenario order rotated each round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, both systems")
    parser.add_argument("--skip-pretix", action="store_true", help="measure only (a) and (b)")
    parser.add_argument("--skip-ours", action="store_true", help="measure only (a) and (c)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop our bench database at the end")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai_bench"),
    )
    parser.add_argument("--pretix-database-url", default=default_database_url())
    parser.add_argument(
        "--pretix-redis-url", default=default_redis_url(), help='"" runs pretix without Redis'
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"))
    parser.add_argument("--conn-max-age", type=int, default=None, help="DB_CONN_MAX_AGE for our server")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    env = django_env(args)
    conninfo, db_name = admin_conninfo(args.database_url)
    server: Server | None = None
    peer: PretixPeer | None = None
    redis_client = redis.Redis.from_url(args.redis_url)
    workdir = Path(tempfile.mkdtemp(prefix="ouentai-rush-"))
    try:
        print(f"registration rush: {machine_note()}")
        print(
            f"{args.rounds} rounds × {args.requests} requests from {args.concurrency} clients per scenario; "
            f"every round a new event of {args.seats} seats in each system (a full house each time), "
            "scenario order rotated; one warm-up event each first"
        )
        redis_client.flushdb()
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo_data", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, note text NOT NULL)")
        events: list[int] = [] if args.skip_ours else create_events(env, args.rounds + 1, args.seats)
        server = start_gunicorn(env, args.workers, workdir / "gunicorn.log")
        print(f"ours: gunicorn {args.workers} sync workers on port {server.port}; events {events}")
        scenarios: dict[str, Scenario] = {
            "insert": Scenario(
                "(a) POST /bench/insert/",
                server.port,
                insert_target,
                None,
                CpuMeter(server, conninfo, db_name),
            )
        }
        if not args.skip_ours:
            scenarios["ours"] = Scenario(
                "(b) ours POST /events/<pk>/register/",
                server.port,
                lambda r: registration_target(events[r], f"{r}"),
                lambda r: held_seats(args.database_url, events[r]),
                CpuMeter(server, conninfo, db_name),
                stored=lambda r: registration_states(args.database_url, events[r]),
            )
        if not args.skip_pretix:
            print(ensure_venv())
            peer = PretixPeer(args.pretix_database_url, args.workers, args.pretix_redis_url)
            peer.start()
            assert peer.server is not None
            pretix_events = peer.create_events([f"rush{r}" for r in range(args.rounds + 1)], args.seats)
            print(f"pretix: gunicorn {args.workers} sync workers on port {peer.port}")
            pretix_conninfo, pretix_db = admin_conninfo(args.pretix_database_url)
            pretix = peer

            def pretix_target(r: int) -> Target:
                return pretix.order_builder(pretix_events[r]), None, order_outcome

            def pretix_held(r: int) -> int:
                return pretix.held_seats(pretix_events[r])

            scenarios["pretix"] = Scenario(
                "(c) pretix POST …/orders/ (REST)",
                peer.port,
                pretix_target,
                pretix_held,
                CpuMeter(peer.server, pretix_conninfo, pretix_db),
            )
        print("warm-up: one event per system (not counted)")
        for scenario in scenarios.values():
            warm = scenario.run(0, args.requests, args.concurrency, measured=False)
            print(f"  {scenario.label}: {warm.rate:.1f} req/s, {dict(warm.statuses)}")
        order = list(scenarios.values())
        for r in range(1, args.rounds + 1):
            rotated = order[(r - 1) % len(order) :] + order[: (r - 1) % len(order)]
            for scenario in rotated:
                scenario.run(r, args.requests, args.concurrency)
            print(f"  round {r}: " + ", ".join(s.label.split()[0] for s in rotated) + " done")
        print()
        print_report(scenarios, args.seats)
        print(f"machine after the run: {machine_note()}")
        return 0
    except (SetupError, subprocess.SubprocessError, psycopg.Error, redis.RedisError, OSError) as exc:
        print(f"registration rush set-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if peer is not None:
            peer.stop()
        if not args.keep_db:
            with contextlib.suppress(psycopg.Error):
                drop_database(args.database_url)
        with contextlib.suppress(redis.RedisError):
            redis_client.flushdb()
        kept = "kept (--keep-db)" if args.keep_db else "dropped"
        pretix_note = ", pretix stopped and its database dropped" if peer is not None else ""
        print(f"cleaned up: gunicorn stopped, database {db_name} {kept}{pretix_note}")


if __name__ == "__main__":
    sys.exit(main())
