"""The case library as a member company sees it in the member area: its own cases once its consent is
asked (never a draft or one in review), with everything the public projection reads, so that the page
previews exactly what would be public."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ouentai.cases.choices import CaseStatus
from ouentai.cases.models import Case, CaseConsent, CaseKpi, CaseMedia

# Before the company is asked, a case is the organization's working draft, not the company's business.
HIDDEN_FROM_MEMBERS = (CaseStatus.DRAFT, CaseStatus.REVIEW)


def case_list_for_member(*, organization_id: int, company_id: int) -> QuerySet[Case]:
    """The company's cases it is asked about or has answered, those waiting for it first (one query)."""
    return (
        Case.objects.filter(organization_id=organization_id, company_id=company_id)
        .exclude(status__in=HIDDEN_FROM_MEMBERS)
        .order_by("-updated_at", "-pk")
    )


def case_get_for_member(*, organization_id: int, company_id: int, pk: int) -> Case | None:
    """One of the company's cases with what ``public_case`` and the consent history read (None when
    it is another company's, a draft, or in review)."""
    if not pk:
        return None
    return (
        case_list_for_member(organization_id=organization_id, company_id=company_id)
        .filter(pk=pk)
        .select_related("company", "presented_at")
        .prefetch_related(
            Prefetch("kpis", queryset=CaseKpi.objects.order_by("order", "pk")),
            Prefetch("media", queryset=CaseMedia.objects.order_by("order", "pk")),
            Prefetch("consents", queryset=CaseConsent.objects.select_related("given_by")),
            "schemes",
            "experts",
            "trainings",
        )
        .first()
    )


def case_media_for_member(
    *, organization_id: int, company_id: int, pk: int, media_pk: int
) -> CaseMedia | None:
    return (
        CaseMedia.objects.filter(
            pk=media_pk,
            case__pk=pk,
            case__organization_id=organization_id,
            case__company_id=company_id,
        )
        .exclude(case__status__in=HIDDEN_FROM_MEMBERS)
        .first()
    )
