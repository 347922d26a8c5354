"""The public know-how pages (/knowhow/): public items only, whoever is signed in; the item page with
its latest file. Anything not public is a 404, never a hint that it exists."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ouentai.knowhow import selectors
from ouentai.knowhow.forms import ItemFilterForm
from ouentai.knowhow.models import Item
from ouentai.knowhow.views.common import file_download, list_context


def _public(pk: int) -> Item:
    item = selectors.item_public_get(pk=pk)
    if item is None:
        raise Http404
    return item


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET, tags=selectors.tag_choices(user=None), with_visibility=False)
    items = selectors.item_public_list(filters=form.filters())
    return render(request, "knowhow/public/list.html", list_context(request, form, items))


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _public(pk)
    files = list(item.files.all())
    context = {"item": item, "latest": files[0] if files else None, "tags": list(item.tags.all())}
    return render(request, "knowhow/public/detail.html", context)


@require_GET
def item_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_download(selectors.item_file_get(item=_public(pk)), keep_private=False)
