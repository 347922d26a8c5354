"""The know-how library in the console: every console user sees their own organization's items and
those other organizations share; only the item's own organization may change it (the services
decide; the pages offer only what they allow)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.core.audit import audit_entries_for
from ouentai.core.errors import DomainError
from ouentai.core.forms import add_domain_error
from ouentai.knowhow import selectors, services
from ouentai.knowhow.forms import ItemEngagementsForm, ItemFileForm, ItemFilterForm, ItemForm
from ouentai.knowhow.models import Item
from ouentai.knowhow.views.common import file_download, list_context


class KnowhowConsoleMixin(ConsoleMixin):
    def get_item(self, pk: int) -> Item:
        item = selectors.item_get(user=self.user, pk=pk)
        if item is None:
            raise Http404
        return item

    def get_editable(self, pk: int) -> Item:
        item = self.get_item(pk)
        if not services.item_may_edit(user=self.user, item=item):
            raise PermissionDenied
        return item


class ItemListView(KnowhowConsoleMixin, View):
    """Own organization's items and the shared ones; search (ranked, hits marked), filters by kind, tag
    and visibility; pages of 20 in a constant number of queries."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ItemFilterForm(request.GET, tags=selectors.tag_choices(user=self.user))
        items = selectors.item_list(user=self.user, filters=form.filters())
        context = list_context(request, form, items)
        context["may_create"] = services.item_may_create(user=self.user)
        return render(request, "knowhow/console/list.html", context)


class ItemDetailView(KnowhowConsoleMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_item(pk)
        may_edit = services.item_may_edit(user=self.user, item=item)
        files = list(item.files.all())
        context = {
            "item": item,
            "files": files,
            "latest": files[0] if files else None,
            "tags": list(item.tags.all()),
            "engagements": selectors.item_engagements(user=self.user, item=item),
            "shows_engagements": selectors.item_may_see_engagements(user=self.user, item=item),
            "may_edit": may_edit,
            "may_delete": services.item_may_delete(user=self.user, item=item),
            "audit_entries": audit_entries_for(item) if may_edit else [],
        }
        return render(request, "knowhow/console/detail.html", context)


def _initial(item: Item) -> dict[str, Any]:
    return {
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "body": item.body,
        "tags": "、".join(tag.name for tag in item.tags.all()),
        "visibility": item.visibility,
    }


class ItemEditView(KnowhowConsoleMixin, View):
    """Create (no pk: with an optional first file) or edit an item."""

    def render_form(self, form: ItemForm, item: Item | None, status: int = 200) -> HttpResponse:
        return render(self.request, "knowhow/console/form.html", {"form": form, "item": item}, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if pk is None:
            return self.render_form(ItemForm(), None)
        item = self.get_editable(pk)
        return self.render_form(ItemForm(initial=_initial(item), with_file=False), item)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
        item = self.get_editable(pk) if pk is not None else None
        form = ItemForm(request.POST, request.FILES, with_file=item is None)
        if not form.is_valid():
            return self.render_form(form, item, status=400)
        try:
            if item is None:
                item = services.item_create(
                    organization=self.organization,
                    data=form.item_data(),
                    actor=self.user,
                    upload=form.cleaned_data.get("file"),
                    note=form.cleaned_data.get("note", ""),
                )
                messages.success(request, _("ノウハウを登録しました。"))
            else:
                services.item_update(item=item, data=form.item_data(), actor=self.user)
                messages.success(request, _("ノウハウを保存しました。"))
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, item, status=400)
        return redirect("knowhow_console:detail", item.pk)


class ItemUploadView(KnowhowConsoleMixin, View):
    """A new version of the item's file; the earlier versions stay."""

    def render_form(self, form: ItemFileForm, item: Item, status: int = 200) -> HttpResponse:
        files = list(item.files.all())
        context = {"form": form, "item": item, "latest": files[0] if files else None}
        return render(self.request, "knowhow/console/upload.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_form(ItemFileForm(), self.get_editable(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        item = self.get_editable(pk)
        form = ItemFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, item, status=400)
        try:
            version = services.item_file_add(
                item=item, upload=form.cleaned_data["file"], note=form.cleaned_data["note"], actor=self.user
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, item, status=400)
        messages.success(request, _("第%(number)s版を登録しました。") % {"number": version.number})
        return redirect(f"{reverse('knowhow_console:detail', args=[item.pk])}#files")


class ItemEngagementsView(KnowhowConsoleMixin, View):
    """Which of the organization's engagements the item was used in."""

    def make_form(self, *args: Any, **kwargs: Any) -> ItemEngagementsForm:
        choices = [
            (engagement.pk, f"{engagement.company.name}：{engagement.title}")
            for engagement in selectors.engagement_choices(organization_id=self.organization.pk)
        ]
        return ItemEngagementsForm(*args, choices=choices, **kwargs)

    def render_form(self, form: ItemEngagementsForm, item: Item, status: int = 200) -> HttpResponse:
        return render(
            self.request, "knowhow/console/engagements.html", {"form": form, "item": item}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_editable(pk)
        linked = [engagement.pk for engagement in selectors.item_engagements(user=self.user, item=item)]
        return self.render_form(self.make_form(initial={"engagements": linked}), item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        item = self.get_editable(pk)
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, item, status=400)
        try:
            services.item_set_engagements(
                item=item, engagement_ids=form.cleaned_data["engagements"], actor=self.user
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_form(form, item, status=400)
        messages.success(request, _("使った支援案件を保存しました。"))
        return redirect("knowhow_console:detail", item.pk)


class ItemDeleteView(KnowhowConsoleMixin, View):
    def get_deletable(self, pk: int) -> Item:
        item = self.get_item(pk)
        if not services.item_may_delete(user=self.user, item=item):
            raise PermissionDenied
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_deletable(pk)
        return render(
            request, "knowhow/console/confirm_delete.html", {"item": item, "versions": item.files.count()}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        item = self.get_deletable(pk)
        services.item_delete(item=item, actor=self.user)
        messages.success(request, _("「%(title)s」を削除しました。") % {"title": item.title})
        return redirect("knowhow_console:list")


class ItemFileView(KnowhowConsoleMixin, View):
    """A version of the file (no number: the latest), for anyone who may see the item."""

    def get(self, request: HttpRequest, pk: int, number: int | None = None) -> HttpResponseBase:
        return file_download(selectors.item_file_get(item=self.get_item(pk), number=number))
