"""The console page that invites a company's contact person to the member area, with the company's
member accounts and open invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community.models import Company, Contact, MemberAccount, MemberInvitation
from ouentai.community.services import member_invite
from ouentai.core.errors import DomainError
from ouentai.core.forms import AccessibleFormMixin, add_domain_error


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Contact)
        if obj.email:
            return f"{obj.name}（{obj.email}）"
        return _("%(name)s（メールアドレスの登録なし）") % {"name": obj.name}


class MemberInviteForm(AccessibleFormMixin, forms.Form):
    contact = ContactChoiceField(
        label=gettext_lazy("招待する担当者"),
        queryset=Contact.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=gettext_lazy(
            "選んだ担当者に、会員ページのアカウントを作成するためのリンク（7日間有効、1回限り）をメールで送ります。"
        ),
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = contacts


class MemberInviteView(ConsoleMixin, View):
    """Staff and org admins choose a contact person of the company and mail them an invitation
    (``member_invite``); the page also lists the company's member accounts and open invitations."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_company(self, pk: int) -> Company:
        return get_object_or_404(Company, organization=self.organization, pk=pk)

    def render_page(self, company: Company, form: MemberInviteForm, status: int = 200) -> HttpResponse:
        context = {
            "company": company,
            "form": form,
            "accounts": MemberAccount.objects.filter(organization=self.organization, company=company)
            .select_related("user", "contact")
            .order_by("created_at", "pk"),
            "invitations": MemberInvitation.objects.filter(
                organization=self.organization,
                company=company,
                accepted_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .select_related("invited_by")
            .order_by("-created_at", "-pk"),
        }
        return render(self.request, "community/member_invite.html", context, status=status)

    def contacts(self, company: Company) -> QuerySet[Contact]:
        return Contact.objects.filter(organization=self.organization, company=company)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        company = self.get_company(pk)
        return self.render_page(company, MemberInviteForm(contacts=self.contacts(company)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        company = self.get_company(pk)
        form = MemberInviteForm(request.POST, contacts=self.contacts(company))
        if form.is_valid():
            try:
                member_invite(company=company, contact=form.cleaned_data["contact"], actor=self.user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("招待メールを送信しました"))
                return redirect("community:company_detail", pk=company.pk)
        return self.render_page(company, form, status=400)
