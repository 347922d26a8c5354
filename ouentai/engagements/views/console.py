"""Console engagement pages: the list and the board by phase (both filterable by coordinator), the
engagement form, the engagement page (phase and status, process stepper, checklist, notes,
attachments, KPI summary, events attended, plan versions, history), attachment downloads and the KPI
page with its charts. Every page reads the organization's engagements only (404 otherwise); any console
role may work on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community.models import Company
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import int_param, query_without
from ouentai.core.numbers import number_text, with_unit
from ouentai.core.panels import panels_for
from ouentai.engagements import selectors, services
from ouentai.engagements.charts import Point, kpi_chart
from ouentai.engagements.checklists import checklist_items_for
from ouentai.engagements.choices import EngagementStatus, Phase
from ouentai.engagements.forms import (
    AttachmentForm,
    EngagementFilterForm,
    EngagementForm,
    KpiForm,
    MeasurementForm,
    NoteForm,
    PhaseForm,
    StatusForm,
    console_people,
)
from ouentai.engagements.models import (
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    Engagement,
    Kpi,
    PhaseChange,
)

ENGAGEMENTS_PER_PAGE = 50


class EngagementConsoleMixin(ConsoleMixin):
    """Finds the engagement of the URL among the organization's engagements (404 otherwise)."""

    def get_engagement(self, pk: int) -> Engagement:
        engagement = selectors.engagement_get(organization=self.organization, pk=pk)
        if engagement is None:
            raise Http404
        return engagement


# --- List and board ---------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class BoardColumn:
    phase: str
    label: str
    engagements: list[Engagement]


