"""Tasks run by the worker (django-q2). Each is safe to run twice."""

from __future__ import annotations

from ouentai.core.mail import MailDeliveryError, mail_record_failure
from ouentai.core.mail import mail_deliver as _mail_deliver
from ouentai.core.mail import mail_requeue_orphans as _mail_requeue_orphans


def mail_deliver(mail_id: int) -> str:
    try:
        return _mail_deliver(mail_id)
    except MailDeliveryError as error:
        mail_record_failure(error)
        raise


def mail_requeue_orphans() -> dict[str, int]:
    return _mail_requeue_orphans()
