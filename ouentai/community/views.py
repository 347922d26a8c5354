"""The staff console: the inboxes (applications and inquiries) and the companies. One list view and one
detail view serve both inboxes; detail pages take their actions as POSTs to themselves so that a refused
action re-renders the page with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.accounts.selectors import organization_console_users
from ouentai.community import services
from ouentai.community.dedup import candidates_for_company, duplicate_candidates, duplicate_groups
from ouentai.community.exports import company_rows, stream_csv, write_xlsx
from ouentai.community.forms import (
    AssignForm,
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    ContactLogForm,
    DeclineForm,
    FaqFromInquiryForm,
    ImportMappingForm,
    ImportUploadForm,
    InboxFilterForm,
    InvestmentForm,
    MembershipCoordinatorForm,
    MembershipStatusForm,
)
from ouentai.community.models import Application, Company, CompanyImport, Contact, Inquiry, Segment
from ouentai.community.selectors import (
    InboxFilters,
    company_get,
    company_list,
    company_timeline,
    contact_logs_for,
    inbox_counts,
    inbox_get,
    inbox_list,
    pipeline_list,
)
from ouentai.community.services import ContactData
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.mail import mails_for

PAGE_SIZE = 50


class InboxListView(ConsoleMixin, View):
    model: type[Application] | type[Inquiry]
    template_name = "community/inbox_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        statuses = self.model._meta.get_field("status").choices
        form = InboxFilterForm(request.GET or None, statuses=statuses, organization=self.organization)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        filters = InboxFilters(
            status=data.get("status", ""),
            assignee=data.get("assignee", ""),
            overdue=bool(data.get("overdue")),
            q=data.get("q", ""),
        )
        page = Paginator(inbox_list(self.model, user=self.user, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "kind": self.model._meta.model_name,
                "title": self.model._meta.verbose_name,
                "filter_form": form,
                "page": page,
                "counts": inbox_counts(self.model, user=self.user),
                "query": query.urlencode(),
            },
        )


class ApplicationListView(InboxListView):
    model = Application


class InquiryListView(InboxListView):
    model = Inquiry


class InboxDetailView(ConsoleMixin, View):
    """GET shows the item; POST ``action=<name>`` runs one action through its service."""

    model: type[Application] | type[Inquiry]
    template_name: str
    # action name → (context name of its form, form class or None)
    actions: dict[str, tuple[str, type[forms.Form] | None]]

    def get_item(self, pk: int) -> Any:
        try:
            return inbox_get(self.model, user=self.user, pk=pk)
        except self.model.DoesNotExist as exc:
            raise Http404 from exc

    def forms_for(self, item: Any, bound: dict[str, forms.Form] | None = None) -> dict[str, forms.Form]:
        result: dict[str, forms.Form] = {
            "assign_form": AssignForm(organization=self.organization, initial={"assignee": item.assignee_id}),
            "contact_form": ContactLogForm(),
        }
        if isinstance(item, Application):
            result["decline_form"] = DeclineForm()
        else:
            result["faq_form"] = FaqFromInquiryForm(initial={"question": item.subject})
        result.update(bound or {})
        return result

    def render_item(
        self, item: Any, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "item": item,
            "kind": self.model._meta.model_name,
            "contact_logs": contact_logs_for(item),
            "audit_entries": audit_entries_for(item),
            "mails": mails_for(item),
            **self.forms_for(item, bound),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_item(self.get_item(pk))

    def make_form(self, action: str) -> forms.Form | None:
        form_class = self.actions[action][1]
        if form_class is None:
            return None
        if form_class is AssignForm:
            return AssignForm(self.request.POST, organization=self.organization)
        return form_class(self.request.POST)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        item = self.get_item(pk)
        action = request.POST.get("action", "")
        if action not in self.actions:
            return self.render_item(item, status=400)
        form_name = self.actions[action][0]
        form = self.make_form(action)
        if form is not None and not form.is_valid():
            return self.render_item(item, {form_name: form}, status=400)
        handler: Callable[[Any, dict[str, Any]], str] = getattr(self, f"do_{action}")
        try:
            message = handler(item, form.cleaned_data if form is not None else {})
        except DomainError as error:
            if form is None:
                messages.error(request, str(error.message))
                return self.render_item(self.get_item(pk), status=400)
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.render_item(self.get_item(pk), {form_name: form}, status=400)
        messages.success(request, message)
        return redirect(request.path)

    def do_assign(self, item: Any, data: dict[str, Any]) -> str:
        services.inbox_assign(item=item, assignee=data["assignee"], actor=self.user)
        return _("担当者を%(name)sさんにしました。") % {"name": data["assignee"].name}

    def do_contact(self, item: Any, data: dict[str, Any]) -> str:
        services.inbox_log_contact(
            item=item,
            channel=data["channel"],
            note=data["note"],
            occurred_at=data["occurred_at"],
            actor=self.user,
        )
        return _("対応を記録しました。")


COMMON_ACTIONS: dict[str, tuple[str, type[forms.Form] | None]] = {
    "assign": ("assign_form", AssignForm),
    "contact": ("contact_form", ContactLogForm),
}


class ApplicationDetailView(InboxDetailView):
    model = Application
    template_name = "community/application_detail.html"
    actions = {**COMMON_ACTIONS, "convert": ("", None), "decline": ("decline_form", DeclineForm)}

    def do_convert(self, item: Application, data: dict[str, Any]) -> str:
        services.application_convert(application=item, actor=self.user)
        return _("会員企業として登録しました。")

    def do_decline(self, item: Application, data: dict[str, Any]) -> str:
        services.application_decline(application=item, reason=data["reason"], actor=self.user)
        return _("見送りにしました。")


class InquiryDetailView(InboxDetailView):
    model = Inquiry
    template_name = "community/inquiry_detail.html"
    actions = {**COMMON_ACTIONS, "close": ("", None), "faq": ("faq_form", FaqFromInquiryForm)}

    def do_close(self, item: Inquiry, data: dict[str, Any]) -> str:
        services.inquiry_close(inquiry=item, actor=self.user)
        return _("完了にしました。")

    def do_faq(self, item: Inquiry, data: dict[str, Any]) -> str:
        services.inquiry_to_faq(
            inquiry=item,
            question=data["question"],
            answer=data["answer"],
            publish=data["publish"],
            actor=self.user,
        )
        return _("Q&Aに追加しました。回答が空の項目は公開されません。")


class CompanyListView(ConsoleMixin, View):
    """Companies of the organization: search, filters, sorting and pages of 50."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CompanyFilterForm(request.GET or None, organization=self.organization)
        companies = company_list(organization=self.organization, filters=form.to_filters())
        page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "community/company_list.html",
            {
                "filter_form": form,
                "page": page,
                "query": query.urlencode(),
                "total": page.paginator.count,
                "segments": Segment.objects.filter(organization=self.organization),
            },
        )


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-cp932": ("text/csv; charset=shift_jis", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class CompanyExportView(ConsoleMixin, View):
    """The company list as filtered, as CSV (UTF-8 with BOM, or CP932) or .xlsx, streamed. Staff and org
    admins only; every export is recorded in the audit log."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponseBase:
        file_format = request.GET.get("format", "csv")
        if file_format not in EXPORT_FORMATS:
            raise Http404
        form = CompanyFilterForm(request.GET or None, organization=self.organization)
        companies = company_list(organization=self.organization, filters=form.to_filters())
        query = request.GET.urlencode()
        services.companies_exported(
            organization=self.organization,
            query=query,
            rows=companies.count(),
            file_format=file_format,
            actor=self.user,
        )
        content_type, extension = EXPORT_FORMATS[file_format]
        filename = f"companies-{timezone.localdate():%Y%m%d}.{extension}"
        rows = company_rows(companies)
        response: HttpResponseBase
        if file_format == "xlsx":
            response = FileResponse(write_xlsx(rows, title=_("企業")), content_type=content_type)
        else:
            encoding = "cp932" if file_format == "csv-cp932" else "utf-8-sig"
            response = StreamingHttpResponse(stream_csv(rows, encoding=encoding), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SegmentView(ConsoleMixin, View):
    """Save the company list's current filter as a named segment, or delete one."""

    allowed_roles = INBOX_MANAGER_ROLES

    def post(self, request: HttpRequest) -> HttpResponseBase:
        if request.POST.get("delete"):
            segment = get_object_or_404(Segment, organization=self.organization, pk=request.POST["delete"])
            services.segment_delete(segment=segment, actor=self.user)
            messages.success(request, _("セグメントを削除しました。"))
            return redirect("community:company_list")
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


