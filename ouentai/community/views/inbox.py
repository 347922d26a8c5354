"""The console's inboxes: applications and inquiries. One list view and one detail view serve both;
detail pages take their actions as POSTs to themselves so that a refused action re-renders the page
with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.models import Organization
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.accounts.selectors import organization_covering
from ouentai.community import services
from ouentai.community.forms import (
    AssignForm,
    ContactLogForm,
    DeclineForm,
    FaqFromInquiryForm,
    InboxFilterForm,
    ReplyForm,
    ReplyTemplatePickForm,
)
from ouentai.community.models import Application, Inquiry
from ouentai.community.selectors import (
    HOME_CARDS,
    InboxFilters,
    contact_logs_for,
    inbox_counts,
    inbox_get,
    inbox_list,
    pipeline_counts,
    reply_templates_for,
)
from ouentai.community.services import PLACEHOLDERS, ReplyDraft
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
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
            "reply_pick_form": ReplyTemplatePickForm(templates=reply_templates_for(item)),
            "reply_form": ReplyForm(templates=reply_templates_for(item)),
        }
        if isinstance(item, Application):
            result["decline_form"] = DeclineForm()
        else:
            result["faq_form"] = FaqFromInquiryForm(initial={"question": item.subject})
        result.update(bound or {})
        return result

    def render_item(
        self,
        item: Any,
        bound: dict[str, forms.Form] | None = None,
        status: int = 200,
        reply_preview: ReplyDraft | None = None,
    ) -> HttpResponse:
        context = {
            "item": item,
            "area_organization": _other_area_organization(item),
            "kind": self.model._meta.model_name,
            "contact_logs": contact_logs_for(item),
            "audit_entries": audit_entries_for(item),
            "mails": mails_for(item),
            "reply_preview": reply_preview,
            "placeholders": [
                (name, p.description)
                for name, p in PLACEHOLDERS.items()
                if self.model._meta.model_name in p.kinds
            ],
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
        if action in ("reply_template", "reply_preview", "reply_send"):
            return self.reply(item, action)
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
            add_domain_error(form, error)
            return self.render_item(self.get_item(pk), {form_name: form}, status=400)
        messages.success(request, message)
        return redirect(request.path)

    def reply(self, item: Any, action: str) -> HttpResponseBase:
        """The reply panel, one form with three buttons: start from a template, preview (what will be
        sent, placeholders filled, rendered by the server), send what was previewed. Whatever is
        refused re-renders the page with the text as typed."""
        templates = reply_templates_for(item)
        if action == "reply_template":
            pick = ReplyTemplatePickForm(self.request.POST, templates=templates)
            if not pick.is_valid():
                return self.render_item(item, {"reply_pick_form": pick}, status=400)
            chosen = pick.cleaned_data["template"]
            initial = (
                {"template": chosen.pk, "subject": chosen.subject, "body": chosen.body} if chosen else {}
            )
            return self.render_item(
                item, {"reply_pick_form": pick, "reply_form": ReplyForm(initial=initial, templates=templates)}
            )
        form = ReplyForm(self.request.POST, templates=templates)
        if not form.is_valid():
            return self.render_item(item, {"reply_form": form}, status=400)
        data = form.cleaned_data
        template = data["template"]
        try:
            draft = services.reply_render(
                item=item, subject=data["subject"], body=data["body"], actor=self.user
            )
            if action == "reply_send" and data["previewed"]:
                services.inbox_reply_send(
                    item=item,
                    subject=data["subject"],
                    body=data["body"],
                    actor=self.user,
                    template=template,
                    previewed=data["previewed"],
                )
                messages.success(self.request, _("返信を送信しました（%(to)s）。") % {"to": draft.to})
                return redirect(self.request.path)
        except DomainError as error:
            if error.code != "reply.changed":
                add_domain_error(form, error)
                return self.render_item(self.get_item(item.pk), {"reply_form": form}, status=400)
            messages.error(self.request, str(error.message))
            draft = services.reply_render(
                item=item, subject=data["subject"], body=data["body"], actor=self.user
            )
        # A preview (asked for, or a send without one, or after a change): the form carries the
        # digest of exactly this text, and the send button sends only that.
        values = self.request.POST.copy()
        values["previewed"] = draft.digest
        pick = ReplyTemplatePickForm(initial={"template": template}, templates=templates)
        return self.render_item(
            item,
            {"reply_pick_form": pick, "reply_form": ReplyForm(values, templates=templates)},
            reply_preview=draft,
        )

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


def _other_area_organization(item: Any) -> Organization | None:
    """The organization whose area covers the sender's address when it is not the one the item went to
    (someone who applied on another organization's pages): its staff should refer them, with consent."""
    covering = organization_covering(getattr(item, "municipality_code", ""))
    return covering if covering is not None and covering.pk != item.organization_id else None


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


class ConsoleHomeView(ConsoleMixin, View):
    """The console's first page: what needs attention today, in counts that link to the lists."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "community/home.html",
            {
                "applications": inbox_counts(Application, user=self.user),
                "inquiries": inbox_counts(Inquiry, user=self.user),
                "pipeline": pipeline_counts(organization=self.organization),
                "cards": [card(self.organization, self.user) for card in HOME_CARDS],
            },
        )
