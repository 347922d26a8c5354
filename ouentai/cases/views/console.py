"""The console's case library (/console/cases/): the organization's cases, a case made from a completed
engagement (prefilled from the records), its edit form, and its page with the workflow: each step's
button is shown only when its ``case_can_*`` predicate allows it, and each refusal of a service is
shown beside its form with what was typed (status 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.cases.choices import (
    CONSENT_TEXT_VERSION,
    CONSENT_TEXTS,
    CaseStatus,
    CaseVariant,
    ConsentMethod,
    SizeBand,
)
from ouentai.cases.forms import (
    ApproveForm,
    AttachConsentForm,
    CaseFilterForm,
    CaseForm,
    ConfirmForm,
    MediaForm,
    ReturnForm,
    WithdrawForm,
)
from ouentai.cases.models import Case, CaseConsent, CaseMedia
from ouentai.cases.rules import size_band_for
from ouentai.cases.selectors.console import (
    CaseFilters,
    case_consent_get,
    case_get,
    case_list,
    case_media_get,
)
from ouentai.cases.selectors.recipients import case_member_emails
from ouentai.cases.selectors.sources import CaseSources, case_event_choices, case_sources, kpi_figures
from ouentai.cases.services import authoring, workflow
from ouentai.community.choices import ItStage
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import query_without
from ouentai.engagements.choices import Phase
from ouentai.engagements.models import Engagement
from ouentai.engagements.selectors import engagement_get

CASES_PER_PAGE = 50


def _phase_labels(phases: list[str]) -> list[str]:
    return [str(Phase(p).label) for p in phases if p in Phase.values]


def facts_from_sources(engagement: Engagement, sources: CaseSources) -> dict[str, Any]:
    """What a new case will take from the records, as the create form shows it (not editable)."""
    company = engagement.company
    band = size_band_for(company.employees)
    return {
        "company": company,
        "industry": company.get_industry_display() if company.industry else "",
        "size_band": SizeBand(band).label if band else "",
        "region": f"{company.prefecture}{company.city}",
        "phases": _phase_labels(sources.phases),
        "started_on": engagement.started_on,
        "completed_on": engagement.target_on,
        "schemes": sources.schemes,
        "experts": sources.experts,
        "trainings": sources.trainings,
        "it_stage_before": ItStage(sources.it_stage_before).label if sources.it_stage_before else "",
    }


def facts_of_case(case: Case) -> dict[str, Any]:
    """What a case took from the records, as its page shows it (no query beyond case_get's)."""
    return {
        "company": case.company,
        "industry": case.get_industry_display() if case.industry else "",
        "size_band": case.get_size_band_display() if case.size_band else "",
        "region": f"{case.prefecture}{case.city}",
        "phases": _phase_labels(list(case.phases or [])),
        "started_on": case.started_on,
        "completed_on": case.completed_on,
        "schemes": list(case.schemes.all()),
        "experts": list(case.experts.all()),
        "trainings": list(case.trainings.all()),
        "it_stage_before": case.get_it_stage_before_display() if case.it_stage_before else "",
    }


class CaseConsoleMixin(ConsoleMixin):
    """Finds the case of the URL among the organization's cases (404 otherwise)."""

    def get_case(self, pk: int) -> Case:
        case = case_get(organization_id=self.organization.pk, pk=pk)
        if case is None:
            raise Http404
        return case


class CaseListView(ConsoleMixin, View):
    """The organization's cases, last changed first, filtered by status and title; pages of 50."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseFilterForm(request.GET)
        cases = case_list(
            organization_id=self.organization.pk,
            filters=CaseFilters(status=form.value("status"), q=form.value("q")),
        )
        page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "cases/console/list.html",
            {
                "filter_form": form,
                "page": page,
                "total": page.paginator.count,
                "query": query_without(request.GET, "page"),
                # Staff choose published cases for national selections (views/nominations.py).
                "can_nominate": self.user.manages_inbox,
            },
        )


# --- The case form ----------------------------------------------------------------------------------


class CaseFormView(CaseConsoleMixin, View):
    """A case made from a completed engagement (``new/<engagement>/``: the company facts, phases, dates
    and support used shown from the records, the KPIs offered from its measured ones) or a draft's
    edit form (``<pk>/edit/``)."""

    def get_engagement(self, pk: int) -> Engagement:
        engagement = engagement_get(organization=self.organization, pk=pk)
        if engagement is None:
            raise Http404
        return engagement

    def build(self, engagement: Engagement, case: Case | None, data: QueryDict | None = None) -> CaseForm:
        kwargs: dict[str, Any] = {
            "kpis": kpi_figures(engagement),
            "events": case_event_choices(organization_id=self.organization.pk),
        }
        if data is not None:
            return CaseForm(data, **kwargs)
        if case is not None:
            return CaseForm(initial=CaseForm.initial_from(case), **kwargs)
        initial = {
            "title": engagement.title,
            "challenge": engagement.challenges,
            "strategy": engagement.strategy,
            "kpi_ids": [f.kpi.pk for f in kwargs["kpis"]],
        }
        return CaseForm(initial=initial, **kwargs)

    def render_form(
        self, form: CaseForm, engagement: Engagement, case: Case | None, status: int = 200
    ) -> HttpResponse:
        context: dict[str, Any] = {"form": form, "engagement": engagement, "case": case}
        if case is None:
            context["facts"] = facts_from_sources(engagement, case_sources(engagement))
            context["may_create"] = authoring.case_may_create(self.user, engagement)
        else:
            context["facts"] = facts_of_case(case)
            context["may_edit"] = workflow.case_can_edit(self.user, case)
        return render(self.request, "cases/console/form.html", context, status=status)

    def get(
        self, request: HttpRequest, engagement_pk: int | None = None, pk: int | None = None
    ) -> HttpResponse:
        if pk is not None:
            case = self.get_case(pk)
            return self.render_form(self.build(case.engagement, case), case.engagement, case)
        engagement = self.get_engagement(engagement_pk or 0)
        return self.render_form(self.build(engagement, None), engagement, None)

    def post(
        self, request: HttpRequest, engagement_pk: int | None = None, pk: int | None = None
    ) -> HttpResponseBase:
        case = self.get_case(pk) if pk is not None else None
        engagement = case.engagement if case is not None else self.get_engagement(engagement_pk or 0)
        form = self.build(engagement, case, request.POST)
        if not form.is_valid():
            return self.render_form(form, engagement, case, status=400)
        try:
            if case is None:
                saved = authoring.case_create_from_engagement(
                    engagement=engagement, actor=self.user, data=form.to_data()
                )
            else:
                saved = authoring.case_update(case=case, actor=self.user, data=form.to_data())
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, engagement, case, status=400)
        messages.success(request, _("成功事例「%(title)s」を保存しました。") % {"title": saved.title})
        return redirect("cases_console:detail", pk=saved.pk)


# --- The case page and its workflow -------------------------------------------------------------------

# action → (the form's name in the page, its class)
ACTION_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "submit": ("submit_form", ConfirmForm),
    "return": ("return_form", ReturnForm),
    "approve": ("approve_form", ApproveForm),
    "attach": ("attach_form", AttachConsentForm),
    "publish": ("publish_form", ConfirmForm),
    "withdraw": ("withdraw_form", WithdrawForm),
    "reopen": ("reopen_form", ConfirmForm),
    "kpis": ("kpis_form", ConfirmForm),
    "media": ("media_form", MediaForm),
}

# action → the predicate (key of CaseDetailView.can) that shows its form
ACTION_PERMISSION = {
    "submit": "submit",
    "return": "review",
    "approve": "review",
    "attach": "attach",
    "publish": "publish",
    "withdraw": "withdraw",
    "reopen": "reopen",
    "kpis": "edit",
    "media": "edit",
}


class CaseDetailView(CaseConsoleMixin, View):
    """A case's page: what it says (as written, with the company), its KPIs, photos and files, the
    workflow buttons the person may use now, the consent history word for word and the audit trail.
    POST ``action`` = one of ACTION_FORMS."""

    def can(self, case: Case) -> dict[str, bool]:
        """Which steps this person may take on the case now (the services' predicates)."""
        user = self.user
        return {
            "edit": workflow.case_can_edit(user, case),
            "submit": workflow.case_can_submit(user, case),
            "review": workflow.case_can_review(user, case),
            "attach": workflow.case_can_attach_consent(user, case),
            "publish": workflow.case_can_publish(user, case),
            "withdraw": workflow.case_can_withdraw(user, case),
            "reopen": workflow.case_can_reopen(user, case),
            "read_form": workflow.case_can_read_signed_form(user, case),
        }

    def render_page(
        self, case: Case, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        can = self.can(case)
        forms_: dict[str, forms.Form] = {name: cls() for name, cls in ACTION_FORMS.values()}
        forms_["approve_form"] = ApproveForm(initial={"variant": case.variant})
        forms_.update(bound or {})
        consents = list(case.consents.all())
        context: dict[str, Any] = {
            "case": case,
            "facts": facts_of_case(case),
            "steps": [
                (value, label)
                for value, label in CaseStatus.choices
                if value != CaseStatus.WITHDRAWN or case.status == CaseStatus.WITHDRAWN
            ],
            "can": can,
            "kpis": list(case.kpis.all()),
            "media": list(case.media.all()),
            "consents": consents,
            "live_consent": next((c for c in consents if c.withdrawn_at is None), None),
            "consent_texts": [(str(v.label), str(CONSENT_TEXTS[v])) for v in CaseVariant],
            "consent_version": CONSENT_TEXT_VERSION,
            "current_consent_text": workflow.consent_text(case),
            "signed_form_method": ConsentMethod.SIGNED_FORM,
            "waiting_for_company": case.status == CaseStatus.CONSENT_REQUESTED,
            # Whether anyone at the company can consent online (else: the signed form).
            "member_emails": case_member_emails(case) if case.status == CaseStatus.CONSENT_REQUESTED else [],
            "audit_entries": audit_entries_for(case)[:100],
            **forms_,
        }
        return render(self.request, "cases/console/detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_case(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        case = self.get_case(pk)
        action = request.POST.get("action", "")
        if action not in ACTION_FORMS:
            raise Http404
        name, form_class = ACTION_FORMS[action]
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.handlers()[action](case, form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
                if not self.can(self.get_case(pk))[ACTION_PERMISSION[action]]:
                    # Its form is not on the page (the step is not open to this person now): say it on top.
                    messages.error(request, str(error.message))
            else:
                messages.success(request, message)
                return redirect(f"{reverse('cases_console:detail', args=[case.pk])}#{action}")
        return self.render_page(self.get_case(pk), {name: form}, status=400)

    def handlers(self) -> dict[str, Callable[[Case, dict[str, Any]], str]]:
        user = self.user

        def submit(case: Case, data: dict[str, Any]) -> str:
            workflow.case_submit(case=case, actor=user)
            return _("承認に回しました。")

        def return_(case: Case, data: dict[str, Any]) -> str:
            workflow.case_return(case=case, actor=user, reason=data["reason"])
            return _("下書きに差し戻しました。")

        def approve(case: Case, data: dict[str, Any]) -> str:
            saved = workflow.case_request_consent(case=case, actor=user, variant=data["variant"])
            return _("承認し、企業に「%(variant)s」での掲載の同意を依頼しました。") % {
                "variant": saved.get_variant_display()
            }

        def attach(case: Case, data: dict[str, Any]) -> str:
            workflow.case_consent_attach(
                case=case, actor=user, signed_form=data["signed_form"], signer_name=data["signer_name"]
            )
            return _("署名済みの同意書を記録しました。")

        def publish(case: Case, data: dict[str, Any]) -> str:
            workflow.case_publish(case=case, actor=user)
            return _("事例を公開しました。")

        def withdraw(case: Case, data: dict[str, Any]) -> str:
            workflow.case_withdraw(case=case, actor=user, reason=data.get("reason") or "")
            return _("公開を取りやめました。公開中だった場合は、すべての公開先から外れました。")

        def reopen(case: Case, data: dict[str, Any]) -> str:
            workflow.case_reopen(case=case, actor=user)
            return _("下書きに戻しました。公開するには、もう一度承認と企業の同意が必要です。")

        def kpis(case: Case, data: dict[str, Any]) -> str:
            authoring.case_kpis_refresh(case=case, actor=user)
            return _("KPIを支援案件の記録から読み直しました。")

        def media(case: Case, data: dict[str, Any]) -> str:
            added = authoring.case_media_add(
                case=case,
                actor=user,
                upload=data["file"],
                kind=data["kind"],
                alt_text=data.get("alt_text") or "",
                caption=data.get("caption") or "",
            )
            return _("「%(name)s」を追加しました。") % {"name": added.name}

        return {
            "submit": submit,
            "return": return_,
            "approve": approve,
            "attach": attach,
            "publish": publish,
            "withdraw": withdraw,
            "reopen": reopen,
            "kpis": kpis,
            "media": media,
        }


def _file_response(field: Any, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class CaseMediaView(CaseConsoleMixin, View):
    """GET: a photo or file of the case (any console role of the organization). POST ``action=delete``:
    remove it while the case is a draft (the service decides; a refusal is shown on the case page)."""

    def get_media(self, pk: int, media_pk: int) -> tuple[Case, CaseMedia]:
        case = self.get_case(pk)
        media = case_media_get(case=case, pk=media_pk)
        if media is None:
            raise Http404
        return case, media

    def get(self, request: HttpRequest, pk: int, media_pk: int) -> HttpResponseBase:
        _case, media = self.get_media(pk, media_pk)
        response = _file_response(media.file, media.name)
        if request.GET.get("inline") == "1":
            response["Content-Disposition"] = "inline"
        return response

    def post(self, request: HttpRequest, pk: int, media_pk: int) -> HttpResponseBase:
        case, media = self.get_media(pk, media_pk)
        if request.POST.get("action") != "delete":
            raise Http404
        try:
            authoring.case_media_remove(media=media, actor=self.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("「%(name)s」を削除しました。") % {"name": media.name})
        return redirect(f"{reverse('cases_console:detail', args=[case.pk])}#media")


class SignedFormView(CaseConsoleMixin, View):
    """The signed consent form, for the organization's staff only (never a public address)."""

    def get(self, request: HttpRequest, pk: int, consent_pk: int) -> HttpResponseBase:
        case = self.get_case(pk)
        if not workflow.case_can_read_signed_form(self.user, case):
            raise PermissionDenied
        consent: CaseConsent | None = case_consent_get(case=case, pk=consent_pk)
        if consent is None or not consent.signed_form:
            raise Http404
        name = (consent.signed_form.name or "consent").rsplit("/", 1)[-1]
        return _file_response(consent.signed_form, name)
