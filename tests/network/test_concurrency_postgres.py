"""PostgreSQL: a scheme's visit limit holds when many requests for one company are submitted and
approved at the same time."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Sum

from ouentai.core.errors import DomainError
from ouentai.network import services
from ouentai.network.models import DispatchRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs: list[Callable[[], None]]) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(len(jobs))
    done: list[int] = []
    errors: list[BaseException] = []

    def worker(job: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
            done.append(1)
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return len(done), errors


def test_concurrent_submissions_never_exceed_the_yearly_limit(yokohama, sme, scheme, staff):
    drafts = [
        services.dispatch_create(
            organization=yokohama,
            company=sme,
            data=services.DispatchData(scheme_id=scheme.pk, theme="management", requested_visits=1),
            actor=staff,
        )
        for _ in range(12)
    ]

    def submit(request: DispatchRequest) -> Callable[[], None]:
        def job() -> None:
            services.dispatch_submit(request=request, actor=staff)

        return job

    ok, errors = run_together([submit(r) for r in drafts])
    assert ok == 3  # 3 visits per 年度, one visit each
    assert len(errors) == 9 and all(isinstance(e, DomainError) and e.code == "dispatch.limit" for e in errors)
    used = DispatchRequest.objects.filter(company=sme, status="submitted").aggregate(
        n=Sum("requested_visits")
    )["n"]
    assert used == 3


def test_concurrent_approvals_of_a_cancelled_slot_hold_the_limit(yokohama, sme, scheme, staff, partner):
    """Two requests of 2 visits each for an IT theme (5 allowed) pass submission one after the other
    only if the limit allows; approvals racing with a new submission never push the total over."""
    first = services.dispatch_create(
        organization=yokohama,
        company=sme,
        data=services.DispatchData(scheme_id=scheme.pk, theme="it", requested_visits=3),
        actor=staff,
    )
    services.dispatch_submit(request=first, actor=staff)
    others = [
        services.dispatch_create(
            organization=yokohama,
            company=sme,
            data=services.DispatchData(scheme_id=scheme.pk, theme="it", requested_visits=1),
            actor=staff,
        )
        for _ in range(6)
    ]

    def approve() -> None:
        services.dispatch_approve(request=first, actor=partner)

    def submit(request: DispatchRequest) -> Callable[[], None]:
        def job() -> None:
            services.dispatch_submit(request=request, actor=staff)

        return job

    ok, errors = run_together([approve, *[submit(r) for r in others]])
    assert ok == 3  # the approval and two of the one-visit requests (3 + 2 = 5)
    assert all(isinstance(e, DomainError) and e.code == "dispatch.limit" for e in errors)
    counted = DispatchRequest.objects.filter(company=sme, status__in=["submitted", "approved"])
    assert counted.aggregate(n=Sum("requested_visits"))["n"] == 5
