"""The console's company pages: list with search, filters, segments and exports; create and edit;
the company page with its membership, contacts and timeline; 名寄せ and merges."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community import services
from ouentai.community.dedup import candidates_for_company, duplicate_candidates, duplicate_groups
from ouentai.community.exports import company_rows
from ouentai.community.forms import (
    CompanyFilterForm,
    CompanyForm,
    ContactForm,
    InvestmentForm,
    MembershipCoordinatorForm,
    MembershipStatusForm,
)
from ouentai.community.models import Company, Contact
from ouentai.community.selectors import (
    company_get,
    company_list,
    company_list_page,
    company_timeline,
    segment_list,
    segments_recently_deleted,
)
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.exports import EXPORT_FORMATS, export_response
from ouentai.core.forms import add_domain_error
from ouentai.core.numbers import yen
from ouentai.core.panels import panels_for

PAGE_SIZE = 50


class CompanyListView(ConsoleMixin, View):
    """Companies of the organization: search, filters, sorting and pages of 50."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CompanyFilterForm(request.GET or None, organization=self.organization)
        found = company_list_page(organization=self.organization, filters=form.to_filters())
        page = Paginator(found.companies, PAGE_SIZE).get_page(request.GET.get("page"))
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
                "capped": found.capped,
                "search_limit": found.limit,
                "segments": segment_list(organization=self.organization),
                "deleted_segments": segments_recently_deleted(organization=self.organization),
            },
        )


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
        return export_response(
            company_rows(companies),
            file_format=file_format,
            filename_stem=f"companies-{timezone.localdate():%Y%m%d}",
            title=_("企業"),
        )


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
            add_domain_error(form, error)
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
            # Its engagements and dispatches: sections of the apps that own them.
            "panels": panels_for("community.company", company, user=self.user),
            "timeline": company_timeline(company, user=self.user),
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
                assert isinstance(form, ContactForm)
                services.contact_create(
                    company=company,
                    data=form.to_data(),
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
            add_domain_error(form, error)
            return self.render_page(self.get_company(pk), {self.FORMS[action]: form}, status=400)
        messages.success(request, message)
        return redirect("community:company_detail", pk=company.pk)


# Field → how the merge page shows it (as on the company page, not as stored).
MERGE_ROWS: list[tuple[str, Callable[[Company], object]]] = [
    ("name", lambda c: c.name),
    ("name_kana", lambda c: c.name_kana),
    ("corporate_number", lambda c: c.corporate_number),
    ("postal_code", lambda c: c.postal_code_display),
    ("prefecture", lambda c: c.prefecture),
    ("city", lambda c: c.city),
    ("town", lambda c: c.town),
    ("address", lambda c: c.address),
    ("phone", lambda c: c.phone_display),
    ("industry", lambda c: c.get_industry_display()),
    ("employees", lambda c: c.employees),
    ("capital_yen", lambda c: yen(c.capital_yen)),
]


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
        rows = [(_field_label(Company, name), shown(first), shown(second)) for name, shown in MERGE_ROWS]
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
                add_domain_error(form, error)
            else:
                messages.success(request, _("担当者を保存しました。"))
                return redirect("community:company_detail", pk=pk)
        return render(request, "community/contact_form.html", {"form": form, "contact": contact}, status=400)
