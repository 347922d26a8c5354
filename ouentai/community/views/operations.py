"""Console page of the IT-investment pipeline (members whose next IT project is coming due)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.accounts.selectors import organization_console_users
from ouentai.community.selectors import pipeline_list


class PipelineView(ConsoleMixin, View):
    """The IT-investment pipeline: members whose next project is overdue or due within 3, 6 and 12
    months. Coordinators see their own members; others may pick a coordinator."""

    def get(self, request: HttpRequest) -> HttpResponse:
        users = organization_console_users(organization=self.organization)
        chosen = request.GET.get("coordinator", "")
        if not self.user.manages_inbox:
            chosen = str(self.user.pk)
        coordinator_id = int(chosen) if chosen.isdigit() else None
        buckets = pipeline_list(organization=self.organization, coordinator_id=coordinator_id)
        sections = [
            ("overdue", _("見込み時期を過ぎた会員"), buckets["overdue"]),
            ("3", _("3か月以内"), buckets["3"]),
            ("6", _("6か月以内"), buckets["6"]),
            ("12", _("12か月以内"), buckets["12"]),
        ]
        return render(
            request,
            "community/pipeline.html",
            {"sections": sections, "users": users, "chosen": chosen},
        )
