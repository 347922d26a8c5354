"""The member area's cases (/my/cases/): a signed-in person of a member company sees the cases its
consent is asked for, a preview of exactly what would be public (the public projection, the same one
every public output reads), the consent text and its version, and consents to that text; they may
withdraw a case at any time, which takes it off every public output at once. Only their own company's
cases, never a draft or one in review (404). The services decide who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ouentai.accounts.models import User
from ouentai.cases.choices import CONSENT_TEXT_VERSION, CaseStatus
from ouentai.cases.forms import ConsentForm, MemberWithdrawForm
from ouentai.cases.models import Case
from ouentai.cases.selectors.member import case_get_for_member, case_list_for_member, case_media_for_member
from ouentai.cases.selectors.public import public_case
from ouentai.cases.services import workflow
from ouentai.community.models import MemberAccount
from ouentai.community.views.member_area import member_required
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.core.http import render_private


@member_required
def case_list(request: HttpRequest, account: MemberAccount) -> HttpResponse:
    """The company's cases: those waiting for its consent first, then the others with their state."""
    cases = list(case_list_for_member(organization_id=account.organization_id, company_id=account.company_id))
    waiting = [c for c in cases if c.status == CaseStatus.CONSENT_REQUESTED]
    others = [c for c in cases if c.status != CaseStatus.CONSENT_REQUESTED]
    return render_private(
        request,
        "cases/my/list.html",
        {"account": account, "company": account.company, "waiting": waiting, "others": others},
    )


def _member_case(account: MemberAccount, pk: int) -> Case:
    case = case_get_for_member(organization_id=account.organization_id, company_id=account.company_id, pk=pk)
    if case is None:
        raise Http404
    return case


def _detail_page(
    request: HttpRequest,
    account: MemberAccount,
    case: Case,
    *,
    consent_form: ConsentForm | None = None,
    withdraw_form: MemberWithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    can_consent = workflow.case_can_consent(user, case)
    context = {
        "account": account,
        "company": account.company,
        "case": case,
        "preview": public_case(case),
        "consent_text": workflow.consent_text(case),
        "consent_version": CONSENT_TEXT_VERSION,
        "consents": list(case.consents.all()),
        "can_consent": can_consent,
        "can_withdraw": workflow.case_can_withdraw(user, case),
        "consent_form": consent_form
        or ConsentForm(initial={"version": CONSENT_TEXT_VERSION, "variant": case.variant}),
        "withdraw_form": withdraw_form or MemberWithdrawForm(),
    }
    return render_private(request, "cases/my/detail.html", context, status=status)


@member_required
def case_detail(request: HttpRequest, account: MemberAccount, pk: int) -> HttpResponse:
    """One case: the preview, the consent text; POST ``action=consent`` or ``action=withdraw``."""
    case = _member_case(account, pk)
    if request.method != "POST":
        return _detail_page(request, account, case)
    user = request.user
    assert isinstance(user, User)
    action = request.POST.get("action")
    if action == "consent":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                workflow.case_consent(
                    case=case,
                    actor=user,
                    shown_version=form.cleaned_data["version"],
                    shown_variant=form.cleaned_data["variant"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("掲載に同意しました。ありがとうございます。事務局が公開の準備をします。"),
                )
                return redirect(reverse("cases_my:detail", args=[case.pk]))
        # The page shows the text as it is now and posts its version and variant (not the ones the
        # refused form carried): a stale consent is refused and asked again, never silently renewed.
        return _detail_page(request, account, _member_case(account, pk), consent_form=form, status=400)
    if action == "withdraw":
        withdraw = MemberWithdrawForm(request.POST)
        if withdraw.is_valid():
            declined = case.status == CaseStatus.CONSENT_REQUESTED
            try:
                workflow.case_withdraw(
                    case=case, actor=user, reason=withdraw.cleaned_data.get("reason") or ""
                )
            except DomainError as error:
                add_domain_error(withdraw, error)
            else:
                messages.success(
                    request,
                    _("掲載をお断りしました。この事例は公開されません。")
                    if declined
                    else _("公開を取りやめました。事例集・検索・配信のどこにも表示されません。"),
                )
                return redirect(reverse("cases_my:detail", args=[case.pk]))
        return _detail_page(request, account, _member_case(account, pk), withdraw_form=withdraw, status=400)
    raise Http404


@member_required
def case_media(request: HttpRequest, account: MemberAccount, pk: int, media_pk: int) -> HttpResponseBase:
    """A photo or file of the company's case, for the preview (only its own company's)."""
    media = case_media_for_member(
        organization_id=account.organization_id, company_id=account.company_id, pk=pk, media_pk=media_pk
    )
    if media is None:
        raise Http404
    try:
        handle = media.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, filename=media.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
