#!/usr/bin/env python
"""pretix as the peer of the registration rush (bench/events.py): benchmark-only, never a dependency.

What it sets up:
1. A separate venv, var/bench/pretix-venv, with pretix==2026.8.0 and gunicorn (installed once, then
   reused while the installed version matches; ~600 MB, a few minutes on first use).
2. A PostgreSQL database pretix_bench (dropped and created per run, dropped at the end) on the same server
   as ours, migrated (1.5–3 min: pretix has ~600 migrations; the first run keeps an empty migrated copy,
   pretix_bench_migrated_<version>, and later runs create pretix_bench from it). A config file and a settings module in a temp
   dir: no Celery (tasks run in the request, as pretix does without a broker); Redis database 2 for
   pretix's cache and sessions as its install guide recommends (without it pretix's cache is a dummy and
   it re-reads settings on every request; --redis-url "" turns it off); mail through Django's dummy
   backend (and the API creates orders with send_email false).
3. An organizer "bench" with an API team token holding all permissions; per round an event (live, one free
   admission item, a quota of `seats`), so each round starts from a full quota like ours does.
4. gunicorn with the same shape as ours: `workers` sync workers on a free port on 127.0.0.1.

What is measured (by bench/loadgen.py, the same generator that drives ours): `requests` POSTs to
/api/v1/organizers/bench/events/<event>/orders/ from `concurrency` clients, one position per order, a
distinct email each. 201 = an order holding a seat; 400 "not enough quota" = sold out (handled, not an
error). Afterwards the orders holding a seat (paid or pending, positions not canceled) are counted in
pretix's database: oversold = max(0, held − seats).

Run alone (pretix only): `python bench/pretix_peer.py --requests 400 --concurrency 50 --seats 50 --rounds 3`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.loadgen import HOST, Builder, Client, LoadResult, Request, Response, run_load
from bench.run import Server, SetupError, admin_conninfo, drop_database, free_port, recreate_database

ROOT = Path(__file__).resolve().parent.parent
PRETIX_VERSION = "2026.8.0"
VENV = ROOT / "var" / "bench" / "pretix-venv"
ORGANIZER = "bench"
PRETIX_TEMPLATE = "pretix_bench_migrated_" + PRETIX_VERSION.replace(".", "_")

# Run inside pretix (django.setup() under the bench settings): the organizer and its API token once, then
# one event per slug given, each with a free admission item on a quota of `seats`. Prints JSON.
SETUP_SCRIPT = """
import datetime, json, sys
import django
django.setup()
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event, Organizer, Team

seats, slugs = int(sys.argv[1]), sys.argv[2:]
with scopes_disabled():
    org, _ = Organizer.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    team, _ = Team.objects.get_or_create(
        organizer=org, name="bench-api",
        defaults={"all_events": True, "all_event_permissions": True, "all_organizer_permissions": True},
    )
    token = team.tokens.first() or team.tokens.create(name="bench")
    items = {}
    for slug in slugs:
        event = Event.objects.create(
            organizer=org, name="Registration rush " + slug, slug=slug, currency="EUR", live=True,
            date_from=now() + datetime.timedelta(days=30),
        )
        event.set_defaults()
        event.settings.locales = ["en"]
        item = event.items.create(name="Seat", default_price=0, admission=True, active=True)
        quota = event.quotas.create(name="Seats", size=seats)
        quota.items.add(item)
        items[slug] = item.pk
    print(json.dumps({"token": token.token, "items": items}))
"""

SETTINGS_MODULE = """from pretix.settings import *  # noqa: F403

