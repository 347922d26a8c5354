"""The console's reply templates: the organization's staff list, write, change and take them out of use.
Sending a reply happens on the application or inquiry page (views.inbox)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.community import services
from ouentai.community.forms import ReplyTemplateForm
from ouentai.community.models import ReplyTemplate
from ouentai.community.selectors import reply_template_get, reply_template_list
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error


class ReplyTemplateListView(ConsoleMixin, View):
    allowed_roles = INBOX_MANAGER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        templates = reply_template_list(organization=self.organization)
        return render(request, "community/reply_template_list.html", {"templates": templates})


class ReplyTemplateEditView(ConsoleMixin, View):
    """Create (no pk) or change a template; POST ``action=deactivate`` / ``activate`` takes it out of use
    or back. The page also shows the placeholders and the template's history."""

    allowed_roles = INBOX_MANAGER_ROLES

    def get_template(self, pk: int | None) -> ReplyTemplate | None:
        if pk is None:
            return None
        try:
            return reply_template_get(organization=self.organization, pk=pk)
        except ReplyTemplate.DoesNotExist as exc:
            raise Http404 from exc

    def page(
        self, form: ReplyTemplateForm, template: ReplyTemplate | None, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "reply_template": template,
            "placeholders": [(name, p.description) for name, p in services.PLACEHOLDERS.items()],
            "audit_entries": audit_entries_for(template) if template else [],
        }
        return render(self.request, "community/reply_template_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        template = self.get_template(pk)
        initial = (
            {"name": template.name, "kind": template.kind, "subject": template.subject, "body": template.body}
            if template
            else None
        )
        return self.page(ReplyTemplateForm(initial=initial), template)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        template = self.get_template(pk)
        action = request.POST.get("action", "")
        if template is not None and action in ("deactivate", "activate"):
            try:
                services.reply_template_set_active(
                    template=template, active=action == "activate", actor=self.user
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("使用を再開しました。") if action == "activate" else _("使用を停止しました。"),
                )
            return redirect("community:reply_template_edit", pk=template.pk)
        form = ReplyTemplateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                template = services.reply_template_save(
                    organization=self.organization,
                    template=template,
                    data=services.ReplyTemplateData(
                        name=d["name"], kind=d["kind"], subject=d["subject"], body=d["body"]
                    ),
                    actor=self.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("テンプレートを保存しました。"))
                return redirect("community:reply_template_list")
        return self.page(form, template, status=400)
