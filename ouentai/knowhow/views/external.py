"""The know-how library for the support network (/network/knowhow/): experts and partners, signed in,
see the items shared with all organizations and the public ones, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views import View

from ouentai.accounts.models import User
from ouentai.core.http import private
from ouentai.knowhow import selectors
from ouentai.knowhow.forms import ItemFilterForm
from ouentai.knowhow.models import Item
from ouentai.knowhow.views.common import file_download, list_context


class ExternalMixin(LoginRequiredMixin):
    request: HttpRequest
    user: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return private(self.handle_no_permission())
        user = request.user
        assert isinstance(user, User)
        if not user.is_active or user.role not in selectors.EXTERNAL_ROLES:
            raise PermissionDenied
        self.user = user
        return private(super().dispatch(request, *args, **kwargs))

    def get_item(self, pk: int) -> Item:
        item = selectors.item_get(user=self.user, pk=pk)
        if item is None:
            raise Http404
        return item


class ItemListView(ExternalMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ItemFilterForm(request.GET, tags=selectors.tag_choices(user=self.user), with_visibility=False)
        items = selectors.item_list(user=self.user, filters=form.filters())
        return render(request, "knowhow/external/list.html", list_context(request, form, items))


class ItemDetailView(ExternalMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_item(pk)
        files = list(item.files.all())
        context = {
            "item": item,
            "files": files,
            "latest": files[0] if files else None,
            "tags": list(item.tags.all()),
        }
        return render(request, "knowhow/external/detail.html", context)


class ItemFileView(ExternalMixin, View):
    def get(self, request: HttpRequest, pk: int, number: int | None = None) -> HttpResponseBase:
        return file_download(selectors.item_file_get(item=self.get_item(pk), number=number))
