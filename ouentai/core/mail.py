"""Outgoing mail that cannot be lost.

``mail_queue`` writes an OutgoingMail and enqueues its delivery in the caller's transaction (django-q2
with the ORM broker keeps the task in the same database), so the mail exists exactly when the record
that caused it does. ``mail_deliver`` is the task: safe to run twice, retried by the queue while the
mail server is down.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from ouentai.core.models import OutgoingMail, OutgoingMailAttachment

logger = logging.getLogger(__name__)

DELIVER_TASK = "ouentai.core.tasks.mail_deliver"


def mail_queue(
    *,
    kind: str,
    to: Sequence[str],
    template: str,
    context: Mapping[str, object],
    organization_id: int | None = None,
    related: models.Model | None = None,
    reply_to: str = "",
    language: str = "ja",
    headers: dict[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> OutgoingMail:
    """Render ``template`` (first line: subject; the rest: body) and queue it for delivery.

    Must be called inside the transaction that writes the record the mail is about; raises nothing of
    its own beyond template errors. ``attachments`` are (filename, content, MIME type) triples stored with
    the mail.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mail_queue must be called inside the transaction that writes its record")
    with translation.override(language):
        base = {"site_name": settings.OUENTAI_SITE_NAME, "public_base_url": settings.OUENTAI_PUBLIC_BASE_URL}
        rendered = render_to_string(template, {**base, **context}).strip()
    subject, _, body = rendered.partition("\n")
    mail = OutgoingMail.objects.create(
        organization_id=organization_id,
        kind=kind,
        to=", ".join(to),
        subject=subject.strip()[:200],
        body=body.strip() + "\n",
        reply_to=reply_to,
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=str(related.pk) if related is not None else "",
        headers=headers or {},
    )
    if attachments:
        OutgoingMailAttachment.objects.bulk_create(
            OutgoingMailAttachment(mail=mail, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
    async_task(DELIVER_TASK, mail.pk, task_name=f"mail-{mail.pk}", group="mail")
    return mail


def mail_deliver(mail_id: int) -> str:
    """Send one queued mail unless it was already sent; mark it sent.

    The row is locked for the send (``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE
    transactions serialize writers), so two workers running the same task send it once. An SMTP error
    is recorded on the row and re-raised so that the queue retries the task later.
    """
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            return "missing"
        if mail.status == OutgoingMail.Status.SENT:
            return "already-sent"
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address.strip() for address in mail.to.split(",") if address.strip()],
            reply_to=[mail.reply_to] if mail.reply_to else None,
            headers={**mail.headers, "X-Ouentai-Mail": str(mail.pk)},
        )
        for attachment in mail.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            failed_attempts = mail.attempts + 1
            # The transaction rolls back; the caller records the error and the queue retries.
            raise MailDeliveryError(mail.pk, failed_attempts, error) from exc
        mail.status = OutgoingMail.Status.SENT
        mail.attempts += 1
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["status", "attempts", "sent_at", "last_error"])
        return "sent"


class MailDeliveryError(Exception):
    """The mail server refused or could not be reached; the task will be retried."""

    def __init__(self, mail_id: int, attempts: int, error: str) -> None:
        super().__init__(f"mail {mail_id}: attempt {attempts} failed: {error}")
        self.mail_id = mail_id
        self.attempts = attempts
        self.error = error


def mail_record_failure(error: MailDeliveryError) -> None:
    """Keep the latest delivery error on the mail so staff can see why it has not gone out yet; after the
    queue's last attempt the mail is marked failed (it stays visible and can be sent again)."""
    max_attempts = settings.Q_CLUSTER.get("max_attempts") or 0
    final = isinstance(max_attempts, int) and max_attempts > 0 and error.attempts >= max_attempts
    OutgoingMail.objects.filter(pk=error.mail_id).exclude(status=OutgoingMail.Status.SENT).update(
        attempts=error.attempts,
        last_error=error.error[:2000],
        status=OutgoingMail.Status.FAILED if final else OutgoingMail.Status.PENDING,
    )


def mails_for(record: models.Model) -> models.QuerySet[OutgoingMail]:
    """Mails sent or queued about one record, newest first."""
    return OutgoingMail.objects.filter(
        related_type=ContentType.objects.get_for_model(record), related_id=str(record.pk)
    )


def mail_resend(*, mail: OutgoingMail) -> OutgoingMail:
    """Queue a mail again after the queue gave up on it (status failed): its attempts start over."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if mail.status != OutgoingMail.Status.FAILED:
            return mail
        mail.status = OutgoingMail.Status.PENDING
        mail.attempts = 0
        mail.save(update_fields=["status", "attempts"])
        async_task(DELIVER_TASK, mail.pk, task_name=f"mail-{mail.pk}-resend", group="mail")
    return mail


# A pending mail with no delivery task this long after it was queued lost its task: queued again.
ORPHAN_AFTER = dt.timedelta(minutes=15)
# ... unless it is older than this: then it is marked failed, visible in the console and in /healthz.
ORPHAN_GIVE_UP_AFTER = dt.timedelta(days=2)
_SCAN_LIMIT = 20_000


def queued_delivery_tasks() -> dict[int, list[int]]:
    """Mail id → the queue rows (django_q_ormq) of this cluster that will deliver it. Rows this cluster
    cannot read (signed with another SECRET_KEY) are left out: a worker drops them unread."""
    tasks: dict[int, list[int]] = defaultdict(list)
    rows = OrmQ.objects.filter(key=Conf.CLUSTER_NAME).values_list("pk", "payload")[:_SCAN_LIMIT]
    for pk, payload in rows:
        try:
            task = SignedPackage.loads(payload)
        except Exception:  # noqa: S112 - another key's signature, or a broken row: not ours to run
            continue
        args = task.get("args") or ()
        if task.get("func") == DELIVER_TASK and args and isinstance(args[0], int):
            tasks[args[0]].append(pk)
    return tasks


def mail_requeue_orphans(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Give every pending mail a delivery task again if it has lost its own (dropped by a worker whose
    SECRET_KEY differs from the one it was signed with, or deleted by hand): a mail is never left
    pending with nothing to send it. A mail that has been pending for ORPHAN_GIVE_UP_AFTER is marked
    failed instead, so that the failure shows (console, /healthz ``mail_failed``) and staff can resend
    it. Run every 15 minutes by the scheduler; safe to run twice."""
    now = now or timezone.now()
    queued = queued_delivery_tasks()
    orphans = [
        pk
        for pk in OutgoingMail.objects.filter(
            status=OutgoingMail.Status.PENDING, created_at__lt=now - ORPHAN_AFTER
        ).values_list("pk", flat=True)[:_SCAN_LIMIT]
        if pk not in queued
    ]
    old = set(
        OutgoingMail.objects.filter(pk__in=orphans, created_at__lt=now - ORPHAN_GIVE_UP_AFTER).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        OutgoingMail.objects.filter(pk__in=old, status=OutgoingMail.Status.PENDING).update(
            status=OutgoingMail.Status.FAILED,
            last_error=gettext("送信のタスクが失われ、2日のあいだ送れませんでした。送り直してください。"),
        )
        for pk in orphans:
            if pk not in old:
                async_task(DELIVER_TASK, pk, task_name=f"mail-{pk}-requeued", group="mail")
    if orphans:
        logger.warning("mail: %s pending mails had lost their delivery task", len(orphans))
    return {"requeued": len(orphans) - len(old), "failed": len(old)}
