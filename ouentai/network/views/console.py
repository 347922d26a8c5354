"""Console pages of the support network's directory (/console/network/): support organizations with
their contacts, key persons and schemes; dispatch schemes; experts. The requests and totals are in
console_dispatch.py, the totals in console_totals.py. Every page reads the organization's records only
(404 otherwise) through ouentai.network.selectors. Staff and org admins manage the directory;
coordinators may read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.audit import audit_entries_for
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.formsets import focus_new_row, with_added_row, without_errors
from ouentai.core.http import int_param, query_without
from ouentai.core.panels import panels_for
from ouentai.network import selectors
from ouentai.network.forms import (
    ContactForm,
    ContactFormSet,
    ExpertFilterForm,
    ExpertForm,
    KeyPersonForm,
    KeyPersonFormSet,
    QualificationForm,
    QualificationFormSet,
    SchemeForm,
    SupportOrganizationForm,
    support_organization_data,
)
from ouentai.network.models import DispatchScheme, Expert, Qualification, SupportOrganization
from ouentai.network.rules import area_text, scheme_rules_text
from ouentai.network.services import directory

PER_PAGE = 50
EXPIRY_WARNING_DAYS = 90


class ManageMixin(ConsoleMixin):
    """The directory's forms: staff and org admins only (coordinators get 403)."""

    allowed_roles = INBOX_MANAGER_ROLES


def _found(record: Any) -> Any:
    if record is None:
        raise Http404
    return record


# --- Support organizations ------------------------------------------------------------------------------


class SupportOrganizationListView(ConsoleMixin, View):
    """The organization's support organizations with their kind, region, number of schemes and contacts
    (three queries)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        organizations = selectors.support_organization_list(organization_id=self.organization.pk)
        return render(
            request,
            "network/console/organizations.html",
            {"organizations": list(organizations), "can_manage": self.user.manages_inbox},
        )


class SupportOrganizationFormView(ManageMixin, View):
    """Create or change a support organization with its contacts and key persons on one page."""

    buttons = {"contacts": "add_contact", "key_persons": "add_key_person"}

    def get_object(self, pk: int | None) -> SupportOrganization | None:
        if pk is None:
            return None
        return _found(selectors.support_organization_get(organization_id=self.organization.pk, pk=pk))

    def build(
        self, data: QueryDict | None, obj: SupportOrganization | None
    ) -> tuple[SupportOrganizationForm, forms.BaseFormSet[Any], forms.BaseFormSet[Any]]:
        if data is None and obj is not None:
            form = SupportOrganizationForm(initial=SupportOrganizationForm.initial_from(obj))
            contacts = ContactFormSet(
                prefix="contacts", initial=[ContactForm.initial_from(c) for c in obj.contacts.all()]
            )
            persons = KeyPersonFormSet(
                prefix="key_persons",
                initial=[KeyPersonForm.initial_from(p) for p in obj.key_persons.all()],
            )
        else:
            form = SupportOrganizationForm(data)
            contacts = ContactFormSet(data, prefix="contacts")
            persons = KeyPersonFormSet(data, prefix="key_persons")
        return form, contacts, persons

    def render_form(
        self,
        obj: SupportOrganization | None,
        form: SupportOrganizationForm,
        contacts: forms.BaseFormSet[Any],
        persons: forms.BaseFormSet[Any],
        status: int = 200,
    ) -> HttpResponse:
        return render(
            self.request,
            "network/console/organization_form.html",
            {"support_organization": obj, "form": form, "contacts": contacts, "key_persons": persons},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render_form(obj, *self.build(None, obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        obj = self.get_object(pk)
        for prefix, button in self.buttons.items():
            if button in request.POST:
                form, contacts, persons = self.build(with_added_row(request.POST, prefix), obj)
                for part in (form, contacts, persons):
                    without_errors(part)
                focus_new_row(contacts if prefix == "contacts" else persons)
                return self.render_form(obj, form, contacts, persons)
        form, contacts, persons = self.build(request.POST, obj)
        valid = all([form.is_valid(), contacts.is_valid(), persons.is_valid()])
        if not valid:
            return self.render_form(obj, form, contacts, persons, status=400)
        try:
            saved = directory.support_organization_save(
                organization=self.organization,
                support_organization=obj,
                data=support_organization_data(form, contacts, persons),
                actor=self.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(obj, form, contacts, persons, status=400)
        messages.success(request, _("支援機関「%(name)s」を保存しました。") % {"name": saved.name})
        return redirect("network_console:organization", pk=saved.pk)


@dataclass(frozen=True)
class SchemeRow:
    scheme: DispatchScheme
    rules: str


class SupportOrganizationDetailView(ConsoleMixin, View):
    """A support organization: contacts, key persons and their commitments, its schemes with their rules
    in words, its partner accounts, the events it co-hosted, and the history."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _found(selectors.support_organization_get(organization_id=self.organization.pk, pk=pk))
        names = selectors.area_names(self.organization.pk)
        records = selectors.support_organization_records(obj)
        context = {
            "support_organization": obj,
            "contacts": records.contacts,
            "key_persons": records.key_persons,
            "schemes": [SchemeRow(scheme, scheme_rules_text(scheme, names)) for scheme in records.schemes],
            "partners": records.partners,
            # The events it co-hosted: a section of the events app.
            "panels": panels_for("network.support_organization", obj, user=self.user),
            "audit_entries": audit_entries_for(obj)[:50],
            "can_manage": self.user.manages_inbox,
        }
        return render(request, "network/console/organization_detail.html", context)


