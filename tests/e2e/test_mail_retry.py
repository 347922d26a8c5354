"""A real worker keeps trying: a mail queued while the mail server is down goes out once it is back."""

from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from ouentai.core.models import OutgoingMail
from tests.community.post_data import application_post_data
from tests.e2e.support import MailServer, WorkerCluster, free_port, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_queued_while_the_server_is_down_is_sent_when_it_is_back(client, yokohama, tmp_path: Path):
    server = MailServer(port=free_port())  # not started: connections are refused
    worker = WorkerCluster(
        db_settings=connection.settings_dict,
        mail=server,
        log_path=tmp_path / "qcluster.log",
        workers=1,
        extra_env={"Q_TIMEOUT": "3", "Q_RETRY": "4", "EMAIL_TIMEOUT": "2"},
    ).start()
    try:
        response = client.post(reverse("portal:apply"), application_post_data())
        assert response.status_code == 302  # the applicant is not kept waiting by the mail server
        mail = OutgoingMail.objects.get()
        wait_until(lambda: OutgoingMail.objects.get(pk=mail.pk).attempts >= 1, timeout=30)
        failed = OutgoingMail.objects.get(pk=mail.pk)
        assert failed.status == "pending" and "Connection refused" in failed.last_error
        server.start()
        received = server.wait_for(1, timeout=40)
        assert received[0].ouentai_id == str(mail.pk)
        wait_until(lambda: OutgoingMail.objects.get(pk=mail.pk).status == "sent", timeout=10)
    finally:
        worker.stop()
        server.stop()
        print(worker.log())
