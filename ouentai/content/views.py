"""Console pages for editing the public Q&A. Org admins and staff only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.choices import INBOX_MANAGER_ROLES
from ouentai.accounts.permissions import ConsoleMixin
from ouentai.content import services
from ouentai.content.forms import FaqEntryForm
from ouentai.content.models import FaqEntry
from ouentai.content.selectors import faq_list
from ouentai.content.services import organization_may_publish_program_wide
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error


class FaqConsoleMixin(ConsoleMixin):
    allowed_roles = INBOX_MANAGER_ROLES

    def get_entry(self, pk: int) -> FaqEntry:
        return get_object_or_404(faq_list(organization=self.organization), pk=pk)


class FaqListView(FaqConsoleMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "entries": faq_list(organization=self.organization),
            "program_wide_allowed": organization_may_publish_program_wide(self.organization),
        }
        return render(request, "content/faq_list.html", context)


class FaqEditView(FaqConsoleMixin, View):
    """Create (no pk) or edit an entry; the page also shows the entry's audit history."""

    def make_form(self, *args: Any, **kwargs: Any) -> FaqEntryForm:
        allowed = organization_may_publish_program_wide(self.organization)
        return FaqEntryForm(*args, program_wide_allowed=allowed, **kwargs)

    def render_form(self, form: FaqEntryForm, entry: FaqEntry | None, status: int = 200) -> HttpResponse:
        history = audit_entries_for(entry) if entry else []
        return render(
            self.request,
            "content/faq_form.html",
            {"form": form, "entry": entry, "audit_entries": history},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(pk) if pk else None
        initial = (
            {
                "question": entry.question,
                "answer": entry.answer,
                "is_published": entry.is_published,
                "is_program_wide": entry.is_program_wide,
            }
            if entry
            else None
        )
        return self.render_form(self.make_form(initial=initial), entry)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        entry = self.get_entry(pk) if pk else None
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, entry, status=400)
        data = form.cleaned_data
        try:
            if entry is None:
                services.faq_entry_create(
                    organization=self.organization,
                    question=data["question"],
                    answer=data["answer"],
                    is_published=data["is_published"],
                    is_program_wide=data.get("is_program_wide", False),
                    actor=self.user,
                )
            else:
                services.faq_entry_update(
                    entry=entry,
                    question=data["question"],
                    answer=data["answer"],
                    is_published=data["is_published"],
                    is_program_wide=data.get("is_program_wide"),
                    actor=self.user,
                )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, entry, status=400)
        messages.success(request, _("Q&Aを保存しました。"))
        return redirect("content:faq_list")


class FaqMoveView(FaqConsoleMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        direction = -1 if request.POST.get("direction") == "up" else 1
        services.faq_entry_move(entry=self.get_entry(pk), direction=direction, actor=self.user)
        return redirect("content:faq_list")


class FaqDeleteView(FaqConsoleMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "content/faq_confirm_delete.html", {"entry": self.get_entry(pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        services.faq_entry_delete(entry=self.get_entry(pk), actor=self.user)
        messages.success(request, _("Q&Aを削除しました。"))
        return redirect("content:faq_list")
