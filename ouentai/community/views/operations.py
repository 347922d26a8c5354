"""Console pages for work that runs in the task queue or over many companies: file imports, the
IT-investment pipeline and newsletters."""

from __future__ import annotations

from django.contrib import messages
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
    NewsletterForm,
)
from ouentai.community.models import CompanyImport, Newsletter
from ouentai.community.selectors import (
    pipeline_list,
)
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error


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


class NewsletterListView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        newsletters = Newsletter.objects.filter(organization=self.organization).select_related(
            "segment", "created_by"
        )
        return render(request, "community/newsletter_list.html", {"newsletters": newsletters[:100]})


class NewsletterEditView(ConsoleMixin, View):
    """Write or change a draft newsletter."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_newsletter(self, pk: int | None) -> Newsletter | None:
        return get_object_or_404(Newsletter, organization=self.organization, pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        newsletter = self.get_newsletter(pk)
        initial = (
            {"subject": newsletter.subject, "body": newsletter.body, "segment": newsletter.segment_id,
             "per_minute": newsletter.per_minute}
            if newsletter
            else None
        )  # fmt: skip
        form = NewsletterForm(initial=initial, organization=self.organization)
        return render(request, "community/newsletter_form.html", {"form": form, "newsletter": newsletter})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        newsletter = self.get_newsletter(pk)
        form = NewsletterForm(request.POST, organization=self.organization)
        if form.is_valid():
            d = form.cleaned_data
            try:
                newsletter = services.newsletter_save(
                    organization=self.organization, newsletter=newsletter, subject=d["subject"], body=d["body"],
                    segment=d["segment"], per_minute=d["per_minute"], actor=self.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("下書きを保存しました。"))
                return redirect("community:newsletter_detail", pk=newsletter.pk)
        context = {"form": form, "newsletter": newsletter}
        return render(request, "community/newsletter_form.html", context, status=400)


class NewsletterDetailView(ConsoleMixin, View):
    """Preview as the first recipient sees it, the audience, a test send to oneself, and the start."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        newsletter = get_object_or_404(
            Newsletter.objects.select_related("segment"), organization=self.organization, pk=pk
        )
        audience = services.newsletter_audience(organization=self.organization, segment=newsletter.segment)
        sample = audience.first()
        preview = services.newsletter_preview(newsletter, sample) if sample else ""
        return render(
            request,
            "community/newsletter_detail.html",
            {
                "newsletter": newsletter,
                "audience_count": audience.count(),
                "sample": sample,
                "preview": preview,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        newsletter = get_object_or_404(Newsletter, organization=self.organization, pk=pk)
        try:
            if request.POST.get("action") == "start":
                services.newsletter_start(newsletter=newsletter, actor=self.user)
                messages.success(request, _("配信を始めました。"))
            else:
                services.newsletter_test_send(newsletter=newsletter, actor=self.user)
                messages.success(request, _("%(email)s にテスト送信しました。") % {"email": self.user.email})
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("community:newsletter_detail", pk=newsletter.pk)
