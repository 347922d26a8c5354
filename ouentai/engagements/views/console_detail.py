"""The console's engagement page: phase and status, the process stepper, the phase checklist, notes,
attachments, the KPI summary, plan versions, the sections of other apps (dispatches, events attended)
and the history. Its small forms post to the page itself; a refusal is shown beside its form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param
from ouentai.core.panels import panels_for
from ouentai.engagements import selectors, services
from ouentai.engagements.checklists import checklist_items_for
from ouentai.engagements.choices import Phase
from ouentai.engagements.forms import AttachmentForm, NoteForm, PhaseForm, StatusForm
from ouentai.engagements.models import ChecklistCheck, ChecklistItem, Engagement
from ouentai.engagements.views.kpis import kpi_summary
from ouentai.engagements.views.mixins import EngagementConsoleMixin


@dataclass(frozen=True)
class ChecklistGroup:
    phase: str
    label: str
    is_current: bool
    items: list[tuple[ChecklistItem, ChecklistCheck | None]]

    @property
    def done(self) -> int:
        return sum(1 for _item, check in self.items if check is not None)


@dataclass(frozen=True)
class Step:
    phase: str
    label: str
    number: int
    is_current: bool
    visited: bool


class EngagementDetailView(EngagementConsoleMixin, View):
    """An engagement's page. POST ``action`` = status, phase, check, note or attachment; a refusal is
    shown beside its form, with what was typed, status 400."""

    def render_page(
        self, engagement: Engagement, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        phase_changes = selectors.engagement_phase_changes(engagement)
        visited = {change.to_phase for change in phase_changes}
        steps = [
            Step(value, str(label), number, value == engagement.phase, value in visited)
            for number, (value, label) in enumerate(Phase.choices, start=1)
        ]
        checks = selectors.engagement_checks(engagement)
        items = checklist_items_for(self.organization)
        groups = [
            ChecklistGroup(
                value,
                str(label),
                value == engagement.phase,
                [(item, checks.get(item.pk)) for item in items if item.phase == value],
            )
            for value, label in Phase.choices
        ]
        groups.sort(key=lambda group: not group.is_current)
        forms_: dict[str, forms.Form] = {
            "status_form": StatusForm(initial={"status": engagement.status}),
            "phase_form": PhaseForm(),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
        }
        forms_.update(bound or {})
        context: dict[str, Any] = {
            "engagement": engagement,
            "members": list(engagement.members.all()),
            "phase_changes": list(reversed(phase_changes)),
            "steps": steps,
            "checklist": groups,
            "notes": selectors.engagement_notes(engagement),
            "attachments": selectors.engagement_attachments(engagement),
            "kpis": [kpi_summary(status) for status in selectors.engagement_kpi_statuses(engagement)],
            "plan_versions": list(selectors.plan_versions(engagement)),
            # Its dispatches and the events its company attended: sections of the apps that own them.
            "panels": panels_for("engagements.engagement", engagement, user=self.user),
            "audit_entries": audit_entries_for(engagement)[:50],
            "can_remove_files": services.attachment_may_remove(user=self.user, engagement=engagement),
            **forms_,
        }
        return render(self.request, "engagements/console/detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_engagement(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        engagement = self.get_engagement(pk)
        action = request.POST.get("action", "")
        handlers = {
            "status": ("status_form", StatusForm, self._status),
            "phase": ("phase_form", PhaseForm, self._phase),
            "note": ("note_form", NoteForm, self._note),
            "attachment": ("attachment_form", AttachmentForm, self._attachment),
        }
        if action == "check":
            return self._check(engagement)
        if action not in handlers:
            raise Http404
        name, form_class, handler = handlers[action]
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = handler(engagement, form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{reverse('engagements_console:detail', args=[engagement.pk])}#{action}")
        return self.render_page(self.get_engagement(pk), {name: form}, status=400)

    def _status(self, engagement: Engagement, data: dict[str, Any]) -> str:
        saved = services.engagement_set_status(engagement=engagement, status=data["status"], actor=self.user)
        return _("状態を「%(status)s」にしました。") % {"status": saved.get_status_display()}

    def _phase(self, engagement: Engagement, data: dict[str, Any]) -> str:
        saved = services.engagement_set_phase(
            engagement=engagement, phase=data["phase"], note=data.get("note") or "", actor=self.user
        )
        return _("フェーズを「%(phase)s」にしました。") % {"phase": saved.get_phase_display()}

    def _note(self, engagement: Engagement, data: dict[str, Any]) -> str:
        services.note_add(engagement=engagement, body=data["body"], actor=self.user)
        return _("メモを追加しました。")

    def _attachment(self, engagement: Engagement, data: dict[str, Any]) -> str:
        attachment = services.attachment_add(engagement=engagement, upload=data["file"], actor=self.user)
        return _("「%(name)s」を添付しました。") % {"name": attachment.name}

    def _check(self, engagement: Engagement) -> HttpResponseBase:
        item = selectors.checklist_item_get(
            organization=self.organization, pk=int_param(self.request.POST.get("item"))
        )
        if item is None:
            raise Http404
        done = self.request.POST.get("done") == "1"
        try:
            services.checklist_set(engagement=engagement, item=item, done=done, actor=self.user)
        except DomainError as error:
            messages.error(self.request, str(error.message))
        else:
            messages.success(
                self.request,
                (_("「%(item)s」を完了にしました。") if done else _("「%(item)s」を未完了に戻しました。"))
                % {"item": item.label},
            )
        return redirect(f"{reverse('engagements_console:detail', args=[engagement.pk])}#check-{item.pk}")
