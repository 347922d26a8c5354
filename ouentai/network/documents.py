"""The expert's completion report (専門家派遣 完了報告書) as a PDF, typeset for Japanese: A4, Mincho
(Noto Serif CJK JP) for the text and Gothic (Noto Sans CJK JP) for headings, the organization's name on
every page and page numbers "n / N". Rendered by WeasyPrint through ouentai.core.pdf.render_pdf.
The same document serves staff (console) and the expert (their own page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ouentai.core.pdf import render_pdf
from ouentai.core.rating import rating_stars, rating_text
from ouentai.network.choices import REPORT_FIELDS
from ouentai.network.models import DispatchRequest
from ouentai.network.rules import visit_hours


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str
    text: str
    required: bool


def report_sections(request: DispatchRequest) -> list[ReportSection]:
    """The report's fields in the order of choices.REPORT_FIELDS, with their headings. Fields the scheme
    requires are always shown (even empty); optional ones only when written."""
    required = set(request.scheme.report_fields or ["summary"])
    report = request.report or {}
    return [
        ReportSection(key, str(label), str(report.get(key) or ""), key in required)
        for key, label in REPORT_FIELDS.items()
        if key in required or report.get(key)
    ]


def dispatch_report_context(request: DispatchRequest) -> dict[str, Any]:
    """What the completion report shows. Its hours are rules.visit_hours', the same as the pages and
    the totals. A handful of queries (request with its relations, visits, qualifications)."""
    request = (
        DispatchRequest.objects.select_related(
            "organization", "company", "scheme", "scheme__support_organization", "expert", "engagement"
        )
        .prefetch_related("expert__qualifications")
        .get(pk=request.pk)
    )
    return {
        "dispatch": request,
        "organization": request.organization,
        "company": request.company,
        "scheme": request.scheme,
        "support_organization": request.scheme.support_organization,
        "expert": request.expert,
        "qualifications": list(request.expert.qualifications.all()) if request.expert else [],
        "hours": visit_hours(request.visits.order_by("visited_on", "starts_at", "pk"), request.scheme),
        "sections": report_sections(request),
        "reported_on": timezone.localtime(request.reported_at).date() if request.reported_at else None,
        "confirmed_on": timezone.localtime(request.confirmed_at).date() if request.confirmed_at else None,
        "rating_stars": rating_stars(request.rating),
        "rating_text": rating_text(request.rating),
    }


def dispatch_report_pdf(request: DispatchRequest) -> bytes:
    """The completion report of one dispatch request as a PDF. The caller checks the request may be seen
    by the user and has been reported."""
    return render_pdf("network/pdf/report.html", dispatch_report_context(request))
