"""Process meters from /proc (Linux) for the benchmarks: CPU ticks of processes and their children, so
that a benchmark can report CPU per request beside wall-clock rates, and the memory a block of this
process uses (resident set size and its peak)."""

from __future__ import annotations

import os
import re
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import psycopg

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Workers(Protocol):
    """A server whose worker processes are measured (bench.run.Server)."""

    def worker_pids(self) -> list[int]: ...


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

    def __init__(self, server: Workers, admin_conninfo: str, db_name: str) -> None:
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


# ---------------------------------------------------------------------------------------------------
# Memory of this process


def rss_kb() -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return int(match.group(1)) if match else 0


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process to its current RSS (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_kb() -> int:
    """The peak RSS of this process image: VmHWM, the figure getrusage's ru_maxrss reports, except that
    ru_maxrss also counts the parent's peak from before exec (here the main process and its generated
    rows), so it is read from /proc instead."""
    match = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) if match else int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class MemoryMeter:
    """Peak RSS during a block minus the RSS just before it."""

    def __enter__(self) -> MemoryMeter:
        self.reset = reset_peak()
        self.start_kb = rss_kb()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak_kb = peak_kb()

    def result(self) -> dict[str, Any]:
        return {"rss_start_kb": self.start_kb, "peak_kb": self.peak_kb, "reset": self.reset}
