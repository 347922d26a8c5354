"""Who hears about a case's consent: the company's signed-in members, and its coordinators."""

from __future__ import annotations

from ouentai.accounts.models import User
from ouentai.cases.models import Case
from ouentai.community.models import MemberAccount


def case_member_emails(case: Case) -> list[str]:
    """The e-mail addresses of the company's active member accounts (one query)."""
    return sorted(
        set(
            MemberAccount.objects.filter(
                organization_id=case.organization_id, company_id=case.company_id, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def case_coordinators(case: Case) -> list[User]:
    """The case's author and the engagement's lead (its coordinators), active and of the case's
    organization, without repeats (one query)."""
    ids = {pk for pk in (case.author_id, case.engagement.lead_id if case.engagement_id else None) if pk}
    return list(
        User.objects.filter(pk__in=ids, is_active=True, organization_id=case.organization_id).order_by("pk")
    )
