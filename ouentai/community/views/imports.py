"""Console pages of the company import: upload, mapping and preview, progress, the rows reported, and
what staff decide for each row held back as a likely duplicate."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community import services
from ouentai.community.forms import ImportMappingForm, ImportUploadForm
from ouentai.community.models import Company, CompanyImport
from ouentai.community.selectors import (
    company_get,
    company_import_get,
    company_import_list,
    import_held_rows,
    import_row_get,
    import_rows,
)
from ouentai.core.errors import DomainError
from ouentai.core.http import int_param

ROWS_PER_PAGE = 100


class ImportUploadView(ConsoleMixin, View):
    """Upload a CSV or .xlsx file of companies; recent imports are listed below the form."""

    allowed_roles = INBOX_MANAGER_ROLES

    def render_page(self, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        recent = company_import_list(organization=self.organization)
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
    refreshes itself while the worker runs); read the rows it reported and decide about the rows held
    back; retry or discard an import that failed."""

    allowed_roles = INBOX_MANAGER_ROLES

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
        stalled = services.import_stalled(record)
        running = record.in_progress and not stalled
        can_map = record.status in (CompanyImport.Status.UPLOADED, CompanyImport.Status.FAILED) or (
            record.status == CompanyImport.Status.DONE and record.dry_run
        )
        if record.status == CompanyImport.Status.FAILED and not record.dry_run and record.processed_rows:
            can_map = False  # rows were written: only resuming is possible
        page = Paginator(import_rows(record), ROWS_PER_PAGE).get_page(self.request.GET.get("page"))
        held = import_held_rows(record, list(page.object_list)) if not record.dry_run else []
        context = {
            "record": record,
            "form": form,
            "preview": services.import_preview(record, mapping) if can_map else [],
            "can_map": can_map,
            "running": running,
            "stalled": stalled,
            "page": page,
            "held": held,
            "can_discard": not running
            and record.status != CompanyImport.Status.DISCARDED
            and not (record.status == CompanyImport.Status.DONE and not record.dry_run),
        }
        return render(self.request, "community/import_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(company_import_get(organization=self.organization, pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        record = company_import_get(organization=self.organization, pk=pk)
        action = request.POST.get("action", "")
        if action in ("retry", "discard"):
            try:
                if action == "retry":
                    services.import_retry(record=record, actor=self.user)
                    messages.success(request, _("止まった行の次から再開します。"))
                else:
                    services.import_discard(record=record, actor=self.user)
                    messages.success(request, _("取り込みを取りやめ、ファイルを削除しました。"))
            except DomainError as error:
                messages.error(request, str(error.message))
            return redirect("community:import_detail", pk=record.pk)
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


class ImportRowView(ConsoleMixin, View):
    """What to do with one row held back as a likely duplicate: add it to an existing company (empty
    fields filled, its contact added), register it as another company, or leave it out."""

    allowed_roles = INBOX_MANAGER_ROLES

    def post(self, request: HttpRequest, pk: int, row_pk: int) -> HttpResponseBase:
        record = company_import_get(organization=self.organization, pk=pk)
        row = import_row_get(record=record, pk=row_pk)
        action = request.POST.get("action", "")
        back = f"{reverse('community:import_detail', args=[record.pk])}#row-{row.number}"
        try:
            if action == "merge":
                company_id = int_param(request.POST.get("company"))
                if company_id not in row.candidates:
                    raise DomainError(_("追加先の企業を選んでください。"), code="import.row_company")
                try:
                    company = company_get(organization=self.organization, pk=company_id)
                except Company.DoesNotExist as exc:
                    raise DomainError(
                        _("この企業はもうありません（統合されたかもしれません）。"), code="import.row_company"
                    ) from exc
                services.import_row_add_to_company(row=row, company=company, actor=self.user)
                messages.success(
                    request,
                    _("%(row)s行目を「%(company)s」に追加しました。")
                    % {"row": row.number, "company": company.name},
                )
            elif action == "create":
                company = services.import_row_create(row=row, actor=self.user)
                messages.success(
                    request,
                    _("%(row)s行目を別の企業「%(company)s」として登録しました。")
                    % {"row": row.number, "company": company.name},
                )
            elif action == "skip":
                services.import_row_skip(row=row, actor=self.user)
                messages.success(request, _("%(row)s行目は登録しないことにしました。") % {"row": row.number})
            else:
                raise DomainError(_("操作を選んでください。"), code="import.row_action")
        except DomainError as error:
            messages.error(
                request, _("%(row)s行目：%(message)s") % {"row": row.number, "message": error.message}
            )
        return redirect(back)
