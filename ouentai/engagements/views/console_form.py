"""The console's engagement form: open an engagement for a company (``?company=<pk>`` preselects it) or
change one. Any console role; a coordinator opening one is its lead by default."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import Role
from ouentai.community.models import Company
from ouentai.community.selectors import company_get
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param
from ouentai.engagements import services
from ouentai.engagements.choices import Phase
from ouentai.engagements.forms import EngagementForm, console_people
from ouentai.engagements.models import Engagement
from ouentai.engagements.views.mixins import EngagementConsoleMixin


class EngagementFormView(EngagementConsoleMixin, View):
    """Open an engagement (``?company=<pk>`` preselects the company) or change one."""

    def render_form(
        self, form: EngagementForm, engagement: Engagement | None, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            "engagements/console/form.html",
            {"form": form, "engagement": engagement},
            status=status,
        )

    def company(self, pk: int) -> Company | None:
        """The organization's company of that id, if any (the form's choices may be stale)."""
        try:
            return company_get(organization=self.organization, pk=pk) if pk else None
        except Company.DoesNotExist:
            return None

    def build(self, data: QueryDict | None, engagement: Engagement | None) -> EngagementForm:
        kwargs: dict[str, Any] = {
            "organization": self.organization,
            "people": console_people(self.organization),
            "engagement": engagement,
        }
        if data is not None:
            return EngagementForm(data, **kwargs)
        if engagement is not None:
            return EngagementForm(initial=EngagementForm.initial_from(engagement), **kwargs)
        initial: dict[str, Any] = {"started_on": timezone.localdate(), "phase": Phase.STRATEGY}
        if self.user.role == Role.COORDINATOR:
            initial["lead"] = self.user.pk
        company = self.company(int_param(self.request.GET.get("company")))
        if company is not None:
            initial["company"] = company.pk
        return EngagementForm(initial=initial, **kwargs)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        engagement = None if pk is None else self.get_engagement(pk)
        return self.render_form(self.build(None, engagement), engagement)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        engagement = None if pk is None else self.get_engagement(pk)
        form = self.build(request.POST, engagement)
        if not form.is_valid():
            return self.render_form(form, engagement, status=400)
        try:
            if engagement is None:
                company = self.company(form.cleaned_data["company"])
                if company is None:
                    raise DomainError(_("企業を選んでください。"), code="engagement.company", field="company")
                saved = services.engagement_create(
                    organization=self.organization,
                    company=company,
                    data=form.to_data(),
                    phase=form.cleaned_data["phase"],
                    actor=self.user,
                )
            else:
                saved = services.engagement_update(
                    engagement=engagement, data=form.to_data(), actor=self.user
                )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, engagement, status=400)
        messages.success(request, _("支援案件「%(title)s」を保存しました。") % {"title": saved.title})
        return redirect("engagements_console:detail", pk=saved.pk)
