"""The annual report (年度報告): requested by the organization's administrators and office staff, built by
the task worker into an .xlsx workbook and a PDF from the same data (ouentai.outcomes.reports), and
kept with a version number per organization and 年度. The page follows the build's progress, which is
committed as it goes.

The build is safe to run twice (a finished report is left as it is; one cut short is built again from
the start) and never ends the worker's task with an exception: a failure is recorded on the report
(status failed, the error kept for the system administrator) and audited."""

from __future__ import annotations

import datetime as dt
import logging
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from ouentai.accounts.models import Organization, User
from ouentai.core.audit import audit_record
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.core.errors import DomainError
from ouentai.outcomes import reports
from ouentai.outcomes.choices import ReportStatus
from ouentai.outcomes.models import AnnualReport
from ouentai.outcomes.selectors import counted_span
from ouentai.outcomes.services.goals import outcomes_may_manage

logger = logging.getLogger(__name__)

BUILD_TASK = "ouentai.outcomes.tasks.annual_report_build"
# Reports may be made for the running 年度 (to date) and the ten before it.
YEARS_BACK = 10
_TIMEOUT = int(cast(int, settings.Q_CLUSTER.get("timeout")) or 60)
_RETRY = int(cast(int, settings.Q_CLUSTER.get("retry")) or 90)
# A report queued or running with no sign of life for this long lost its task (a worker killed twice,
# a queue emptied): a new request then marks it failed instead of waiting for it for ever.
STALLED_AFTER = dt.timedelta(seconds=(_TIMEOUT + _RETRY) * 3 + 300)
IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RUNNING)


def annual_report_stalled(report: AnnualReport) -> bool:
    """Queued or running, but nothing has moved for STALLED_AFTER."""
    return report.in_progress and timezone.now() - report.updated_at > STALLED_AFTER


def annual_report_years(*, today: dt.date) -> list[int]:
    """The years a report may be made for, the running one first."""
    current = fiscal_year(today)
    return list(range(current, current - YEARS_BACK - 1, -1))


def annual_report_request(*, organization: Organization, year: int, actor: User) -> AnnualReport:
    """Queue a new version of the organization's annual report for ``year`` (counted to today while
    the year runs). Only the organization's administrators and office staff; a year from ten years
    back to the running one; refused while another version of the same year is queued or running (one
    whose task was lost is marked failed first). Audited; the build is queued in the same transaction
    (the ORM queue: the task exists exactly when the report does)."""
    if not outcomes_may_manage(user=actor) or actor.organization_id != organization.pk:
        raise DomainError(
            _("年度報告を作成できるのは組織の管理者と事務局だけです。"), code="outcomes.report.forbidden"
        )
    today = local_today()
    years = annual_report_years(today=today)
    if year not in years:
        raise DomainError(
            _("年度報告は%(first)d〜%(last)d年度について作成できます。")
            % {"first": years[-1], "last": years[0]},
            code="outcomes.report.year",
            field="fiscal_year",
        )
    as_of = counted_span(year, today)
    assert as_of is not None  # the year has begun
    with transaction.atomic():
        # One request at a time per organization: the lock (IMMEDIATE transactions on SQLite) keeps two
        # clicks from both passing the check below.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        same_year = AnnualReport.objects.filter(organization=organization, fiscal_year=year)
        for running in same_year.filter(status__in=IN_PROGRESS):
            if not annual_report_stalled(running):
                raise DomainError(
                    _("この年度の年度報告は作成中です。できあがってから、もう一度お試しください。"),
                    code="outcomes.report.running",
                )
            _fail(running, gettext("処理が止まったまま進まなかったため、打ち切りました。"))
        version = (same_year.aggregate(last=Max("version"))["last"] or 0) + 1
        report = AnnualReport.objects.create(
            organization=organization, fiscal_year=year, version=version, as_of=as_of, requested_by=actor
        )
        audit_record(
            actor=actor,
            action="outcomes.report.requested",
            target=report,
            details={"fiscal_year": year, "version": version},
        )
        async_task(BUILD_TASK, report.pk, task_name=f"annual-report-{report.pk}", group="outcomes")
    return report


def _progress(report_id: int, percent: int, step: str) -> None:
    """Record how far the build is, committed at once (outside any transaction) for the page to show."""
    AnnualReport.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=percent, step=step, updated_at=timezone.now()
    )


def _fail(report: AnnualReport, error: str) -> None:
    """Inside the caller's transaction."""
    report.status = ReportStatus.FAILED
    report.error = error[:4000]
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at", "updated_at"])
    audit_record(
        actor=None,
        action="outcomes.report.failed",
        target=report,
        details={"fiscal_year": report.fiscal_year, "version": report.version, "error": error[:200]},
    )


def _start(report_id: int) -> AnnualReport | None:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or not report.in_progress:
            return None
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.progress, report.step, report.error = 0, "start", ""
        # Counted to the day it is built (a report queued yesterday counts today's records too).
        report.as_of = counted_span(report.fiscal_year, local_today()) or report.as_of
        report.save(
            update_fields=["status", "started_at", "progress", "step", "error", "as_of", "updated_at"]
        )
    return AnnualReport.objects.select_related("organization").get(pk=report_id)


def annual_report_build(report_id: int) -> str:
    """Build a queued report (the task): gather the data, write the workbook and the PDF in the site's
    language (Japanese), store both and mark the report done, audited. Returns what happened ("done",
    "failed", or the status of a report that was not waiting to be built, "missing")."""
    report = _start(report_id)
    if report is None:
        status = AnnualReport.objects.filter(pk=report_id).values_list("status", flat=True).first()
        return str(status or "missing")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            data = reports.annual_report_data(
                organization=report.organization,
                year=report.fiscal_year,
                as_of=report.as_of,
                version=report.version,
                generated_at=timezone.now(),
                progress=lambda percent, step: _progress(report_id, percent, step),
            )
            _progress(report_id, 80, "xlsx")
            workbook = reports.report_xlsx(data)
            _progress(report_id, 85, "pdf")
            document = reports.report_pdf(data, report.organization)
        _progress(report_id, 98, "save")
        with transaction.atomic():
            current = AnnualReport.objects.select_for_update().get(pk=report_id)
            if current.status != ReportStatus.RUNNING:
                return str(current.status)  # given up meanwhile (marked failed by a new request)
            stem = f"annual-report-{current.fiscal_year}-v{current.version}"
            current.xlsx.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
            current.pdf.save(f"{stem}.pdf", ContentFile(document), save=False)
            current.status = ReportStatus.DONE
            current.progress, current.step = 100, ""
            current.finished_at = timezone.now()
            current.save()
            audit_record(
                actor=None,
                action="outcomes.report.built",
                target=current,
                details={"fiscal_year": current.fiscal_year, "version": current.version},
            )
    except Exception as exc:
        logger.exception("annual report %s: build failed", report_id)
        with transaction.atomic():
            current = AnnualReport.objects.select_for_update().get(pk=report_id)
            if current.status == ReportStatus.RUNNING:
                _fail(current, f"{type(exc).__name__}: {exc}")
        return "failed"
    return "done"