# --- Schemes ----------------------------------------------------------------------------------------------


class SchemeFormView(ManageMixin, View):
    """Create a scheme (``?organization=<pk>`` preselects the support organization) or change one."""

    def get_object(self, pk: int | None) -> DispatchScheme | None:
        if pk is None:
            return None
        return _found(selectors.scheme_get(organization_id=self.organization.pk, pk=pk))

    def render_form(self, scheme: DispatchScheme | None, form: SchemeForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, "network/console/scheme_form.html", {"scheme": scheme, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        scheme = self.get_object(pk)
        if scheme is not None:
            initial = SchemeForm.initial_from(scheme)
        else:
            initial = {"visits_per_year": 3, "hours_per_visit": 2, "fee_share_percent": 100, "sme_only": True,
                       "is_active": True, "report_fields": ["summary"]}  # fmt: skip
            support_id = int_param(request.GET.get("organization"))
            if selectors.support_organization_get(organization_id=self.organization.pk, pk=support_id):
                initial["support_organization"] = support_id
        return self.render_form(scheme, SchemeForm(initial=initial, organization=self.organization))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        scheme = self.get_object(pk)
        form = SchemeForm(request.POST, organization=self.organization)
        if not form.is_valid():
            return self.render_form(scheme, form, status=400)
        try:
            saved = directory.scheme_save(
                organization=self.organization, scheme=scheme, data=form.to_data(), actor=self.user
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(scheme, form, status=400)
        messages.success(request, _("派遣制度「%(name)s」を保存しました。") % {"name": saved.name})
        return redirect(
            f"{reverse('network_console:organization', args=[saved.support_organization_id])}#schemes"
        )


# --- Experts ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualificationRow:
    qualification: Qualification
    warning: str  # "" / 期限切れ / 期限まで n日


def qualification_rows(expert: Expert, today: dt.date) -> list[QualificationRow]:
    """The expert's qualifications with a warning when one has expired or expires within 90 days."""
    rows = []
    for qualification in expert.qualifications.all():
        warning = ""
        if qualification.expires_on is not None:
            days = (qualification.expires_on - today).days
            if days < 0:
                warning = _("期限切れ")
            elif days <= EXPIRY_WARNING_DAYS:
                warning = _("期限まで%(n)s日") % {"n": days}
        rows.append(QualificationRow(qualification, warning))
    return rows


class ExpertListView(ConsoleMixin, View):
    """The organization's experts by フリガナ: qualifications (with expiry warnings), skills, areas,
    availability and current load (submitted, approved and in-progress dispatches); filters by skill,
    availability and name; pages of 50. A constant number of queries."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ExpertFilterForm(request.GET, skills=selectors.skill_choices())
        available = form.value("available")
        experts = selectors.expert_list(
            organization_id=self.organization.pk,
            filters=selectors.ExpertFilters(
                skill_id=form.value("skill"),
                available={"yes": True, "no": False}.get(available or ""),
                q=form.value("q") or "",
            ),
        )
        page = Paginator(experts, PER_PAGE).get_page(request.GET.get("page"))
        today = local_today()
        rows = [(expert, qualification_rows(expert, today)) for expert in page]
        names = selectors.area_names(self.organization.pk)
        return render(
            request,
            "network/console/experts.html",
            {
                "filter_form": form,
                "page": page,
                "rows": [(expert, quals, area_text(expert.area_code_list, names)) for expert, quals in rows],
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
                "can_manage": self.user.manages_inbox,
            },
        )


class ExpertFormView(ManageMixin, View):
    """Create or change an expert: profile, skills, areas, availability, qualifications and the login
    (an existing user of role expert, or a new account made from the e-mail)."""

    def get_object(self, pk: int | None) -> Expert | None:
        if pk is None:
            return None
        return _found(selectors.expert_get(organization_id=self.organization.pk, pk=pk))

    def build(
        self, data: QueryDict | None, expert: Expert | None
    ) -> tuple[ExpertForm, forms.BaseFormSet[Any]]:
        if data is None and expert is not None:
            form = ExpertForm(
                initial=ExpertForm.initial_from(expert), organization=self.organization, expert=expert
            )
            qualifications = QualificationFormSet(
                prefix="qualifications",
                initial=[QualificationForm.initial_from(q) for q in expert.qualifications.all()],
            )
        else:
            form = ExpertForm(data, organization=self.organization, expert=expert)
            qualifications = QualificationFormSet(data, prefix="qualifications")
        return form, qualifications

    def render_form(
        self,
        expert: Expert | None,
        form: ExpertForm,
        qualifications: forms.BaseFormSet[Any],
        status: int = 200,
    ) -> HttpResponse:
        return render(
            self.request,
            "network/console/expert_form.html",
            {"expert": expert, "form": form, "qualifications": qualifications},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        expert = self.get_object(pk)
        return self.render_form(expert, *self.build(None, expert))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        expert = self.get_object(pk)
        if "add_qualification" in request.POST:
            form, qualifications = self.build(with_added_row(request.POST, "qualifications"), expert)
            without_errors(form)
            without_errors(qualifications)
            focus_new_row(qualifications)
            return self.render_form(expert, form, qualifications)
        form, qualifications = self.build(request.POST, expert)
        if not all([form.is_valid(), qualifications.is_valid()]):
            return self.render_form(expert, form, qualifications, status=400)
        try:
            saved, created_user = directory.expert_save(
                organization=self.organization,
                expert=expert,
                data=form.to_data(qualifications),
                actor=self.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(expert, form, qualifications, status=400)
        messages.success(request, _("専門家「%(name)s」を保存しました。") % {"name": saved.name})
        if created_user is not None:
            messages.success(
                request,
                _(
                    "ログイン用アカウント（%(email)s）を作成し、パスワードを決めるためのリンクをメールで送りました。"
                )
                % {"email": created_user.email},
            )
        return redirect("network_console:expert", pk=saved.pk)


class ExpertDetailView(ConsoleMixin, View):
    """An expert: profile, qualifications, skills, areas, load, their dispatches and the history."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        expert = _found(selectors.expert_get(organization_id=self.organization.pk, pk=pk))
        return render(
            request,
            "network/console/expert_detail.html",
            {
                "expert": expert,
                "qualifications": qualification_rows(expert, local_today()),
                "areas": area_text(expert.area_code_list, selectors.area_names(self.organization.pk)),
                "dispatches": selectors.expert_dispatches(expert),
                "audit_entries": audit_entries_for(expert)[:50],
                "can_manage": self.user.manages_inbox,
            },
        )
