"""CPU accounting from /proc (Linux) for the benchmarks: CPU ticks of processes and their children,
so that a benchmark can report CPU per request beside wall-clock rates."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

if TYPE_CHECKING:
    from bench.run import Server

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(command name, parent pid, user+system CPU ticks) of a process, None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[1]), int(fields[11]) + int(fields[12])


def all_pids() -> Iterator[int]:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            yield int(entry.name)


def children_of(parent: int) -> list[int]:
    return [pid for pid in all_pids() if (stat := proc_stat(pid)) and stat[1] == parent]


def pids_named(name: str) -> list[int]:
    return [pid for pid in all_pids() if (stat := proc_stat(pid)) and stat[0] == name]


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    return {pid: stat[2] for pid in pids if (stat := proc_stat(pid))}


class CpuMeter:
    """CPU seconds used between start() and stop() by: the gunicorn workers, the PostgreSQL processes
    serving the bench database (its backends plus the shared background processes), Redis, and this
    client process. Processes that exit in between are not counted."""

    def __init__(self, server: Server, admin_conninfo: str, db_name: str) -> None:
        self.server = server
        self.admin_conninfo = admin_conninfo
        self.db_name = db_name
        self.redis_pids = pids_named("redis-server")

    def _postgres_pids(self) -> list[int]:
        with psycopg.connect(self.admin_conninfo, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s OR datname IS NULL", [self.db_name]
            ).fetchall()
        return [int(row[0]) for row in rows]

    def _sample(self) -> dict[str, dict[int, int]]:
        return {
            "app": cpu_ticks(self.server.worker_pids()),
            "db": cpu_ticks(self._postgres_pids()),
            "redis": cpu_ticks(self.redis_pids),
        }

    def start(self) -> None:
        self.before = self._sample()
        self.client_before = time.process_time()

    def stop(self) -> dict[str, float]:
        client = time.process_time() - self.client_before
        after = self._sample()
        used = {}
        for key, ticks in after.items():
            total = sum(t - self.before[key].get(pid, t) for pid, t in ticks.items())
            used[key] = total / CLOCK_TICKS
        used["client"] = client
        return used
