"""Mails of the consent workflow, queued in the transaction of the step that causes them (so a mail
exists exactly when its step does): the company's members hear that their consent is asked; the case's
coordinators hear that the company consented or that the case was withdrawn."""

from __future__ import annotations

from ouentai.accounts.models import User
from ouentai.cases.models import Case
from ouentai.cases.selectors.recipients import case_coordinators, case_member_emails
from ouentai.core.mail import mail_queue


def case_notify_consent_requested(case: Case) -> None:
    """Tell each member of the company that a case waits for their consent in the member area."""
    for email in case_member_emails(case):
        mail_queue(
            kind="cases.consent_requested",
            to=[email],
            template="cases/mail/consent_requested.txt",
            context={"case": case, "company": case.company},
            organization_id=case.organization_id,
            related=case,
        )


def case_notify_coordinators(case: Case, *, event: str, actor: User, reason: str = "") -> None:
    """Tell the case's coordinators (not the person who took the step) that the company consented
    (``event`` "consented") or that the case was withdrawn ("withdrawn")."""
    template = {
        "consented": "cases/mail/consented.txt",
        "withdrawn": "cases/mail/withdrawn.txt",
    }[event]
    for user in case_coordinators(case):
        if user.pk == actor.pk or not user.email:
            continue
        mail_queue(
            kind=f"cases.{event}",
            to=[user.email],
            template=template,
            context={
                "case": case,
                "company": case.company,
                "recipient": user,
                "actor": actor,
                "reason": reason,
            },
            organization_id=case.organization_id,
            related=case,
        )
