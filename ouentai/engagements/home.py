"""The engagements card of the console's first page: active engagements (the coordinator's own for a
coordinator) and those on hold. One query."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.selectors import HomeCard
from ouentai.engagements.choices import EngagementStatus
from ouentai.engagements.models import Engagement


def engagements_home_card(organization: Organization, user: User) -> HomeCard:
    queryset = Engagement.objects.filter(organization=organization)
    if user.role == Role.COORDINATOR:
        queryset = queryset.filter(Q(lead=user) | Q(members=user))
    counts = queryset.aggregate(
        active=Count("pk", filter=Q(status=EngagementStatus.ACTIVE), distinct=True),
        on_hold=Count("pk", filter=Q(status=EngagementStatus.ON_HOLD), distinct=True),
    )
    url = reverse("engagements_console:list")
    title = _("担当の支援案件") if user.role == Role.COORDINATOR else _("支援案件")
    return HomeCard(
        title,
        url,
        [
            (_("進行中"), counts["active"], reverse("engagements_console:board"), False),
            (_("保留"), counts["on_hold"], url + "?status=on_hold", False),
        ],
    )
