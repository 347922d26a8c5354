"""Outgoing mail over real SMTP (an aiosmtpd server on loopback): delivered by the queued task, kept and
retried while the mail server is down, sent once when the task runs twice, and never queued by a
transaction that rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django_q.models import OrmQ

from ouentai.accounts.models import Organization
from ouentai.community.models import Application
from ouentai.community.services import application_submit
from ouentai.content.selectors import privacy_policy_current
from ouentai.core.mail import DELIVER_TASK, MailDeliveryError
from ouentai.core.models import OutgoingMail
from ouentai.core.tasks import mail_deliver
from ouentai.portal.forms import ApplicationForm
from tests.community.post_data import application_post_data
from tests.e2e.support import SMTP_BACKEND, MailServer, ReceivedMail, free_port

APPLICANT = "tanaka@minato-seiki.example.jp"
STAFF = "staff@yokohama.example.jp"


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    server = MailServer().start()
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


def submit_application(client: Any) -> Application:
    response = client.post(reverse("portal:apply"), application_post_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:apply_done")
    return Application.objects.get()


def by_recipient(messages: list[ReceivedMail]) -> dict[tuple[str, ...], ReceivedMail]:
    result = {m.rcpt_tos: m for m in messages}
    assert len(result) == len(messages), [m.rcpt_tos for m in messages]
    return result


@pytest.mark.django_db
def test_both_application_mails_arrive_with_japanese_subjects(client, staff, mail_server, run_queued_tasks):
    application = submit_application(client)
    reference = application.reference
    mails = {m.kind: m for m in OutgoingMail.objects.all()}
    assert set(mails) == {"application.confirmation", "application.staff_notice"}
    assert mail_server.messages == []  # nothing is sent before the worker runs

    assert run_queued_tasks() == [(DELIVER_TASK, "sent"), (DELIVER_TASK, "sent")]

    received = by_recipient(mail_server.messages)
    assert set(received) == {(APPLICANT,), (STAFF,)}
    confirmation = received[(APPLICANT,)]
    assert confirmation.subject == f"【応援隊】参加のお申し込みを受け付けました（受付番号 {reference}）"
    assert confirmation.ouentai_id == str(mails["application.confirmation"].pk)
    assert "株式会社ミナト精機" in confirmation.body
    assert f"受付番号: {reference}" in confirmation.body
    assert confirmation.message["Reply-To"] == "office@yokohama.example.jp"
    notice = received[(STAFF,)]
    assert notice.subject == f"[新しい参加申込] {reference} 株式会社ミナト精機"
    assert notice.ouentai_id == str(mails["application.staff_notice"].pk)
    assert f"/console/applications/{application.pk}/" in notice.body
    # The Japanese subject travels as MIME encoded-words: the raw headers are plain ASCII.
    for message in (confirmation, notice):
        assert message.raw_headers.isascii()
        assert b"=?utf-8?" in message.raw_headers

    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert not OrmQ.objects.exists()


@pytest.mark.django_db
def test_mail_server_down_keeps_the_mail_and_retries_it(client, staff, settings, run_queued_tasks):
    port = free_port()  # nothing listens here until the server "comes back"
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port

    # The applicant is not affected: the form is accepted and the thank-you page follows.
    application = submit_application(client)
    assert application.reference
    assert client.get(reverse("portal:apply_done")).context["reference"] == application.reference

    outcomes = run_queued_tasks()
    assert [func for func, _ in outcomes] == [DELIVER_TASK, DELIVER_TASK]
    assert all(isinstance(result, MailDeliveryError) for _, result in outcomes)
    for mail in OutgoingMail.objects.all():
        assert mail.status == OutgoingMail.Status.PENDING
        assert mail.attempts == 1
        assert "ConnectionRefusedError" in mail.last_error
        assert mail.sent_at is None
    assert OrmQ.objects.count() == 2  # still queued: the worker will try again

    server = MailServer(port).start()
    try:
        assert run_queued_tasks() == [(DELIVER_TASK, "sent"), (DELIVER_TASK, "sent")]
        received = by_recipient(server.messages)
    finally:
        server.stop()
    assert set(received) == {(APPLICANT,), (STAFF,)}
    assert application.reference in received[(APPLICANT,)].subject
    for mail in OutgoingMail.objects.all():
        assert (mail.status, mail.attempts, mail.last_error) == (OutgoingMail.Status.SENT, 2, "")
        assert mail.sent_at is not None
    assert not OrmQ.objects.exists()


@pytest.mark.django_db
def test_delivering_the_same_mail_twice_sends_it_once(client, yokohama, mail_server, run_queued_tasks):
    submit_application(client)
    mail = OutgoingMail.objects.get(kind="application.confirmation")

    assert mail_deliver(mail.pk) == "sent"
    assert mail_deliver(mail.pk) == "already-sent"
    # The queued task for it runs too (as after a worker crash): still nothing more is sent.
    assert run_queued_tasks() == [(DELIVER_TASK, "already-sent")]

    assert [m.ouentai_id for m in mail_server.messages] == [str(mail.pk)]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_application_leaves_no_mail_and_no_task(yokohama: Organization, staff):
    form = ApplicationForm(application_post_data())
    assert form.is_valid(), form.errors
    with pytest.raises(RuntimeError, match="after the service"), transaction.atomic():
        application_submit(
            data=form.to_data(),
            token=form.cleaned_data["form_token"],
            consent=True,
            policy=privacy_policy_current(organization=yokohama),
            policy_version="1.0",
        )
        # Written inside the transaction ...
        assert Application.objects.count() == 1
        assert OutgoingMail.objects.count() == 2
        assert OrmQ.objects.count() == 2
        raise RuntimeError("something failed after the service")
    # ... and gone with it.
    assert not Application.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not OrmQ.objects.exists()
