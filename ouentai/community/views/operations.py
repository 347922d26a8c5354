"""Console pages for work that runs in the task queue or over many companies: file imports and the
IT-investment pipeline."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.accounts.selectors import organization_console_users
from ouentai.community import services
from ouentai.community.forms import (
    ImportMappingForm,
    ImportUploadForm,
)
from ouentai.community.models import CompanyImport
from ouentai.community.selectors import (
    pipeline_list,
)
from ouentai.core.errors import DomainError


class ImportUploadView(ConsoleMixin, View):
    """Upload a CSV or .xlsx file of companies; recent imports are listed below the form."""

    allowed_roles = INBOX_MANAGER_ROLES

    def render_page(self, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        recent = CompanyImport.objects.filter(organization=self.organization).select_related("uploaded_by")[
            :20
        ]
        return render(
            self.request, "community/import_upload.html", {"form": form, "imports": recent}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            record = services.import_upload(
                organization=self.organization, upload=form.cleaned_data["file"], actor=self.user
            )
        except DomainError as error:
            form.add_error("file", str(error.message))
            return self.render_page(form, status=400)
        return redirect("community:import_detail", pk=record.pk)


class ImportDetailView(ConsoleMixin, View):
    """Map the columns and see a preview; start a dry run or the import; follow its progress (the page
    refreshes itself while the worker runs) and read the rows it reported."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_record(self, pk: int) -> CompanyImport:
        return get_object_or_404(CompanyImport, organization=self.organization, pk=pk)

    def render_page(
        self, record: CompanyImport, form: ImportMappingForm | None = None, status: int = 200
    ) -> HttpResponse:
        form = form or ImportMappingForm(
            headers=record.headers, initial={k: str(v) for k, v in record.mapping.items()}
        )
        mapping = (
            form.mapping()
            if form.is_bound and form.is_valid()
            else {k: int(v) for k, v in record.mapping.items()}
        )
        context = {
            "record": record,
            "form": form,
            "preview": services.import_preview(record, mapping)
            if record.status != CompanyImport.Status.RUNNING
            else [],
            "running": record.status in (CompanyImport.Status.QUEUED, CompanyImport.Status.RUNNING),
        }
        return render(self.request, "community/import_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_record(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        record = self.get_record(pk)
        form = ImportMappingForm(request.POST, headers=record.headers)
        if not form.is_valid():
            return self.render_page(record, form, status=400)
        try:
            services.import_start(
                record=record,
                mapping=form.mapping(),
                dry_run=request.POST.get("run") != "import",
                actor=self.user,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
            return self.render_page(record, form, status=400)
        return redirect("community:import_detail", pk=record.pk)


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
