"""Defect 18 (issue 11): mail whose delivery task a worker with other settings dropped stayed pending for
ever, and /healthz reported it for ever. A scheduled sweep gives such mail a task again (or, after two
days, marks it failed so that the failure shows); /healthz looks at this deployment's queue only."""

import datetime as dt

import pytest
from django.core import mail as outbox
from django.core import signing
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import PickleSerializer

from ouentai.core.mail import DELIVER_TASK, mail_requeue_orphans, queued_delivery_tasks
from ouentai.core.models import OutgoingMail
from ouentai.core.tasks import mail_deliver
from tests.conftest import application_post_data

pytestmark = pytest.mark.django_db


def age(mail: OutgoingMail, **delta: float) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - dt.timedelta(**delta))


def signed_with_another_key(mail_id: int) -> str:
    task = {"id": "x", "name": "mail", "func": DELIVER_TASK, "args": (mail_id,), "kwargs": {}}
    return signing.dumps(task, key="another-secret-key", salt=Conf.PREFIX, serializer=PickleSerializer)


def test_mail_whose_task_was_dropped_is_queued_again_and_then_sent(client, yokohama):
    client.post("/apply/", application_post_data())
    letter = OutgoingMail.objects.get()
    assert list(queued_delivery_tasks()) == [letter.pk]
    OrmQ.objects.all().delete()  # what a worker with another SECRET_KEY does: "Failed to push task", deleted
    assert mail_requeue_orphans() == {"requeued": 0, "failed": 0}  # too recent to be called lost
    age(letter, minutes=20)
    assert mail_requeue_orphans() == {"requeued": 1, "failed": 0}
    assert list(queued_delivery_tasks()) == [letter.pk]
    assert mail_requeue_orphans() == {"requeued": 0, "failed": 0}  # it has a task now: left alone
    assert mail_deliver(letter.pk) == "sent" and len(outbox.outbox) == 1
    OrmQ.objects.all().delete()  # acknowledged
    body = client.get("/healthz").json()
    assert body["queue"]["mail_pending"] == 0 and body["status"] == "ok"


def test_a_task_signed_with_another_key_does_not_count_as_the_mails_task(client, yokohama):
    client.post("/apply/", application_post_data())
    letter = OutgoingMail.objects.get()
    OrmQ.objects.update(payload=signed_with_another_key(letter.pk))
    age(letter, minutes=20)
    assert queued_delivery_tasks() == {}
    assert mail_requeue_orphans()["requeued"] == 1


def test_mail_lost_for_two_days_is_marked_failed_not_hidden(client, yokohama):
    client.post("/apply/", application_post_data())
    letter = OutgoingMail.objects.get()
    OrmQ.objects.all().delete()
    age(letter, days=3)
    assert mail_requeue_orphans() == {"requeued": 0, "failed": 1}
    letter.refresh_from_db()
    assert letter.status == "failed" and "送り直して" in letter.last_error
    assert client.get("/healthz").json()["queue"]["mail_failed"] == 1


def test_healthz_judges_this_deployments_queue_only(client, yokohama):
    client.post("/apply/", application_post_data())
    OrmQ.objects.update(key="another-cluster", lock=timezone.now() - dt.timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["queue"]["waiting"] == 0
    assert body["queue"]["other_queues_waiting"] == 1  # reported, apart
    OrmQ.objects.update(key=Conf.CLUSTER_NAME)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["queue"]["status"] == "stale"
