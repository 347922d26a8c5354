"""Fixtures for the browser tests: Chromium through Playwright, a loopback SMTP server, task worker
clusters on the test database, and a folder for screenshots people can look at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.support import MailServer, WorkerCluster

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    # Sync Playwright runs an event loop in this thread; the ORM calls the test makes are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While that loop runs, Django keeps the test's database connections apart from
        # pytest-django's (asgiref: per context in an "async" thread), so nothing else closes them.
        # Left open, SQLite's -wal/-shm files outlive the deleted test database.
        connections.close_all()


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1; Django in this process is pointed at it."""
    server = MailServer().start()
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.fixture
def start_worker(
    transactional_db: None, mail_server: MailServer, tmp_path: Path
) -> Iterator[Callable[..., WorkerCluster]]:
    """Start `manage.py qcluster` processes on the test database (data must be committed: transactional
    tests only); each is stopped, and its log printed when the test failed, at teardown."""
    clusters: list[WorkerCluster] = []

    def start(workers: int = 2) -> WorkerCluster:
        cluster = WorkerCluster(
            db_settings=connection.settings_dict,
            mail=mail_server,
            log_path=tmp_path / f"qcluster-{len(clusters)}.log",
            workers=workers,
        ).start()
        clusters.append(cluster)
        return cluster

    yield start
    for cluster in clusters:
        cluster.stop()
        print(f"--- {cluster.log_path}\n{cluster.log()}")


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
