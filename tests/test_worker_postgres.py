"""Two real worker clusters (`manage.py qcluster`) on one PostgreSQL queue deliver every queued mail to a
loopback SMTP server exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_q.models import OrmQ

from ouentai.accounts.models import Organization
from ouentai.community.services import application_submit
from ouentai.content.selectors import privacy_policy_current
from ouentai.core.models import OutgoingMail
from ouentai.portal.forms import ApplicationForm
from tests.community.post_data import application_post_data
from tests.e2e.support import MailServer, WorkerCluster, wait_until

N = 30
CLUSTERS = 2


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    server = MailServer().start()
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_clusters_deliver_every_mail_exactly_once(
    yokohama: Organization, staff, mail_server: MailServer, tmp_path: Path
):
    policy = privacy_policy_current(organization=yokohama)
    clusters = [
        WorkerCluster(
            db_settings=connection.settings_dict, mail=mail_server, log_path=tmp_path / f"qcluster-{i}.log"
        ).start()
        for i in range(CLUSTERS)
    ]
    try:
        for i in range(N):
            form = ApplicationForm(application_post_data(email=f"applicant{i}@example.jp"))
            assert form.is_valid(), form.errors
            application_submit(
                data=form.to_data(),
                token=form.cleaned_data["form_token"],
                consent=True,
                policy=policy,
                policy_version=policy.version if policy else "",
            )
        expected = {str(pk) for pk in OutgoingMail.objects.values_list("pk", flat=True)}
        assert len(expected) == 2 * N  # a confirmation and a staff notice per application

        def all_sent() -> bool:
            return (
                len(mail_server.messages) >= len(expected)
                and not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()
            )

        delivered = wait_until(all_sent, timeout=60, interval=0.2)
    finally:
        returncodes = [cluster.stop() for cluster in clusters]
    logs = "\n".join(f"--- {c.log_path}\n{c.log()}" for c in clusters)
    assert delivered, f"{len(mail_server.messages)}/{len(expected)} delivered\n{logs}"
    assert returncodes == [0] * CLUSTERS, logs

    per_mail = Counter(m.ouentai_id for m in mail_server.messages)
    duplicates = {pk: n for pk, n in per_mail.items() if n != 1}
    assert not duplicates, duplicates
    assert set(per_mail) == expected
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(OutgoingMail.Status.SENT, 1)}
    assert not OrmQ.objects.exists()
