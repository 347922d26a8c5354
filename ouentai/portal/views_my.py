"""The member area (/my/): a signed-in person of a member company sees their own company's engagements,
plan documents, diagnosis results and event registrations, read-only, and nothing of any other company.
Every query is filtered by the member account's company and organization. Also the page where an
invited person chooses a password (/my/join/<token>/).

Pages are about one company: only the member's browser may keep them and search engines must not list
them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from ouentai.accounts.sites import site_use
from ouentai.cases.links import case_public_url
from ouentai.cases.selectors.recommend import case_recommendations_for_company
from ouentai.community.models import MemberAccount
from ouentai.community.selectors import member_invitation_by_token
from ouentai.community.services import member_invitation_accept, member_invitation_valid
from ouentai.community.views.member_area import member_required
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import render_private
from ouentai.core.numbers import number_text
from ouentai.core.ratelimit import client_address, form_rate
from ouentai.engagements.choices import Phase, Stage
from ouentai.engagements.models import DiagnosisResult, Engagement
from ouentai.engagements.selectors import (
    diagnosis_results_for_company,
    engagement_get_for_member,
    engagement_kpi_statuses,
    engagement_list_for_member,
    plan_version_get,
    plan_version_list_brief,
)
from ouentai.events.selectors import registration_list_for_company
from ouentai.network import selectors as network_selectors
from ouentai.network import services as network
from ouentai.portal.forms_my import DispatchConfirmForm, MemberJoinForm

# How many of the newest diagnosis results and event registrations the member's home page lists.
HOME_DIAGNOSIS_RESULTS = 3
HOME_REGISTRATIONS = 20
HOME_DISPATCHES = network_selectors.DISPATCHES_ON_MEMBER_PAGE
HOME_SIMILAR_CASES = 5


def _phase_steps(engagement: Engagement) -> list[dict[str, Any]]:
    """The five phases of the IT coordinator process in order, marking where the engagement stands.
    Companies may enter midway or skip phases, so earlier steps are "before", not "done"."""
    values = [value for value, _label in Phase.choices]
    current = values.index(engagement.phase) if engagement.phase in values else -1
    return [
        {"label": label, "current": index == current, "before": index < current}
        for index, (_value, label) in enumerate(Phase.choices)
    ]


def _member_engagement(account: MemberAccount, pk: int) -> Engagement:
    engagement = engagement_get_for_member(account.user, pk)
    if engagement is None:
        raise Http404
    return engagement


def _diagnosis_results(account: MemberAccount) -> QuerySet[DiagnosisResult]:
    """The company's diagnosis results, oldest first."""
    return diagnosis_results_for_company(organization=account.organization_id, company_id=account.company_id)


def _dispatch_rows(
    account: MemberAccount, bound: DispatchConfirmForm | None, bound_pk: int | None
) -> list[dict[str, Any]]:
    """Each dispatch of the company (network.selectors) with its report (once there) and, while the
    company may confirm and rate it (network.services.dispatch_can_confirm), the form to do so."""
    rows = []
    for dispatch in network_selectors.dispatch_list_for_member(account)[:HOME_DISPATCHES]:
        form = None
        if network.dispatch_can_confirm(account.user, dispatch):
            form = (
                bound
                if bound is not None and bound_pk == dispatch.pk
                else DispatchConfirmForm(request_pk=dispatch.pk)
            )
        rows.append({"dispatch": dispatch, "report": network_selectors.report_rows(dispatch), "form": form})
    return rows


