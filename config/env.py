"""Every value read from the environment, in one place.

Settings modules import from here; apart from the set-up command create_organization (which reads
OUENTAI_ADMIN_PASSWORD), nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_path(name: str, default: Path) -> Path:
    """A directory or file path; a relative one is taken from the project directory."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else BASE_DIR / path


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_config(default_sqlite: Path) -> dict[str, Any]:
    """DATABASE_URL when set (PostgreSQL in production and CI), else a SQLite file.

    SQLite is set up for concurrent writers (web process plus task worker): WAL journal, a busy
    timeout, and IMMEDIATE transactions so that a write transaction takes its lock at BEGIN instead
    of failing with "database is locked" when it upgrades from a read.
    """
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
        if config["ENGINE"] == "django.db.backends.postgresql":
            config.setdefault("TEST", {})["NAME"] = env_str("TEST_DATABASE_NAME") or None
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
            config["CONN_MAX_AGE"] = 0
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
