"""The expert-dispatch card of the console's first page: requests waiting on someone. One query."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.accounts.models import Organization, User
from ouentai.community.selectors import HomeCard
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import DispatchRequest


def dispatch_home_card(organization: Organization, user: User) -> HomeCard:
    counts = DispatchRequest.objects.filter(organization=organization).aggregate(
        drafts=Count("pk", filter=Q(status=DispatchStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=DispatchStatus.SUBMITTED)),
        reported=Count("pk", filter=Q(status=DispatchStatus.REPORTED)),
        confirmed=Count("pk", filter=Q(status=DispatchStatus.CONFIRMED)),
    )
    url = reverse("network_console:dispatches")
    return HomeCard(
        _("専門家派遣"),
        url,
        [
            (_("下書き（未提出）"), counts["drafts"], url + "?status=draft", False),
            (_("支援機関の承認待ち"), counts["submitted"], url + "?status=submitted", False),
            (_("企業の確認待ち"), counts["reported"], url + "?status=reported", False),
            (_("完了の手続き待ち"), counts["confirmed"], url + "?status=confirmed", True),
        ],
    )
