"""Fixtures shared by every test: two implementing organizations (横浜 and 川崎) with their areas,
privacy policies and users of each role, and a way to run what the task queue holds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils.module_loading import import_string
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, OrganizationArea, User
from ouentai.content.models import PrivacyPolicy

PASSWORD = "correct-horse-battery"


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


@pytest.fixture
def yokohama(db: None) -> Organization:
    org = Organization.objects.create(
        name="ITコーディネータ横浜", short_name="ITC横浜", slug="yokohama", is_default=True,
        contact_email="office@yokohama.example.jp",
    )  # fmt: skip
    OrganizationArea.objects.create(organization=org, code="14100", name="横浜市")
    PrivacyPolicy.objects.create(
        organization=org, version="1.0", effective_on=dt.date(2026, 4, 1), body="方針本文", is_current=True
    )
    return org


@pytest.fixture
def kawasaki(db: None) -> Organization:
    org = Organization.objects.create(name="ITコーディネータ川崎", short_name="ITC川崎", slug="kawasaki")
    OrganizationArea.objects.create(organization=org, code="14130", name="川崎市")
    PrivacyPolicy.objects.create(
        organization=org, version="1.0", effective_on=dt.date(2026, 4, 1), body="方針本文", is_current=True
    )
    return org


def make_user(org: Organization, role: str = Role.STAFF, email: str | None = None, **extra: Any) -> User:
    return User.objects.create_user(
        email or f"{role}-{uuid.uuid4().hex[:6]}@{org.slug}.example.jp",
        PASSWORD,
        name=extra.pop("name", f"{org.short_name} {role}"),
        organization=org,
        role=role,
        **extra,
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


def application_post_data(**overrides: str) -> dict[str, str]:
    """What a person types into /apply/: half-width kana and full-width digits included."""
    data = {
        "form_token": str(uuid.uuid4()),
        "policy_version": "1.0",
        "website": "",
        "company_name": "株式会社ﾐﾅﾄ精機",
        "company_name_kana": "ﾐﾅﾄｾｲｷ",
        "contact_name": "田中　誠",
        "contact_name_kana": "たなか まこと",
        "email": "tanaka@minato-seiki.example.jp",
        "phone": "０４５－２０１－１２３４",
        "postal_code": "〒２３１－００２３",
        "prefecture": "",
        "city": "",
        "town": "",
        "address": "１－２－３ みなとビル４階",
        "corporate_number": "",
        "industry": "E",
        "employees": "４５",
        "message": "受注管理を見直したい",
        "consent": "on",
    }
    data.update(overrides)
    return data


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
