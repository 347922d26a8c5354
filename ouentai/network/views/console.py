"""Console pages of the support network's directory (/console/network/): support organizations with
their contacts, key persons and schemes; dispatch schemes; experts. The requests and totals are in
console_dispatch.py. Every page reads the organization's records only (404 otherwise). Staff and org
admins manage the directory; coordinators may read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.models import OrganizationArea
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.audit import audit_entries_for
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.formsets import focus_new_row, with_added_row, without_errors
from ouentai.core.http import int_param, query_without
from ouentai.core.jp import DESIGNATED_CITIES
from ouentai.core.numbers import number_text
from ouentai.core.panels import panels_for
from ouentai.network.choices import DispatchTheme
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
from ouentai.network.models import (
    DispatchScheme,
    Expert,
    KeyPerson,
    PartnerAccount,
    Qualification,
    Skill,
    SupportOrganization,
)
from ouentai.network.services import directory
from ouentai.network.services.matching import ACTIVE

PER_PAGE = 50
EXPIRY_WARNING_DAYS = 90
# States in which the expert may still be chosen (services.dispatch_assign_expert).

# JIS X 0401 prefecture codes 01–47, in order.
PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]  # fmt: skip


# --- Words for rules --------------------------------------------------------------------------------------


def area_names(organization_id: int) -> dict[str, str]:
    """Code → name: the 47 prefectures, the designated cities and the organization's own areas."""
    names = {f"{index:02d}": name for index, name in enumerate(PREFECTURES, start=1)}
    names.update(DESIGNATED_CITIES)
    names.update(OrganizationArea.objects.filter(organization_id=organization_id).values_list("code", "name"))
    return names


def area_text(codes: list[str], names: dict[str, str]) -> str:
    return "、".join(f"{names[code]}（{code}）" if code in names else code for code in codes)


def scheme_rules(scheme: DispatchScheme, names: dict[str, str]) -> str:
    """A scheme's rules in words: 中小企業のみ／神奈川県（14）／1社あたり年度3回（IT活用・デジタル化は5回）／
    1回2時間／謝金 10,000円/時間の100%／受付 2026年4月1日〜."""
    parts = [_("中小企業のみ") if scheme.sme_only else _("企業規模の制限なし")]
    areas = scheme.area_code_list
    parts.append(area_text(areas, names) if areas else _("地域の制限なし"))
    visits = _("1社あたり年度%(n)s回") % {"n": scheme.visits_per_year}
    themes = dict(DispatchTheme.choices)
    extra = [
        _("%(theme)sは%(n)s回") % {"theme": themes[theme], "n": n}
        for theme, n in (scheme.visits_per_theme or {}).items()
        if theme in themes
    ]
    if extra:
        visits += f"（{'、'.join(extra)}）"
    parts.append(visits)
    parts.append(_("1回%(h)s時間") % {"h": number_text(scheme.hours_per_visit)})
    parts.append(
        _("謝金 %(fee)s円/時間の%(share)s%%")
        % {"fee": f"{scheme.fee_per_hour:,}", "share": scheme.fee_share_percent}
    )
    if scheme.opens_on or scheme.closes_on:
        opens = (
            f"{scheme.opens_on.year}年{scheme.opens_on.month}月{scheme.opens_on.day}日"
            if scheme.opens_on
            else ""
        )
        closes = (
            f"{scheme.closes_on.year}年{scheme.closes_on.month}月{scheme.closes_on.day}日"
            if scheme.closes_on
            else ""
        )
        parts.append(_("受付 %(opens)s〜%(closes)s") % {"opens": opens, "closes": closes})
    else:
        parts.append(_("受付期間の定めなし"))
    if not scheme.is_active:
        parts.append(_("受付停止中"))
    return "／".join(str(part) for part in parts)


class ManageMixin(ConsoleMixin):
    """The directory's forms: staff and org admins only (coordinators get 403)."""

    allowed_roles = INBOX_MANAGER_ROLES


# --- Support organizations ------------------------------------------------------------------------------


class SupportOrganizationListView(ConsoleMixin, View):
    """The organization's support organizations with their kind, region, number of schemes and contacts
    (three queries)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        organizations = (
            SupportOrganization.objects.filter(organization=self.organization)
            .annotate(scheme_count=Count("schemes", distinct=True))
            .prefetch_related("contacts")
            .order_by("name")
        )
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
        return get_object_or_404(SupportOrganization, organization=self.organization, pk=pk)

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
        obj = get_object_or_404(SupportOrganization, organization=self.organization, pk=pk)
        names = area_names(self.organization.pk)
        schemes = obj.schemes.filter(organization=self.organization).order_by("name")
        context = {
            "support_organization": obj,
            "contacts": list(obj.contacts.all()),
            "key_persons": list(
                KeyPerson.objects.filter(organization=self.organization, support_organization=obj)
            ),
            "schemes": [SchemeRow(scheme, scheme_rules(scheme, names)) for scheme in schemes],
            "partners": list(
                PartnerAccount.objects.filter(organization=self.organization, support_organization=obj)
                .select_related("user")
                .order_by("user__name")
            ),
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
        return get_object_or_404(
            DispatchScheme.objects.select_related("support_organization"),
            organization=self.organization,
            pk=pk,
        )

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
            if SupportOrganization.objects.filter(organization=self.organization, pk=support_id).exists():
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


def _with_load(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    return experts.annotate(load=Count("dispatches", filter=Q(dispatches__status__in=ACTIVE), distinct=True))


class ExpertListView(ConsoleMixin, View):
    """The organization's experts by フリガナ: qualifications (with expiry warnings), skills, areas,
    availability and current load (submitted, approved and in-progress dispatches); filters by skill,
    availability and name; pages of 50. A constant number of queries."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ExpertFilterForm(request.GET, skills=list(Skill.objects.values_list("pk", "name")))
        experts = Expert.objects.filter(organization=self.organization)
        if skill := form.value("skill"):
            experts = experts.filter(skills__pk=skill)
        if (available := form.value("available")) in ("yes", "no"):
            experts = experts.filter(is_available=available == "yes")
        if q := form.value("q"):
            experts = experts.filter(Q(name__icontains=q) | Q(name_kana__icontains=q))
        experts = (
            _with_load(experts)
            .prefetch_related("skills", "qualifications")
            .order_by("name_kana", "name", "pk")
        )
        page = Paginator(experts, PER_PAGE).get_page(request.GET.get("page"))
        today = local_today()
        rows = [(expert, qualification_rows(expert, today)) for expert in page]
        names = area_names(self.organization.pk)
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
        return get_object_or_404(Expert.objects.select_related("user"), organization=self.organization, pk=pk)

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
        expert = get_object_or_404(
            _with_load(Expert.objects.filter(organization=self.organization))
            .select_related("user")
            .prefetch_related("skills", "qualifications"),
            pk=pk,
        )
        dispatches = (
            expert.dispatches.filter(organization=self.organization)
            .select_related("company", "scheme", "scheme__support_organization")
            .order_by("-created_at", "-pk")[:100]
        )
        return render(
            request,
            "network/console/expert_detail.html",
            {
                "expert": expert,
                "qualifications": qualification_rows(expert, local_today()),
                "areas": area_text(expert.area_code_list, area_names(self.organization.pk)),
                "dispatches": list(dispatches),
                "audit_entries": audit_entries_for(expert)[:50],
                "can_manage": self.user.manages_inbox,
            },
        )


# --- Dispatch requests -------------------------------------------------------------------------------------
