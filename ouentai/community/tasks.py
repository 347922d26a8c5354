"""Scheduled work of the community app (run by the django-q2 worker). Each task is safe to run twice."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.models import Organization
from ouentai.community.selectors import pipeline_list
from ouentai.core.mail import mail_queue
from ouentai.core.models import OutgoingMail

REMINDER_KIND = "pipeline.reminder"


def pipeline_remind_coordinators() -> int:
    """Mail each coordinator the members whose next IT investment is overdue or due within three months.
    At most one reminder per coordinator per month, however often the task runs. Returns the number of
    mails queued."""
    now = timezone.localtime()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    queued = 0
    for organization in Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING):
        buckets = pipeline_list(organization=organization, today=now.date())
        by_coordinator: dict[int, list] = {}
        for membership in buckets["overdue"] + buckets["3"]:
            if membership.coordinator is not None and membership.coordinator.is_active:
                by_coordinator.setdefault(membership.coordinator_id, []).append(membership)  # type: ignore[arg-type]
        for members in by_coordinator.values():
            coordinator = members[0].coordinator
            with transaction.atomic():
                already = OutgoingMail.objects.filter(
                    kind=REMINDER_KIND, to=coordinator.email, created_at__gte=month_start
                ).exists()
                if already:
                    continue
                mail_queue(
                    kind=REMINDER_KIND,
                    to=[coordinator.email],
                    template="community/mail/pipeline_reminder.txt",
                    context={"coordinator": coordinator, "members": members, "today": now.date()},
                    organization_id=organization.pk,
                )
                queued += 1
    return queued


def company_import_run(import_id: int) -> str:
    """Run a queued dry run or import; safe to run again (it resumes after the last committed row)."""
    from ouentai.community.services.imports import import_run

    return import_run(import_id)


def newsletter_dispatch(newsletter_id: int) -> int:
    """Queue the next batch of a newsletter (safe to run twice: nobody is mailed twice)."""
    from ouentai.community.services.newsletters import newsletter_dispatch as dispatch

    return dispatch(newsletter_id)
