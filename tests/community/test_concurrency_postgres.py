"""PostgreSQL: twenty simultaneous submissions of one form (a double click, a reload, a flaky network
retrying) create exactly one application and one set of mails."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from ouentai.community.models import Application
from ouentai.core.models import OutgoingMail
from tests.community.post_data import application_post_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_submissions_of_one_token_create_one_application(yokohama, staff):
    data = application_post_data(form_token=str(uuid.uuid4()))
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            statuses.append(client.post("/apply/", data).status_code)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert statuses == [302] * 20
    assert Application.objects.count() == 1
    application = Application.objects.get()
    # One confirmation and one staff notice, however many posts arrived.
    assert OutgoingMail.objects.filter(related_id=str(application.pk)).count() == 2