def _home_page(
    request: HttpRequest,
    account: MemberAccount,
    *,
    confirm_form: DispatchConfirmForm | None = None,
    confirm_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The member's company, its engagements with phase and latest plan, its expert dispatches, its
    diagnosis results, its event registrations, and the public cases of companies that solved the
    same problem (「同じ課題を解決した事例」: public cases only, never the company's own)."""
    rows = [
        {"engagement": engagement, "steps": _phase_steps(engagement), "latest_plan": latest_plan}
        for engagement, latest_plan in engagement_list_for_member(account.user)
    ]
    results = list(_diagnosis_results(account).reverse()[:HOME_DIAGNOSIS_RESULTS])
    # The same registrations the console lists for the company (a name alone never links one: the
    # "same company" rule of community.dedup).
    registrations = list(
        registration_list_for_company(organization_id=account.organization_id, company_id=account.company_id)[
            :HOME_REGISTRATIONS
        ]
    )
    context = {
        "account": account,
        "company": account.company,
        "membership": getattr(account.company, "membership", None),
        "rows": rows,
        "dispatches": _dispatch_rows(account, confirm_form, confirm_pk),
        "results": results,
        "registrations": registrations,
        "similar_cases": [
            {"case": found.case, "reasons": found.reasons, "url": case_public_url(found.case.key)}
            for found in case_recommendations_for_company(account.company, limit=HOME_SIMILAR_CASES)
        ],
    }
    return render(request, "portal/my/home.html", context, status=status)


@member_required
def home(request: HttpRequest, account: MemberAccount) -> HttpResponse:
    return _home_page(request, account)


@require_POST
@member_required
def dispatch_confirm(request: HttpRequest, account: MemberAccount, pk: int) -> HttpResponse:
    """The company confirms that a reported expert dispatch took place and rates it 1–5 with an
    optional comment (only its own company's dispatches: 404 otherwise); the network service decides
    whether it may."""
    dispatch = network_selectors.dispatch_for_member(account, pk)
    if dispatch is None:
        raise Http404
    form = DispatchConfirmForm(request.POST, request_pk=dispatch.pk)
    if form.is_valid():
        try:
            network.dispatch_confirm(
                request=dispatch,
                actor=request.user,  # type: ignore[arg-type]  # a User: member_required checked it
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("専門家派遣の確認と評価を送信しました。ご協力ありがとうございました。")
            )
            return redirect(f"{reverse('my:home')}#dispatch-{dispatch.pk}")
    return _home_page(request, account, confirm_form=form, confirm_pk=dispatch.pk, status=400)


@member_required
def engagement(request: HttpRequest, account: MemberAccount, pk: int) -> HttpResponse:
    """One engagement of the member's company: phase, status, challenges and strategy, KPIs with the
    latest value and whether the target is reached, and the plan versions (PDF). Internal notes,
    attachments and the audit history are for staff only and are not shown."""
    found = _member_engagement(account, pk)
    kpis = [
        {
            "kpi": status.kpi,
            "baseline": number_text(status.kpi.baseline_value),
            "target": number_text(status.kpi.target_value),
            "latest": status.latest,
            "latest_value": number_text(status.latest.value) if status.latest else "",
            "reached": status.reached,
        }
        for status in engagement_kpi_statuses(found)
    ]
    context = {
        "account": account,
        "company": account.company,
        "engagement": found,
        "steps": _phase_steps(found),
        "kpis": kpis,
        "versions": plan_version_list_brief(found),
    }
    return render(request, "portal/my/engagement.html", context)


@member_required
def plan_pdf(request: HttpRequest, account: MemberAccount, pk: int, number: int) -> HttpResponse:
    """A version of the engagement's plan document as a PDF (only the member's own company's)."""
    found = _member_engagement(account, pk)
    version = plan_version_get(engagement=found, number=number)
    if version is None:
        raise Http404
    # Imported here: the PDF module pulls in WeasyPrint, which the other member pages do not need.
    from ouentai.engagements.documents import plan_pdf as render_plan_pdf

    response = HttpResponse(render_plan_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{found.pk}-v{version.number}.pdf"'
    return response


@member_required
def diagnosis(request: HttpRequest, account: MemberAccount) -> HttpResponse:
    """The company's diagnosis results over time: overall stage and each dimension's stage per date."""
    results = list(_diagnosis_results(account).order_by("created_at", "pk"))
    # Columns: every dimension that appears in a result, in the order first seen (a questionnaire
    # edited by the organization may add or rename dimensions between two results).
    dimensions: list[str] = []
    for result in results:
        for score in result.scores:
            if score.get("name") not in dimensions:
                dimensions.append(score.get("name"))
    stage_labels = dict(Stage.choices)
    table = []
    for result in results:
        by_name = {score.get("name"): score for score in result.scores}
        cells = []
        for name in dimensions:
            score = by_name.get(name)
            stage = score.get("stage") if score else None
            cells.append({"stage": stage, "label": stage_labels.get(stage, "") if stage else ""})
        table.append({"result": result, "cells": cells})
    context = {"account": account, "company": account.company, "dimensions": dimensions, "table": table}
    return render(request, "portal/my/diagnosis.html", context)


@ratelimit(key=client_address, rate=form_rate, method="POST", block=False)
def member_join(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    """An invited person sets their password: GET shows the form, POST creates the member account (once),
    signs them in and opens the member area. A used or expired link says to ask for a new one (410)."""
    invitation = member_invitation_by_token(token)
    if invitation is None or not member_invitation_valid(invitation):
        return render_private(request, "portal/my/join_invalid.html", {}, status=410)
    site_use(request, invitation.organization)  # in the inviter's name
    status = 200
    if request.method == "POST":
        form = MemberJoinForm(request.POST, email=invitation.email)
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None,
                _("短時間に多くの送信がありました。しばらく待ってから、もう一度送信してください。"),
            )
            status = 429
        elif form.is_valid():
            try:
                user = member_invitation_accept(
                    invitation=invitation, password=form.cleaned_data["password1"]
                )
            except DomainError as error:
                if error.code == "member.invitation_invalid":
                    return render_private(request, "portal/my/join_invalid.html", {}, status=410)
                add_domain_error(form, error)
                status = 400
            else:
                login(request, user)
                messages.success(
                    request,
                    _(
                        "ようこそ。会員ページのアカウントを作成しました。次回からはメールアドレスとパスワードでログインできます。"
                    ),
                )
                return redirect("my:home")
        else:
            status = 400
    else:
        form = MemberJoinForm(email=invitation.email)
    context = {"form": form, "invitation": invitation}
    return render_private(request, "portal/my/join.html", context, status=status)
