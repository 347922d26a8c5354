"""Console pages of segments (saved company filters): save one, delete one after confirming what it is
used for, and restore one deleted by mistake."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community import services
from ouentai.community.selectors import newsletters_using, segment_get
from ouentai.core.errors import DomainError


class SegmentView(ConsoleMixin, View):
    """Save the company list's current filter as a named segment."""

    allowed_roles = INBOX_MANAGER_ROLES

    def post(self, request: HttpRequest) -> HttpResponseBase:
        query = request.POST.get("query", "")
        try:
            segment = services.segment_save(
                organization=self.organization,
                name=request.POST.get("name", ""),
                query=query,
                actor=self.user,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(f"{reverse('community:company_list')}?{query}")
        messages.success(request, _("セグメント「%(name)s」を保存しました。") % {"name": segment.name})
        return redirect(f"{reverse('community:company_list')}?{segment.query}")


class SegmentDeleteView(ConsoleMixin, View):
    """The × beside a segment opens this page: what the segment selects and which newsletters are
    addressed to it; deleting takes a second, explicit step."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        segment = segment_get(organization=self.organization, pk=pk)
        newsletters = list(newsletters_using(segment)[:20])
        return render(
            request,
            "community/segment_delete.html",
            {
                "segment": segment,
                "newsletters": newsletters,
                "drafts": [n for n in newsletters if n.status == n.Status.DRAFT],
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        segment = segment_get(organization=self.organization, pk=pk)
        services.segment_delete(segment=segment, actor=self.user)
        messages.success(
            request,
            _("セグメント「%(name)s」を削除しました。間違えたときは、企業一覧の「元に戻す」で戻せます。")
            % {"name": segment.name},
        )
        return redirect("community:company_list")


class SegmentRestoreView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        segment = segment_get(organization=self.organization, pk=pk, deleted=True)
        try:
            services.segment_restore(segment=segment, actor=self.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("セグメント「%(name)s」を元に戻しました。") % {"name": segment.name})
        return redirect("community:company_list")
