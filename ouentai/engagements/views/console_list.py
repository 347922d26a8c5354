"""The console's lists of engagements: the list (pages of 50) and the board by phase, both filterable by
coordinator; a coordinator first sees their own. The board moves a card to another phase without
JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.errors import DomainError
from ouentai.core.http import int_param, query_without
from ouentai.engagements import selectors, services
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.forms import EngagementFilterForm, console_people

ENGAGEMENTS_PER_PAGE = 50


class EngagementListView(ConsoleMixin, View):
    """The organization's engagements, newest first, filtered by coordinator (a coordinator first sees
    their own), status, phase and a search on title and company name; pages of 50."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EngagementFilterForm(request.GET, user=self.user, people=console_people(self.organization))
        engagements = selectors.engagement_list(
            organization=self.organization,
            lead_id=form.lead_id(),
            status=form.value("status"),
            phase=form.value("phase"),
            search=form.value("q"),
        )
        page = Paginator(engagements, ENGAGEMENTS_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "engagements/console/list.html",
            {
                "filter_form": form,
                "page": page,
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
            },
        )


class EngagementBoardView(ConsoleMixin, View):
    """A column per phase, in process order, with a card per engagement (company, title, lead, days in
    the phase); filters by coordinator and status (進行中 first). Each card has a small form to move the
    engagement to another phase (POST; works without JavaScript)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EngagementFilterForm(
            request.GET,
            user=self.user,
            people=console_people(self.organization),
            default_status=EngagementStatus.ACTIVE,
            with_phase=False,
        )
        columns = selectors.engagement_board(
            organization=self.organization, lead_id=form.lead_id(), status=form.value("status")
        )
        return render(
            request,
            "engagements/console/board.html",
            {
                "filter_form": form,
                "columns": columns,
                "phases": Phase.choices,
                "total": sum(len(column.engagements) for column in columns),
                "query": request.GET.urlencode(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponseBase:
        engagement = selectors.engagement_get(
            organization=self.organization, pk=int_param(request.POST.get("engagement"))
        )
        if engagement is None:
            raise Http404
        try:
            engagement = services.engagement_set_phase(
                engagement=engagement, phase=request.POST.get("phase", ""), actor=self.user
            )
        except DomainError as error:
            messages.error(request, f"{engagement.title}：{error.message}")
        else:
            messages.success(
                request,
                _("「%(title)s」を「%(phase)s」に移しました。")
                % {"title": engagement.title, "phase": engagement.get_phase_display()},
            )
        # Back to the board as it was filtered (rebuilt from parsed pairs: never an outside address).
        query = QueryDict(request.POST.get("query", "")).urlencode()
        url = reverse("engagements_console:board")
        return redirect(
            f"{url}?{query}#engagement-{engagement.pk}" if query else f"{url}#engagement-{engagement.pk}"
        )