def _with_phase_since(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Each engagement with ``phase_since``: when it entered its current phase (the latest change)."""
    latest = PhaseChange.objects.filter(engagement=OuterRef("pk")).order_by("-changed_at", "-pk")
    return engagements.annotate(
        phase_since=Subquery(latest.values("changed_at")[:1], output_field=DateTimeField())
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
        engagements = _with_phase_since(
            selectors.engagement_list(
                organization=self.organization, lead_id=form.lead_id(), status=form.value("status")
            )
        )
        now = timezone.now()
        by_phase: dict[str, list[Engagement]] = {phase: [] for phase in Phase.values}
        for engagement in engagements:
            since = getattr(engagement, "phase_since", None) or engagement.created_at
            engagement.days_in_phase = max((now - since).days, 0)  # type: ignore[attr-defined]
            by_phase[engagement.phase].append(engagement)
        columns = [BoardColumn(value, str(label), by_phase[value]) for value, label in Phase.choices]
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
            services.engagement_set_phase(
                engagement=engagement, phase=request.POST.get("phase", ""), actor=self.user
            )
        except DomainError as error:
            messages.error(request, f"{engagement.title}：{error.message}")
        else:
            engagement.refresh_from_db(fields=["phase"])
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


# --- The engagement form ------------------------------------------------------------------------------


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
        if self.user.role == "coordinator":
            initial["lead"] = self.user.pk
        company_id = int_param(self.request.GET.get("company"))
        if company_id and Company.objects.filter(organization=self.organization, pk=company_id).exists():
            initial["company"] = company_id
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
                company = Company.objects.filter(
                    organization=self.organization, pk=form.cleaned_data["company"]
                ).first()
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


# --- The engagement page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSummary:
    """A KPI with its latest actual, whether it is reached and how far it has come, as displayed."""

    kpi: Kpi
    baseline: str
    target: str
    latest: str
    latest_on: dt.date | None
    reached: bool | None
    progress: Decimal | None


def kpi_summaries(kpis: list[Kpi]) -> list[KpiSummary]:
    rows = []
    for kpi in kpis:
        measurements = list(kpi.measurements.all())
        latest = measurements[-1] if measurements else None
        value = latest.value if latest else None
        rows.append(
            KpiSummary(
                kpi=kpi,
                baseline=with_unit(kpi.baseline_value, kpi.unit),
                target=with_unit(kpi.target_value, kpi.unit),
                latest=with_unit(latest.value, kpi.unit) if latest else "",
                latest_on=latest.measured_on if latest else None,
                reached=services.kpi_reached(kpi, value),
                progress=services.kpi_progress(kpi, value),
            )
        )
    return rows


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
        phase_changes = list(engagement.phase_changes.select_related("actor"))
        visited = {change.to_phase for change in phase_changes}
        steps = [
            Step(value, str(label), number, value == engagement.phase, value in visited)
            for number, (value, label) in enumerate(Phase.choices, start=1)
        ]
        checks = {check.item_id: check for check in engagement.checks.select_related("done_by")}
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
            "notes": list(engagement.notes.select_related("author")[:100]),
            "attachments": list(engagement.attachments.select_related("uploaded_by")),
            "kpis": kpi_summaries(selectors.engagement_kpis(engagement)),
            "plan_versions": list(selectors.plan_versions(engagement)),
            # Its dispatches and the events its company attended: sections of the apps that own them.
            "panels": panels_for("engagements.engagement", engagement, user=self.user),
            "audit_entries": audit_entries_for(engagement)[:50],
            "can_remove_files": self.user.manages_inbox or engagement.lead_id == self.user.pk,
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
        item = get_object_or_404(
            ChecklistItem, organization=self.organization, pk=int_param(self.request.POST.get("item"))
        )
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


class AttachmentView(EngagementConsoleMixin, View):
    """GET: the file, as a download under its original name. POST ``action=delete``: remove it (staff,
    org admins and the engagement's lead)."""

    def get_attachment(self, pk: int, attachment_pk: int) -> Attachment:
        engagement = self.get_engagement(pk)
        attachment = get_object_or_404(Attachment, engagement=engagement, pk=attachment_pk)
        attachment.engagement = engagement
        return attachment

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = self.get_attachment(pk, attachment_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=attachment.name)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def post(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        attachment = self.get_attachment(pk, attachment_pk)
        if request.POST.get("action") != "delete":
            raise Http404
        if not (self.user.manages_inbox or attachment.engagement.lead_id == self.user.pk):
            raise PermissionDenied
        services.attachment_remove(attachment=attachment, actor=self.user)
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": attachment.name})
        return redirect(f"{reverse('engagements_console:detail', args=[pk])}#attachments")


# --- KPIs ------------------------------------------------------------------------------------------------


@dataclass
class KpiBlock:
    """Everything the KPI page shows of one KPI."""

    summary: KpiSummary
    chart: SafeString
    rows: list[tuple[str, dt.date, str, str]]  # (kind, date, value, note)
    edit_form: KpiForm
    measure_form: MeasurementForm
    open_edit: bool = False

    @property
    def kpi(self) -> Kpi:
        return self.summary.kpi


class KpiView(EngagementConsoleMixin, View):
    """The engagement's KPIs: per KPI a line chart with its table of numbers, reached or not and the
    progress; forms to add a KPI, change one and record a measurement. POST ``action`` = add, edit or
    measure (with ``kpi``)."""

    def blocks(self, kpis: list[Kpi], bound: dict[str, forms.Form]) -> list[KpiBlock]:
        blocks = []
        for summary in kpi_summaries(kpis):
            kpi = summary.kpi
            measurements = list(kpi.measurements.all())
            unit = kpi.unit
            rows = [(_("基準値"), kpi.baseline_on, number_text(kpi.baseline_value), "")]
            rows += [(_("実績"), m.measured_on, number_text(m.value), m.note) for m in measurements]
            rows.append((_("目標値"), kpi.target_on, number_text(kpi.target_value), ""))
            rows.sort(key=lambda row: row[1])
            edit_key, measure_key = f"edit-{kpi.pk}", f"measure-{kpi.pk}"
            edit_form = bound.get(edit_key) or KpiForm(initial=KpiForm.initial_from(kpi), prefix=edit_key)
            measure_form = bound.get(measure_key) or MeasurementForm(prefix=measure_key)
            assert isinstance(edit_form, KpiForm) and isinstance(measure_form, MeasurementForm)
            blocks.append(
                KpiBlock(
                    summary=summary,
                    chart=kpi_chart(
                        chart_id=f"kpi-{kpi.pk}-chart",
                        name=kpi.name,
                        unit=unit,
                        baseline=Point(kpi.baseline_on, kpi.baseline_value),
                        target=Point(kpi.target_on, kpi.target_value),
                        actuals=[Point(m.measured_on, m.value) for m in measurements],
                    ),
                    rows=rows,
                    edit_form=edit_form,
                    measure_form=measure_form,
                    open_edit=edit_key in bound,
                )
            )
        return blocks

    def render_page(
        self, engagement: Engagement, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        bound = bound or {}
        new_form = bound.get("new") or KpiForm(prefix="new")
        return render(
            self.request,
            "engagements/console/kpis.html",
            {
                "engagement": engagement,
                "blocks": self.blocks(selectors.engagement_kpis(engagement), bound),
                "new_form": new_form,
                "open_new": "new" in bound,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_engagement(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        engagement = self.get_engagement(pk)
        action = request.POST.get("action", "")
        kpi: Kpi | None = None
        if action in ("edit", "measure"):
            kpi = get_object_or_404(Kpi, engagement=engagement, pk=int_param(request.POST.get("kpi")))
        form: KpiForm | MeasurementForm
        if action == "add":
            key = "new"
            form = KpiForm(request.POST, prefix=key)
        elif action == "edit" and kpi is not None:
            key = f"edit-{kpi.pk}"
            form = KpiForm(request.POST, prefix=key)
        elif action == "measure" and kpi is not None:
            key = f"measure-{kpi.pk}"
            form = MeasurementForm(request.POST, prefix=key)
        else:
            raise Http404
        if form.is_valid():
            try:
                if isinstance(form, KpiForm):
                    saved = services.kpi_save(
                        engagement=engagement, data=form.to_data(), kpi=kpi, actor=self.user
                    )
                    message = _("KPI「%(name)s」を保存しました。") % {"name": saved.name}
                else:
                    assert kpi is not None
                    d = form.cleaned_data
                    services.kpi_measure(
                        kpi=kpi,
                        measured_on=d["measured_on"],
                        value=d["value"],
                        note=d.get("note") or "",
                        actor=self.user,
                    )
                    message = _("「%(name)s」の実績を記録しました。") % {"name": kpi.name}
                    saved = kpi
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{reverse('engagements_console:kpis', args=[engagement.pk])}#kpi-{saved.pk}")
        return self.render_page(engagement, {key: form}, status=400)
