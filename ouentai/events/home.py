"""The events card of the console's first page. One query."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ouentai.accounts.models import Organization, User
from ouentai.community.selectors import HomeCard
from ouentai.events.choices import RegistrationStatus
from ouentai.events.models import Event


def events_home_card(organization: Organization, user: User) -> HomeCard:
    now = timezone.now()
    counts = Event.objects.filter(organization=organization).aggregate(
        upcoming=Count("pk", filter=Q(is_published=True, starts_at__gte=now), distinct=True),
        drafts=Count("pk", filter=Q(is_published=False), distinct=True),
        offered=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.OFFERED, starts_at__gte=now),
        ),
    )
    url = reverse("events_console:list")
    return HomeCard(
        _("イベント"),
        url,
        [
            (_("公開中でこれから開催"), counts["upcoming"], url + "?when=upcoming", False),
            (_("非公開（準備中）"), counts["drafts"], "", False),
            (_("繰り上げ案内の回答待ち"), counts["offered"], "", False),
        ],
    )
