"""PostgreSQL: the capacity rule under real concurrency. Registrations, cancellations and offers race
in many threads (each with its own database connection); seats held never exceed the capacity."""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Count

from ouentai.core.errors import DomainError
from ouentai.events import services
from ouentai.events.choices import HOLDS_SEAT, RegistrationStatus
from ouentai.events.models import Registration
from tests.events.factories import make_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50  # PostgreSQL here allows 100 connections; each thread holds one.


def run_concurrently(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run the jobs on THREADS threads released together by a barrier; return what they raised."""
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(mine: list[Callable[[], None]]) -> None:
        try:
            barrier.wait(timeout=30)
            for job in mine:
                try:
                    job()
                except BaseException as exc:  # collected and asserted by the caller
                    with lock:
                        errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(jobs[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def register_job(event, n: int) -> Callable[[], None]:
    def job() -> None:
        services.registration_create(
            event=event,
            data=services.RegistrationData(
                name=f"同時 申込{n}", email=f"rush{n}@example.jp", company_name="株式会社同時"
            ),
        )

    return job


def test_200_simultaneous_registrations_for_50_seats(yokohama, staff):
    event = make_event(yokohama, staff, capacity=50)
    errors = run_concurrently([register_job(event, n) for n in range(200)])
    assert errors == []
    counts = dict(Registration.objects.filter(event=event).values_list("status").annotate(n=Count("pk")))
    assert counts == {RegistrationStatus.CONFIRMED: 50, RegistrationStatus.WAITLISTED: 150}


def test_same_person_twice_at_once_gets_one_registration(yokohama, staff):
    event = make_event(yokohama, staff, capacity=50)

    def job() -> None:
        services.registration_create(
            event=event, data=services.RegistrationData(name="二重 送信", email="twice@example.jp")
        )

    errors = run_concurrently([job for _ in range(THREADS)])
    assert all(isinstance(e, DomainError) and e.code == "registration.duplicate" for e in errors)
    assert len(errors) == THREADS - 1
    assert Registration.objects.filter(event=event).count() == 1


def test_concurrent_cancellations_offers_and_accepts_never_exceed_capacity(yokohama, staff):
    event = make_event(yokohama, staff, capacity=20)
    errors = run_concurrently([register_job(event, n) for n in range(100)])
    assert errors == []
    confirmed = list(Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED))
    random.seed(4)
    cancelling = random.sample(confirmed, 15)

    def cancel(registration: Registration) -> Callable[[], None]:
        def job() -> None:
            services.registration_cancel(registration=registration)

        return job

    def accept_any() -> None:
        # Whoever has an offer at this moment takes it (a race with the cancellations making offers).
        for offered in Registration.objects.filter(event=event, status=RegistrationStatus.OFFERED)[:3]:
            with contextlib.suppress(DomainError):
                services.registration_accept_offer(registration=offered)

    def late_register(n: int) -> Callable[[], None]:
        return register_job(event, 1000 + n)

    jobs: list[Callable[[], None]] = [cancel(r) for r in cancelling]
    jobs += [accept_any for _ in range(30)]
    jobs += [late_register(n) for n in range(20)]
    random.shuffle(jobs)
    errors = run_concurrently(jobs)
    assert errors == []
    held = Registration.objects.filter(event=event, status__in=HOLDS_SEAT).count()
    assert held == 20  # every freed seat went to someone waiting, and never more
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CANCELLED).count() == 15
    # The offers went in registration order: nobody who registered later holds a seat ahead of an
    # earlier person still waiting.
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
        "created_at"
    )
    first_waiting = waiting.first()
    assert first_waiting is not None
    assert not Registration.objects.filter(
        event=event, status__in=HOLDS_SEAT, created_at__gt=first_waiting.created_at
    ).exists()
