"""The shared HTTP load generator of the benchmarks: stdlib http.client, one thread per client.

Each client is one connection plus a cookie jar, like one browser (gunicorn's sync workers close the
connection after each response; http.client then reconnects, as a browser would). `run_load()` fires a
fixed number of requests from a fixed number of clients and measures:

- the window: from the moment every client has done its set-up (not timed) and is released, to the last
  response;
- requests handled per second over that window: responses with a status below 500 (a 400 "sold out" or a
  302 "waitlisted" is a handled request; a 5xx or a broken connection is not);
- p50/p95 latency of every request, counts by status class and by exact status, and optionally an outcome
  per response named by the caller (e.g. "confirmed", "sold out").

Used by bench/run.py (Client, Response) and bench/events.py (run_load) so that our app and the peer
(bench/pretix_peer.py) are driven by the same code.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Client:
    """One connection (reopened when the server closes it; gunicorn's sync workers close after each
    response) and a cookie jar, like one browser. `state` keeps what a client's set-up found (a CSRF
    token, a form's hidden values) for the requests it builds later."""

    def __init__(self, port: int, host: str = HOST) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.state: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        all_headers = {"Accept-Language": "ja", "User-Agent": "ouentai-bench", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(response.status, response.headers, data)

    def close(self) -> None:
        self.conn.close()


# (method, path, headers, body) of one request.
Request = tuple[str, str, dict[str, str], bytes | None]
# build(client, i) -> the i-th request of the run (0 ≤ i < total), sent by `client`.
Builder = Callable[[Client, int], Request]
# setup(client) runs once per client before the timed window (e.g. GET a form for its CSRF token).
Setup = Callable[[Client], None]
# outcome(request index, response) -> a label counted in LoadResult.outcomes.
Outcome = Callable[[int, Response], str]


@dataclass
class LoadResult:
    """What one run_load() measured. `seconds` is the timed window; `handled` counts responses < 500."""

    total: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)

    def merge(self, other: LoadResult) -> None:
        self.total += other.total
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.statuses.update(other.statuses)
        self.errors.update(other.errors)
        self.outcomes.update(other.outcomes)

    @property
    def classes(self) -> Counter[str]:
        """Counts by status class ("2xx" … "5xx"), plus "conn" for requests that got no response."""
        counts: Counter[str] = Counter()
        for status, n in self.statuses.items():
            counts[f"{status // 100}xx"] += n
        if self.errors:
            counts["conn"] = sum(self.errors.values())
        return counts

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def handled(self) -> int:
        return sum(n for status, n in self.statuses.items() if status < 500)

    @property
    def rate(self) -> float:
        return self.handled / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Latency in milliseconds at quantile q (0.5, 0.95), NaN when nothing was measured."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run_load(
    port: int,
    concurrency: int,
    total: int,
    build: Builder,
    *,
    setup: Setup | None = None,
    outcome: Outcome | None = None,
    on_start: Callable[[], None] | None = None,
    on_end: Callable[[], None] | None = None,
    host: str = HOST,
) -> LoadResult:
    """Send `total` requests from `concurrency` client threads, each with its own connection and cookies.

    Every client runs `setup` first (not timed); then all are released together and take request
    indexes from a shared counter until `total` have been sent, so a slow request delays only its own
    client. A set-up that raises aborts the run (the exception propagates). `on_start` / `on_end` run
    just before the clients are released and just after the last response (e.g. to meter CPU).
    """
    clients = [Client(port, host) for _ in range(concurrency)]
    try:
        if setup is not None:
            for client in clients:
                setup(client)
        results = [LoadResult() for _ in clients]
        next_index = iter(range(total))
        lock = threading.Lock()
        barrier = threading.Barrier(concurrency + 1)

        def take() -> int | None:
            with lock:
                return next(next_index, None)

        def work(client: Client, result: LoadResult) -> None:
            barrier.wait()
            while (i := take()) is not None:
                method, path, headers, body = build(client, i)
                began = time.perf_counter()
                try:
                    response = client.request(method, path, body=body, headers=headers)
                except (OSError, http.client.HTTPException) as exc:
                    result.latencies.append(time.perf_counter() - began)
                    result.errors[type(exc).__name__] += 1
                    result.total += 1
                    continue
                result.latencies.append(time.perf_counter() - began)
                result.statuses[response.status] += 1
                result.total += 1
                if outcome is not None:
                    result.outcomes[outcome(i, response)] += 1

        threads = [
            threading.Thread(target=work, args=pair, daemon=True)
            for pair in zip(clients, results, strict=True)
        ]
        for thread in threads:
            thread.start()
        if on_start is not None:
            on_start()
        barrier.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        summary = LoadResult(seconds=time.perf_counter() - began)
        if on_end is not None:
            on_end()
        for result in results:
            summary.merge(result)
        return summary
    finally:
        for client in clients:
            client.close()