# pretix hard-codes the SMTP backend; the bench sends nothing.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
"""

HELD_SQL = """
SELECT count(*) FROM pretixbase_orderposition p
JOIN pretixbase_order o ON o.id = p.order_id
JOIN pretixbase_event e ON e.id = o.event_id
JOIN pretixbase_organizer g ON g.id = e.organizer_id
WHERE g.slug = %s AND e.slug = %s AND o.status IN ('p', 'n') AND NOT p.canceled
"""


def pretix_python() -> Path:
    return VENV / "bin" / "python"


def installed_version() -> str | None:
    if not (VENV / "bin" / "gunicorn").exists():
        return None
    proc = subprocess.run(
        [str(pretix_python()), "-c", "import pretix; print(pretix.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_venv() -> str:
    """Create var/bench/pretix-venv with pretix and gunicorn unless the right version is there already."""
    if installed_version() == PRETIX_VERSION:
        return f"pretix {PRETIX_VERSION} (cached in {VENV.relative_to(ROOT)})"
    print(f"  installing pretix=={PRETIX_VERSION} and gunicorn into {VENV} (first run: a few minutes)")
    VENV.parent.mkdir(parents=True, exist_ok=True)
    python = shutil.which("python3.11") or "python3.11"
    for command in (
        [python, "-m", "venv", str(VENV)],
        [str(pretix_python()), "-m", "pip", "install", "--quiet", f"pretix=={PRETIX_VERSION}", "gunicorn"],
    ):
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SetupError(f"{' '.join(command)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    if installed_version() != PRETIX_VERSION:
        raise SetupError(f"pretix {PRETIX_VERSION} is not importable from {VENV}")
    return f"pretix {PRETIX_VERSION} (installed into {VENV.relative_to(ROOT)})"


@dataclass
class PretixEvent:
    slug: str
    item: int
    seats: int


class PretixPeer:
    """pretix on its own database and gunicorn; `start()`, then `create_events()` and `rush()` per round,
    then `stop()` (also on failure)."""

    def __init__(self, database_url: str, workers: int, redis_url: str = "") -> None:
        self.database_url = database_url
        self.redis_url = redis_url
        self.workers = workers
        self.workdir = Path(tempfile.mkdtemp(prefix="pretix-bench-"))
        self.server: Server | None = None
        self.port = free_port()
        self.token = ""
        self.env = self._env()

    def _env(self) -> dict[str, str]:
        params = conninfo_to_dict(self.database_url)
        config = f"""[pretix]
instance_name=pretix bench
url=http://{HOST}:{self.port}
datadir={self.workdir / "data"}
currency=EUR
ecb_rates=off

[database]
backend=postgresql
name={params.get("dbname", "pretix_bench")}
user={params.get("user", "postgres")}
password={params.get("password", "")}
host={params.get("host", HOST)}
port={params.get("port", 5432)}

[locale]
default=en
timezone=Asia/Tokyo

[django]
secret={secrets.token_urlsafe(48)}
debug=off
"""
        if self.redis_url:
            # pretix's recommended production set-up: without Redis its cache is a dummy one and every
            # request reads the event's settings from the database again.
            config += f"\n[redis]\nlocation={self.redis_url}\nsessions=true\n"
        (self.workdir / "data").mkdir()
        (self.workdir / "pretix.cfg").write_text(config)
        (self.workdir / "pretix_bench_settings.py").write_text(SETTINGS_MODULE)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRETIX_", "PYTHON"))}
        env.update(
            {
                "PRETIX_CONFIG_FILE": str(self.workdir / "pretix.cfg"),
                "DJANGO_SETTINGS_MODULE": "pretix_bench_settings",
                "PYTHONPATH": str(self.workdir),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def _run(self, *args: str) -> str:
        started = time.perf_counter()
        proc = subprocess.run(
            [str(pretix_python()), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise SetupError(f"pretix {args[:2]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        label = " ".join(args) if args[0] == "-m" else "set-up script"
        print(f"  pretix {label[:40]:40} {time.perf_counter() - started:5.1f} s")
        return proc.stdout

    def start(self) -> None:
        self.flush_redis()
        self.create_database()
        (self.workdir / "setup_events.py").write_text(SETUP_SCRIPT)
        self.token = json.loads(self._run("setup_events.py", "0").strip().splitlines()[-1])["token"]
        log = self.workdir / "gunicorn.log"
        command = [
            str(VENV / "bin" / "gunicorn"),
            "pretix.wsgi:application",
            f"--workers={self.workers}",
            "--worker-class=sync",
            f"--bind={HOST}:{self.port}",
            "--timeout=60",
            "--backlog=2048",
            "--log-level=warning",
            f"--error-logfile={log}",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=self.workdir, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.server = Server(process, self.port, log)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SetupError(f"pretix gunicorn exited:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status = (
                    Client(self.port)
                    .request("GET", f"/api/v1/organizers/{ORGANIZER}/", headers=self.auth)
                    .status
                )
                if status == 200 and len(self.server.worker_pids()) >= self.workers:
                    return
            time.sleep(0.3)
        raise SetupError(f"pretix did not answer within 90 s:\n{log.read_text(errors='replace')}")

    def create_database(self) -> None:
        """A fresh, migrated pretix_bench. pretix's ~600 migrations take 1.5–3 min here, so the first run
        keeps a migrated copy (PRETIX_TEMPLATE, empty: no organizer, no event) on the server and later
        runs create the database from it in a second. Drop that database to force a full migrate."""
        conninfo, name = admin_conninfo(self.database_url)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PRETIX_TEMPLATE]).fetchone():
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(PRETIX_TEMPLATE)
                    )
                )
                print(f"  pretix database {name} created from the migrated copy {PRETIX_TEMPLATE}")
                return
        recreate_database(self.database_url)
        self._run("-m", "pretix", "migrate", "--noinput", "-v", "0")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(PRETIX_TEMPLATE), sql.Identifier(name)
                )
            )
        print(f"  kept a migrated copy as {PRETIX_TEMPLATE} for the next runs")

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}

    def create_events(self, slugs: list[str], seats: int) -> list[PretixEvent]:
        """One live event per slug, each a free item on a fresh quota of `seats` (one Django start-up)."""
        out = json.loads(self._run("setup_events.py", str(seats), *slugs).strip().splitlines()[-1])
        return [PretixEvent(slug, int(out["items"][slug]), seats) for slug in slugs]

    def order_builder(self, event: PretixEvent) -> Builder:
        """The i-th order: one position of the event's item, a distinct email, paid at once ("free")."""
        path = f"/api/v1/organizers/{ORGANIZER}/events/{event.slug}/orders/"
        headers = {**self.auth, "Content-Type": "application/json", "Accept-Language": "en"}

        def build(client: Client, i: int) -> Request:
            body = order_body(event.item, f"rush-{event.slug}-{i}@example.com", f"Taro Yamada {i}")
            return "POST", path, headers, json.dumps(body).encode()

        return build

    def held_seats(self, event: PretixEvent) -> int:
        """Order positions of the event that hold a seat: paid or pending orders, position not canceled."""
        with psycopg.connect(self.database_url) as conn:
            row = conn.execute(HELD_SQL, [ORGANIZER, event.slug]).fetchone()
        return int(row[0]) if row else 0

    def rush(self, event: PretixEvent, requests: int, concurrency: int) -> tuple[LoadResult, int]:
        """Fire the rush at one event; (what the load generator measured, seats held afterwards)."""
        result = run_load(self.port, concurrency, requests, self.order_builder(event), outcome=order_outcome)
        return result, self.held_seats(event)

    def flush_redis(self) -> None:
        if self.redis_url:
            with contextlib.suppress(redis.RedisError):
                redis.Redis.from_url(self.redis_url).flushdb()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.flush_redis()
        with contextlib.suppress(psycopg.Error):
            drop_database(self.database_url)
        shutil.rmtree(self.workdir, ignore_errors=True)


