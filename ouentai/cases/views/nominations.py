"""The nomination export (全国の選定・表彰への推薦): staff choose published cases of their organization and
download them as .xlsx. Without ``ids`` the page lists the organization's published cases to choose from;
with them, the file. Staff and org admins only; only their organization's public cases are written,
whatever ids are sent."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.cases.exports import nomination_rows
from ouentai.cases.selectors.library import nomination_cases
from ouentai.cases.selectors.public import PublicCase, public_case
from ouentai.cases.services.nominations import cases_nominated
from ouentai.core.exports import export_response
from ouentai.core.http import int_param, render_private

MAX_IDS = 500


def _ids(request: HttpRequest) -> list[int]:
    """Ids from ``?ids=1,2`` or ``?ids=1&ids=2`` (anything that is not an id is dropped)."""
    raw = [part for value in request.GET.getlist("ids") for part in value.split(",")]
    return [pk for pk in dict.fromkeys(int_param(part.strip()) for part in raw[:MAX_IDS]) if pk]


class NominationView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponseBase:
        asked = "ids" in request.GET
        ids = _ids(request)
        if asked and ids:
            cases = list(nomination_cases(organization_id=self.organization.pk, ids=ids))
            if cases:
                cases_nominated(
                    organization=self.organization, case_ids=[c.pk for c in cases], actor=self.user
                )

                def page_url(case: PublicCase) -> str:
                    return request.build_absolute_uri(reverse("cases:detail", args=[case.key]))

                return export_response(
                    nomination_rows([public_case(c) for c in cases], page_url=page_url),
                    file_format="xlsx",
                    filename_stem=f"case-nominations-{timezone.localdate():%Y%m%d}",
                    title=_("推薦する事例"),
                )
        choices = [(c.pk, public_case(c)) for c in nomination_cases(organization_id=self.organization.pk)]
        context = {"choices": choices, "error": asked, "chosen": set(ids)}
        return render_private(
            request, "cases/console/nominations.html", context, status=400 if asked else 200
        )