class CompanyFormView(ConsoleMixin, View):
    """Register a company (no pk) or change one. Staff and org admins only."""

    allowed_roles = INBOX_MANAGER_ROLES

    def render_form(self, form: CompanyForm, company: Company | None, status: int = 200) -> HttpResponse:
        return render(
            self.request, "community/company_form.html", {"form": form, "company": company}, status=status
        )

    def get_company(self, pk: int | None) -> Company | None:
        if pk is None:
            return None
        try:
            return company_get(organization=self.organization, pk=pk)
        except Company.DoesNotExist as exc:
            raise Http404 from exc

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        company = self.get_company(pk)
        initial = CompanyForm.initial_from(company) if company else None
        return self.render_form(CompanyForm(initial=initial), company)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        company = self.get_company(pk)
        form = CompanyForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, company, status=400)
        if company is None and not request.POST.get("confirm_new"):
            data = form.to_data()
            candidates = duplicate_candidates(
                organization=self.organization,
                name=data.name,
                corporate_number=data.corporate_number,
                phone=data.phone,
            )
            if candidates:
                context = {"form": form, "company": None, "candidates": candidates}
                return render(request, "community/company_form.html", context, status=409)
        try:
            if company is None:
                company = services.company_create(
                    organization=self.organization, data=form.to_data(), actor=self.user
                )
            else:
                company = services.company_update(company=company, data=form.to_data(), actor=self.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.render_form(form, company, status=400)
        messages.success(request, _("企業情報を保存しました。"))
        return redirect("community:company_detail", pk=company.pk)


class CompanyDetailView(ConsoleMixin, View):
    """A company's page: its data and SME status, membership and IT-investment cycle, contacts, one
    timeline of everything that touched it, and its audit history. POST ``action=<name>`` adds a contact
    or changes the membership (staff and org admins)."""

    FORMS = {
        "contact": "contact_form",
        "join": "",
        "status": "status_form",
        "coordinator": "coordinator_form",
        "investment": "investment_form",
    }

    def get_company(self, pk: int) -> Company:
        try:
            return company_get(organization=self.organization, pk=pk)
        except Company.DoesNotExist as exc:
            raise Http404 from exc

    def empty_forms(self, company: Company) -> dict[str, forms.Form]:
        membership = getattr(company, "membership", None)
        return {
            "contact_form": ContactForm(),
            "status_form": MembershipStatusForm(initial={"status": membership.status if membership else ""}),
            "coordinator_form": MembershipCoordinatorForm(
                organization=self.organization,
                initial={"coordinator": membership.coordinator_id if membership else None},
            ),
            "investment_form": InvestmentForm(
                initial={
                    "on": membership.last_it_investment_on if membership else None,
                    "note": membership.last_it_investment_note if membership else "",
                    "cycle_years": membership.it_cycle_years if membership else 4,
                }
            ),
        }

    def render_page(
        self, company: Company, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "company": company,
            "membership": getattr(company, "membership", None),
            "contacts": company.contacts.all(),
            "timeline": company_timeline(company),
            "audit_entries": audit_entries_for(company),
            "candidates": candidates_for_company(company),
            **self.empty_forms(company),
            **(bound or {}),
        }
        return render(self.request, "community/company_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_company(pk))

    def bound_form(self, action: str) -> forms.Form | None:
        post = self.request.POST
        return {
            "contact": lambda: ContactForm(post),
            "status": lambda: MembershipStatusForm(post),
            "coordinator": lambda: MembershipCoordinatorForm(post, organization=self.organization),
            "investment": lambda: InvestmentForm(post),
        }.get(action, lambda: None)()

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        company = self.get_company(pk)
        if not self.user.manages_inbox:
            raise PermissionDenied
        action = request.POST.get("action", "contact")
        if action not in self.FORMS:
            return self.render_page(company, status=400)
        form = self.bound_form(action)
        if form is not None and not form.is_valid():
            return self.render_page(company, {self.FORMS[action]: form}, status=400)
        data = form.cleaned_data if form is not None else {}
        membership = getattr(company, "membership", None)
        try:
            if action == "contact":
                services.contact_create(
                    company=company,
                    data=ContactData(**{k: v or "" for k, v in data.items()}),
                    actor=self.user,
                )
                message = _("担当者を追加しました。")
            elif action == "join":
                services.membership_create(company=company, actor=self.user)
                message = _("会員の申込として登録しました。")
            elif membership is None:
                raise DomainError(_("先に会員として登録してください。"), code="membership.missing")
            elif action == "status":
                services.membership_set_status(membership=membership, status=data["status"], actor=self.user)
                message = _("会員の状態を変更しました。")
            elif action == "coordinator":
                services.membership_assign_coordinator(
                    membership=membership, coordinator=data["coordinator"], actor=self.user
                )
                message = _("担当ITコーディネータを保存しました。")
            else:
                services.membership_record_investment(
                    membership=membership,
                    on=data["on"],
                    note=data["note"],
                    cycle_years=data["cycle_years"],
                    actor=self.user,
                )
                message = _("IT投資を記録しました。")
        except DomainError as error:
            if form is None:
                messages.error(request, str(error.message))
                return self.render_page(self.get_company(pk), status=400)
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.render_page(self.get_company(pk), {self.FORMS[action]: form}, status=400)
        messages.success(request, message)
        return redirect("community:company_detail", pk=company.pk)


def _field_label(model: type[Company], name: str) -> str:
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


class DuplicateReportView(ConsoleMixin, View):
    """名寄せ report: every group of companies that share a 法人番号, a name, a phone number or an e-mail."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "community/duplicates.html", {"groups": duplicate_groups(organization=self.organization)}
        )


class CompanyMergeView(ConsoleMixin, View):
    """Side by side, two companies; staff choose which one stays and confirm the merge."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_pair(self, pk: int, other_pk: int) -> tuple[Company, Company]:
        try:
            return (
                company_get(organization=self.organization, pk=pk),
                company_get(organization=self.organization, pk=other_pk),
            )
        except Company.DoesNotExist as exc:
            raise Http404 from exc

    def get(self, request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
        first, second = self.get_pair(pk, other_pk)
        rows = [
            (_field_label(Company, name), getattr(first, name), getattr(second, name))
            for name in ("name", "name_kana", "corporate_number", "postal_code", "prefecture", "city", "address",
                         "phone", "industry", "employees", "capital_yen")
        ]  # fmt: skip
        return render(
            request,
            "community/company_merge.html",
            {
                "first": first,
                "second": second,
                "rows": rows,
                "counts": [
                    (first.applications.count(), second.applications.count()),
                    (first.contacts.count(), second.contacts.count()),
                ],
            },
        )

    def post(self, request: HttpRequest, pk: int, other_pk: int) -> HttpResponseBase:
        first, second = self.get_pair(pk, other_pk)
        keep, remove = (second, first) if request.POST.get("keep") == str(second.pk) else (first, second)
        try:
            services.company_merge(keep=keep, remove=remove, actor=self.user)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("community:company_merge", pk=pk, other_pk=other_pk)
        messages.success(request, _("「%(name)s」に統合しました。") % {"name": keep.name})
        return redirect("community:company_detail", pk=keep.pk)


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


class ContactEditView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def get_contact(self, pk: int, contact_pk: int) -> Contact:
        return get_object_or_404(
            Contact.objects.select_related("company"),
            organization=self.organization,
            company_id=pk,
            pk=contact_pk,
        )

    def get(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        contact = self.get_contact(pk, contact_pk)
        form = ContactForm(initial={name: getattr(contact, name) for name in ContactForm.base_fields})
        return render(request, "community/contact_form.html", {"form": form, "contact": contact})

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponseBase:
        contact = self.get_contact(pk, contact_pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_update(contact=contact, data=form.to_data(), actor=self.user)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(request, _("担当者を保存しました。"))
                return redirect("community:company_detail", pk=pk)
        return render(request, "community/contact_form.html", {"form": form, "contact": contact}, status=400)


def console_home(request: HttpRequest) -> HttpResponse:
    return redirect("community:application_list")
