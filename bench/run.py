#!/usr/bin/env python
"""`make bench`: throughput of the real pages compared with a trivial view, on PostgreSQL under gunicorn.

A benchmark, not a test: it prints numbers and exits 0 unless the set-up itself failed.

1. Creates a fresh PostgreSQL database (ouentai_bench, dropped first), migrates it, loads the demo data
   and collects static files, all with config.settings.production.
2. Starts gunicorn (2 sync workers, 127.0.0.1, a free port) serving config.wsgi with
   OUENTAI_ROOT_URLCONF=bench.urls, which adds /bench/trivial/ (HttpResponse("ok")) to the app's URLs.
3. Drives three scenarios from client threads (stdlib http.client, one connection per thread, a cookie
   jar per thread like a browser): (a) GET /bench/trivial/, (b) GET /, (c) POST /apply/ with a valid
   application (a CSRF token fetched once per client session, a fresh form_token for every POST). Each
   scenario gets a warm-up, then the measured time is split into rounds whose order rotates, so that
   the scenarios share the machine's conditions.
4. Prints requests, errors, req/s, p50/p95 latency and CPU per request (gunicorn workers, the bench
   database's PostgreSQL backends, Redis, this client), the ratios of (b) and (c) to (a), and checks
   that the number of stored applications equals the number of successful POSTs.
5. Stops gunicorn, drops the database and empties Redis database 1.

Options: see --help. Environment: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/ouentai_bench), BENCH_REDIS_URL (default redis://127.0.0.1:6379/1).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.loadgen import Client
from bench.procstats import CpuMeter, children_of
from tests.community.post_data import application_post_data

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

GOALS = {"home": 0.8, "apply": 0.4}


class SetupError(Exception):
    """The benchmark could not be set up; nothing was measured."""


# ---------------------------------------------------------------------------------------------------
# Set-up: database, Django commands, gunicorn


def admin_conninfo(database_url: str) -> tuple[str, str]:
    """(conninfo for the maintenance database, name of the bench database)."""
    params = conninfo_to_dict(database_url)
    name = str(params.get("dbname") or "")
    if not name:
        raise SetupError(f"no database name in {database_url}")
    params["dbname"] = "postgres"
    return make_conninfo(**{k: str(v) for k, v in params.items() if v is not None}), name


def recreate_database(database_url: str) -> None:
    conninfo, name = admin_conninfo(database_url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        # C.UTF-8 so that pg_trgm extracts trigrams from Japanese text (see docs/operators/postgresql.md).
        conn.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )


def drop_database(database_url: str) -> None:
    conninfo, name = admin_conninfo(database_url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def count_rows(database_url: str) -> dict[str, int]:
    queries = {
        "applications": "SELECT count(*) FROM community_application",
        "queued_tasks": "SELECT count(*) FROM django_q_ormq",
        "pending_mails": "SELECT count(*) FROM core_outgoingmail WHERE status = 'pending'",
        "sessions": "SELECT count(*) FROM django_session",
    }
    result = {}
    with psycopg.connect(database_url) as conn:
        for key, query in queries.items():
            row = conn.execute(query).fetchone()
            result[key] = int(row[0]) if row else 0
    return result


def django_env(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OUENTAI_", "Q_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            # Plain http on the loopback: no redirect to https. Cookies stay Secure; the client ignores that.
            "SECURE_SSL_REDIRECT": "0",
            "OUENTAI_PUBLIC_FORM_RATE": "100000/m",
            "OUENTAI_ROOT_URLCONF": "bench.urls",
            # No task worker runs: queued mails stay in the bench database and go away with it.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.conn_max_age is not None:
        env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    return env


def manage(env: dict[str, str], *command: str) -> None:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SetupError(f"manage.py {' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    print(f"  manage.py {' '.join(command):40} {time.perf_counter() - started:5.1f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(env: dict[str, str], workers: int, log: Path) -> Server:
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind={HOST}:{port}",
        "--timeout=60",
        "--backlog=2048",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"gunicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status = Client(port).request("GET", "/bench/trivial/").status
            if status == 200 and len(server.worker_pids()) >= workers:
                return server
        time.sleep(0.2)
    server.stop()
    raise SetupError(f"gunicorn did not answer within 60 s:\n{log.read_text(errors='replace')}")


# ---------------------------------------------------------------------------------------------------
# Load generator


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Scenario:
    """prepare() once per client session (not timed); step() is one timed request, returning an error
    description or None."""

    name = ""
    label = ""

    def prepare(self, client: Client) -> None:
        return None

    def step(self, client: Client) -> str | None:
        raise NotImplementedError


class GetScenario(Scenario):
    def __init__(self, name: str, label: str, path: str) -> None:
        self.name, self.label, self.path = name, label, path

    def step(self, client: Client) -> str | None:
        response = client.request("GET", self.path)
        return None if response.status == 200 else f"HTTP {response.status}"


class ApplyScenario(Scenario):
    name = "apply"
    label = "(c) POST /apply/"

    def __init__(self) -> None:
        self.tokens: dict[int, str] = {}

    def prepare(self, client: Client) -> None:
        response = client.request("GET", "/apply/")
        match = CSRF_INPUT.search(response.body)
        if response.status != 200 or match is None or "csrftoken" not in client.cookies:
            raise SetupError(f"GET /apply/ gave no CSRF token (HTTP {response.status})")
        self.tokens[id(client)] = match.group(1).decode()

    def step(self, client: Client) -> str | None:
        # What a person types into /apply/, as the tests post it (a fresh form token each time):
        # half-width kana, full-width digits, 〒 and hyphens; the postal code is looked up.
        data = {"csrfmiddlewaretoken": self.tokens[id(client)], **application_post_data()}
        response = client.request(
            "POST",
            "/apply/",
            body=urlencode(data).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status == 302 and response.headers.get("Location", "").endswith("/apply/thanks/"):
            return None
        text = response.body.decode(errors="replace")
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,120})<', text)
        return f"HTTP {response.status} {'; '.join(errors[:3])}".strip()


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    error_kinds: Counter[str] = field(default_factory=Counter)
    cpu: Counter[str] = field(default_factory=Counter)

    def merge(self, other: Result) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.error_kinds.update(other.error_kinds)
        self.cpu.update(other.cpu)

    @property
    def successes(self) -> int:
        return self.requests - self.errors

    @property
    def rate(self) -> float:
        return self.successes / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def cpu_total_ms(self) -> float:
        return sum(self.cpu_ms(key) for key in ("app", "db", "redis", "client"))

    def cpu_ms(self, key: str) -> float:
        return self.cpu[key] * 1000 / self.requests if self.requests else float("nan")


def run_phase(
    scenario: Scenario, port: int, concurrency: int, seconds: float, meter: CpuMeter | None
) -> Result:
    """`concurrency` client threads send requests for `seconds`; each thread is one client session."""
    clients = [Client(port) for _ in range(concurrency)]
    for client in clients:
        scenario.prepare(client)
    results = [Result() for _ in clients]
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def work(client: Client, result: Result) -> None:
        start.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                error = scenario.step(client)
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            result.latencies.append(time.perf_counter() - began)
            result.requests += 1
            if error:
                result.errors += 1
                result.error_kinds[error] += 1

    threads = [
        threading.Thread(target=work, args=pair, daemon=True) for pair in zip(clients, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    if meter:
        meter.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    total = Result(seconds=time.perf_counter() - began)
    if meter:
        total.cpu.update(meter.stop())
    for result in results:
        total.merge(result)
    for client in clients:
        client.close()
    return total


# ---------------------------------------------------------------------------------------------------
# Report


def print_table(scenarios: list[Scenario], results: dict[str, Result]) -> None:
    base = results["trivial"].rate
    base_cpu = results["trivial"].cpu_total_ms()
    header = (
        f"{'scenario':22} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'ratio':>6}   {'CPU ms/request: app':>19} {'db':>5} {'redis':>5} {'client':>6} {'CPU ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        r = results[scenario.name]
        ratio = r.rate / base if base else float("nan")
        print(
            f"{scenario.label:22} {r.requests:8d} {r.errors:6d} {r.rate:8.1f} {r.percentile(0.5):7.1f} "
            f"{r.percentile(0.95):7.1f} {ratio:6.2f}   {r.cpu_ms('app'):19.2f} {r.cpu_ms('db'):5.2f} "
            f"{r.cpu_ms('redis'):5.2f} {r.cpu_ms('client'):6.2f} {base_cpu / r.cpu_total_ms():9.2f}"
        )
    print(
        "  ratio: req/s ÷ req/s of (a). CPU ratio: CPU per request of (a) ÷ that of the scenario (app + db + "
        "redis + client), the ratio a CPU-bound machine would show; less disturbed by other load."
    )
    print()
    for name, goal in GOALS.items():
        ratio = results[name].rate / base if base else 0.0
        label = next(s.label for s in scenarios if s.name == name)
        verdict = "met" if ratio >= goal else "NOT met"
        print(f"  goal {label:20} ratio {ratio:.2f} ≥ {goal:.1f}: {verdict}")
    for scenario in scenarios:
        kinds = results[scenario.name].error_kinds
        if kinds:
            print(f"  errors in {scenario.label}: {dict(kinds.most_common(5))}")


def machine_note() -> str:
    load = os.getloadavg()
    note = f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    if load[0] > 0.5:
        note += " (other processes are busy: req/s will be noisy; the CPU columns less so)"
    return note


# ---------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="the duration is split into this many rounds")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--conn-max-age", type=int, default=None, help="DB_CONN_MAX_AGE for the server")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the bench database at the end")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai_bench"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"))
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    env = django_env(args)
    conninfo, db_name = admin_conninfo(args.database_url)
    server: Server | None = None
    workdir = Path(tempfile.mkdtemp(prefix="ouentai-bench-"))
    redis_client = redis.Redis.from_url(args.redis_url)
    scenarios: list[Scenario] = [
        GetScenario("trivial", "(a) GET /bench/trivial/", "/bench/trivial/"),
        GetScenario("home", "(b) GET /", "/"),
        ApplyScenario(),
    ]
    try:
        print(f"ouentai bench: {machine_note()}")
        print(f"setting up database {db_name} (dropped and recreated) with config.settings.production")
        redis_client.flushdb()
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo_data", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        before = count_rows(args.database_url)
        server = start_gunicorn(env, args.workers, workdir / "gunicorn.log")
        print(
            f"gunicorn: {args.workers} sync workers on http://{HOST}:{server.port}/ "
            f"(pids {server.worker_pids()}); {args.concurrency} client threads"
        )
        print(
            "no task worker runs: each application queues its mails in django_q_ormq, which only grows by "
            "the bench's own submissions and is dropped with the database"
        )
        meter = CpuMeter(server, conninfo, db_name)
        posted_ok = 0
        print(f"warm-up: {args.warmup:g} s per scenario")
        for scenario in scenarios:
            warm = run_phase(scenario, server.port, args.concurrency, args.warmup, None)
            if scenario.name == "apply":
                posted_ok += warm.successes
            if warm.successes == 0:
                print(
                    f"  warning: no successful request in warm-up of {scenario.label}: {dict(warm.error_kinds)}"
                )
        results = {scenario.name: Result() for scenario in scenarios}
        segment = args.duration / args.rounds
        print(f"measuring: {args.rounds} rounds × {segment:.1f} s per scenario, order rotated each round")
        for round_index in range(args.rounds):
            order = scenarios[round_index % 3 :] + scenarios[: round_index % 3]
            for scenario in order:
                result = run_phase(scenario, server.port, args.concurrency, segment, meter)
                results[scenario.name].merge(result)
                if scenario.name == "apply":
                    posted_ok += result.successes
            print(f"  round {round_index + 1}: " + ", ".join(f"{s.name}" for s in order) + " done")
        server.stop()
        after = count_rows(args.database_url)
        print()
        print_table(scenarios, results)
        if args.conn_max_age == 0:
            print(
                "  note: with DB_CONN_MAX_AGE=0 each request's PostgreSQL backend exits before it can be "
                "sampled, so the db column misses most of the database's CPU"
            )
        print()
        stored = after["applications"] - before["applications"]
        match = "match" if stored == posted_ok else "DO NOT match"
        print(
            f"applications stored: {stored} (rows in community_application: {before['applications']} "
            f"demo + {stored}); successful POST /apply/ responses (302, warm-up included): {posted_ok}: {match}"
        )
        tasks = after["queued_tasks"] - before["queued_tasks"]
        per_app = f"{tasks / stored:.1f}" if stored else "n/a"
        print(
            f"task queue (django_q_ormq): {before['queued_tasks']} → {after['queued_tasks']} "
            f"(+{tasks}, {per_app} mail tasks per application; no worker ran, nothing was sent); "
            f"pending mails {before['pending_mails']} → {after['pending_mails']}; "
            f"sessions {before['sessions']} → {after['sessions']}"
        )
        print(f"machine after the run: {machine_note()}")
        return 0
    except (SetupError, subprocess.SubprocessError, psycopg.Error, redis.RedisError, OSError) as exc:
        print(f"bench set-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        kept = "kept (--keep-db)" if args.keep_db else "dropped"
        if not args.keep_db:
            with contextlib.suppress(psycopg.Error):
                drop_database(args.database_url)
        with contextlib.suppress(redis.RedisError):
            redis_client.flushdb()
        print(f"cleaned up: gunicorn stopped, database {db_name} {kept}, Redis db emptied ({args.redis_url})")


if __name__ == "__main__":
    sys.exit(main())
