"""Fixtures shared by every test: two implementing organizations (横浜 and 川崎) with their areas,
privacy policies and users of each role, and a way to run what the task queue holds. The records come
from the factories (tests/<app>/factories.py); PASSWORD, make_user and application_post_data are also
importable from here, for the tests that still look for them here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils.module_loading import import_string
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from tests.accounts.factories import PASSWORD, OrganizationFactory, make_user
from tests.community.post_data import application_post_data

__all__ = ["PASSWORD", "application_post_data", "make_user"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are skipped (and say why) when the suite runs on SQLite."""
    skip = pytest.mark.skip(reason="needs PostgreSQL: run `make test-postgres`")
    if connection.vendor != "postgresql":
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> None:
    """Uploaded files of a test go to its own temporary folder (browser tests keep the shared test
    folder: their worker process must find the files)."""
    if request.node.get_closest_marker("e2e") is None:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _still_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-ratelimit counts in fixed windows aligned to the clock: a test that posts three times at
    "2/m" would see the count reset if its posts straddled a minute boundary. Its clock stands still."""
    import types

    monkeypatch.setattr("django_ratelimit.core.time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Cached pages and rate-limit counters must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_case_model() -> None:
    """The case recommender's fitted model (one per process) must not leak from one test into the
    next: a rolled-back test can leave the same public-case version with other contents."""
    from ouentai.cases.selectors.recommend import case_model_forget

    case_model_forget()


@pytest.fixture
def yokohama(db: None) -> Organization:
    return OrganizationFactory.create(
        name="ITコーディネータ横浜", short_name="ITC横浜", slug="yokohama", is_default=True,
        contact_email="office@yokohama.example.jp", areas=[("14100", "横浜市")],
    )  # fmt: skip


@pytest.fixture
def kawasaki(db: None) -> Organization:
    return OrganizationFactory.create(
        name="ITコーディネータ川崎", short_name="ITC川崎", slug="kawasaki", areas=[("14130", "川崎市")]
    )


@pytest.fixture
def staff(yokohama: Organization) -> User:
    return make_user(yokohama, Role.STAFF, "staff@yokohama.example.jp", name="山田 花子")


@pytest.fixture
def org_admin(yokohama: Organization) -> User:
    return make_user(yokohama, Role.ORG_ADMIN, "admin@yokohama.example.jp", name="横浜 管理者", is_staff=True)


@pytest.fixture
def coordinator(yokohama: Organization) -> User:
    return make_user(yokohama, Role.COORDINATOR, "itc@yokohama.example.jp", name="鈴木 一郎")


@pytest.fixture
def kawasaki_staff(kawasaki: Organization) -> User:
    return make_user(kawasaki, Role.STAFF, "staff@kawasaki.example.jp", name="高橋 美咲")


@pytest.fixture
def run_queued_tasks(db: None) -> Callable[[], list[tuple[str, Any]]]:
    """Run every task waiting in the ORM queue once, as the worker would (decode the signed package,
    import the function, call it); a task that raises stays queued, like a retry. Returns
    (function path, result or exception) for each."""

    def run() -> list[tuple[str, Any]]:
        outcomes: list[tuple[str, Any]] = []
        failed: set[int] = set()
        # Tasks may queue further tasks (a mail rendered by the worker queues its delivery): run until
        # only failed ones are left.
        while rows := list(OrmQ.objects.exclude(pk__in=failed).order_by("id")):
            for row in rows:
                task = SignedPackage.loads(row.payload)
                func = task["func"]
                try:
                    result = import_string(func)(*task.get("args", ()), **task.get("kwargs", {}))
                except Exception as exc:
                    outcomes.append((func, exc))
                    failed.add(row.pk)
                    continue
                outcomes.append((func, result))
                row.delete()
        return outcomes

    return run


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language (ja): a request served in English leaves English
    active in the thread (LocaleMiddleware does not reset it), and texts made outside a request, such
    as recommendation reasons, would follow it into the next test."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