def order_body(item: int, email: str, name: str) -> dict[str, object]:
    """The body pretix's REST API accepts for one free ticket (checked against pretix 2026.8.0)."""
    return {
        "email": email,
        "locale": "en",
        "sales_channel": "web",
        "payment_provider": "free",
        "send_email": False,
        "positions": [{"item": item, "attendee_name": name}],
    }


def order_outcome(index: int, response: Response) -> str:
    """201: an order holding a seat; 400 naming the quota: sold out (handled); anything else as is."""
    if response.status == 201:
        return "ordered"
    if response.status == 400 and b"quota" in response.body:
        return "sold out"
    return f"HTTP {response.status} {response.body[:80].decode(errors='replace')}"


def default_database_url() -> str:
    return os.environ.get("BENCH_PRETIX_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pretix_bench")


def default_redis_url() -> str:
    """pretix's Redis (cache and sessions): database 2, apart from ours (1). Empty: pretix without Redis."""
    return os.environ.get("BENCH_PRETIX_REDIS_URL", "redis://127.0.0.1:6379/2")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=default_database_url())
    parser.add_argument("--redis-url", default=default_redis_url(), help="empty: pretix without Redis")
    args = parser.parse_args()
    peer: PretixPeer | None = None
    try:
        print(ensure_venv())
        peer = PretixPeer(args.database_url, args.workers, args.redis_url)
        peer.start()
        events = peer.create_events([f"rush{n}" for n in range(args.rounds + 1)], args.seats)
        warm, _ = peer.rush(events.pop(0), args.requests, args.concurrency)
        print(f"  warm-up (not counted): {warm.rate:.1f} req/s, {dict(warm.statuses)}")
        total = LoadResult()
        for event in events:
            result, held = peer.rush(event, args.requests, args.concurrency)
            total.merge(result)
            print(
                f"  {event.slug}: {result.rate:6.1f} req/s, p50 {result.percentile(0.5):6.1f} ms, "
                f"p95 {result.percentile(0.95):6.1f} ms, {dict(result.statuses)}, {dict(result.outcomes)}, "
                f"seats held {held}/{event.seats}, oversold {max(0, held - event.seats)}"
            )
        print(f"pretix overall: {total.rate:.1f} req/s, 5xx {total.server_errors}, {dict(total.classes)}")
        return 0
    except (SetupError, subprocess.SubprocessError, psycopg.Error, OSError) as exc:
        print(f"pretix bench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if peer is not None:
            peer.stop()


if __name__ == "__main__":
    sys.exit(main())
