"""PostgreSQL: uploads of new versions of one item at the same time get numbers one after another,
none lost and none refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from ouentai.accounts.models import Organization, User
from ouentai.knowhow import services
from ouentai.knowhow.models import ItemFile
from tests.knowhow.factories import ItemFactory, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs: list[Callable[[], None]]) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_uploads_are_numbered_one_after_another(yokohama: Organization, staff: User) -> None:
    item = ItemFactory.create(organization=yokohama, actor=staff, file=upload(content="v1"))

    def add(n: int) -> Callable[[], None]:
        def job() -> None:
            services.item_file_add(item=item, upload=upload(content=f"job {n}"), actor=staff)

        return job

    errors = run_together([add(n) for n in range(8)])
    assert errors == []
    numbers = sorted(ItemFile.objects.filter(item=item).values_list("number", flat=True))
    assert numbers == list(range(1, 10))
