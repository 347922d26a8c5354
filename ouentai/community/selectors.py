"""Reads of the inboxes. Every query is scoped to the user's organization; coordinators see only what
is assigned to them. Query counts are constant per page (assignee loaded with the rows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ouentai.accounts.models import User
from ouentai.community.choices import AWAITING_REPLY
from ouentai.community.models import Application, ContactLog, Inquiry
from ouentai.core.calendar import local_today

InboxModel = type[Application] | type[Inquiry]


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    q: str = ""


def inbox_visible(model: InboxModel, *, user: User) -> QuerySet[Any]:
    """Every item of the user's organization the user may see."""
    if user.organization_id is None:
        return model.objects.none()
    queryset = model.objects.filter(organization_id=user.organization_id)
    if not user.manages_inbox:
        queryset = queryset.filter(assignee=user)
    return queryset


def inbox_list(model: InboxModel, *, user: User, filters: InboxFilters) -> QuerySet[Any]:
    queryset = inbox_visible(model, user=user).select_related("assignee")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        queryset = queryset.filter(status__in=AWAITING_REPLY, due_on__lt=local_today())
    if filters.q:
        text = filters.q.strip()
        fields = ["reference", "email", "company_name"]
        fields += ["contact_name", "company_name_kana"] if model is Application else ["name", "subject"]
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(condition)
    return queryset.order_by("-received_at", "-id")


def inbox_counts(model: InboxModel, *, user: User) -> dict[str, int]:
    """Open, unassigned and overdue counts for the inbox header (one query)."""
    queryset = inbox_visible(model, user=user)
    final = ("converted", "declined", "closed")
    return queryset.aggregate(
        open=Count("pk", filter=~Q(status__in=final)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True) & ~Q(status__in=final)),
        overdue=Count("pk", filter=Q(status__in=AWAITING_REPLY, due_on__lt=local_today())),
    )


def inbox_get(model: InboxModel, *, user: User, pk: int) -> Any:
    """One item the user may see; raises model.DoesNotExist otherwise (the view answers 404)."""
    return (
        inbox_visible(model, user=user)
        .select_related("assignee", "privacy_policy", "organization")
        .get(pk=pk)
    )


def contact_logs_for(item: Application | Inquiry) -> QuerySet[ContactLog]:
    field = "application" if isinstance(item, Application) else "inquiry"
    return ContactLog.objects.filter(**{field: item}).select_related("actor")
