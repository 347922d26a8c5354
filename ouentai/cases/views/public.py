"""The public case library: the list with facets and keyword search (/cases/, and one organization's at
/o/<slug>/cases/), a case's page, its photos and documents, the Atom feed and the sitemap.

A surface only: every read goes through ``cases.selectors.public`` and ``cases.selectors.library``, and
pages show a case only as its public projection (``PublicCase``), never the model."""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ouentai.accounts.sites import site_enter
from ouentai.cases.charts import kpi_chart
from ouentai.cases.choices import MediaKind
from ouentai.cases.selectors.library import (
    FACETS,
    SORT_NEW,
    SORT_RELEVANCE,
    FacetCounts,
    LibraryFilters,
    PublicCaseKey,
    library_results,
    public_case_event_public,
    public_case_keys,
    public_case_latest,
    public_case_media_get,
    public_case_related,
)
from ouentai.cases.selectors.public import PublicCase, public_case, public_case_get
from ouentai.core.http import query_without
from ouentai.core.search import highlight

PAGE_SIZE = 20
MAX_QUERY = 100
MAX_VALUES = 20
SHOWN_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def _filters(request: HttpRequest, organization_id: int | None) -> LibraryFilters:
    """The visitor's choices from the query string; values no facet knows are dropped."""
    chosen: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        values = [v.strip()[:200] for v in request.GET.getlist(facet.name)[:MAX_VALUES] if v.strip()]
        if facet.choices is not None:
            known = facet.choices()
            values = [v for v in values if v in known]
        if values:
            chosen[facet.name] = tuple(dict.fromkeys(values))
    sort = request.GET.get("sort", "")
    return LibraryFilters(
        q=request.GET.get("q", "").strip()[:MAX_QUERY],
        chosen=chosen,
        sort=sort if sort in (SORT_NEW, SORT_RELEVANCE) else "",
        organization_id=organization_id,
    )


def _toggled(query: QueryDict, name: str, value: str) -> str:
    """The query string with ``value`` of facet ``name`` added, or taken out when it is there (and the
    page number dropped: the list changes)."""
    kept = query.copy()
    kept.pop("page", None)
    values = kept.getlist(name)
    kept.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return kept.urlencode()


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    chosen: bool
    query: str


@dataclass(frozen=True)
class FacetBlock:
    name: str
    label: str
    links: list[FacetLink]


@dataclass(frozen=True)
class ListedCase:
    case: PublicCase
    title: SafeString
    summary: SafeString


def _facet_blocks(facets: list[FacetCounts], query: QueryDict) -> list[FacetBlock]:
    return [
        FacetBlock(
            name=counts.facet.name,
            label=str(counts.facet.label),
            links=[
                FacetLink(v.label, v.count, v.chosen, _toggled(query, counts.facet.name, v.value))
                for v in counts.values
            ],
        )
        for counts in facets
        if counts.values
    ]


@require_GET
def case_list(request: HttpRequest, org: str | None = None) -> HttpResponse:
    """The library: facets with counts, a keyword box, 新着順 or 関連度順, pages of 20."""
    site_org = site_enter(request, org)
    filters = _filters(request, site_org.pk if site_org else None)
    results = library_results(filters)
    page = Paginator(results.cases, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        ListedCase(
            projection, highlight(projection.title, filters.q), highlight(projection.summary, filters.q)
        )
        for projection in (public_case(case) for case in page.object_list)
    ]
    facets = _facet_blocks(results.facets, request.GET)
    chosen = [link for block in facets for link in block.links if link.chosen]
    context: dict[str, Any] = {
        "page": page,
        "items": items,
        "facets": facets,
        "chosen": chosen,
        "q": filters.q,
        "order": filters.order,
        "sort_new": SORT_NEW,
        "sort_relevance": SORT_RELEVANCE,
        "query": query_without(request.GET, "page"),
        "sort_query": query_without(request.GET, "page", "sort"),
        "hidden": [(name, value) for name, values in filters.chosen.items() for value in values],
        "narrowed": bool(filters.q or filters.chosen),
        "capped": results.capped,
        "search_limit": results.limit,
    }
    return render(request, "cases/public/list.html", context)


@require_GET
def case_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """A public case: what it tells, its KPIs before and after (a table, and a chart drawn from it),
    the support used, photos and documents, related cases and the 事例発表会 it was presented at."""
    case = public_case_get(key)
    if case is None:
        raise Http404
    photo = next((m for m in case.media if m.kind == MediaKind.PHOTO), None)
    context: dict[str, Any] = {
        "case": case,
        "chart": kpi_chart(case.kpis),
        "related": public_case_related(case),
        "event_url": reverse("events:detail", args=[case.presented_at.event_id])
        if case.presented_at and public_case_event_public(case)
        else "",
        "photos": [m for m in case.media if m.kind == MediaKind.PHOTO],
        "files": [m for m in case.media if m.kind != MediaKind.PHOTO],
        "page_url": request.build_absolute_uri(reverse("cases:detail", args=[case.key])),
        "og_image": request.build_absolute_uri(reverse("cases:media", args=[case.key, photo.pk]))
        if photo
        else "",
    }
    return render(request, "cases/public/detail.html", context)


@require_GET
def case_media(request: HttpRequest, key: uuid.UUID, pk: int) -> FileResponse:
    """A photo (shown) or document (downloaded) of a public case; gone the moment the case is."""
    media = public_case_media_get(key, pk)
    if media is None:
        raise Http404
    # Only an image type is ever shown in the page's origin; anything else (whatever its name says) is
    # a download of opaque bytes, so an uploaded file can never run as a page of ours.
    content_type = mimetypes.guess_type(media.name)[0] or ""
    shown = media.kind == MediaKind.PHOTO and content_type in SHOWN_TYPES
    response = FileResponse(
        media.file.open("rb"),
        content_type=content_type if shown else "application/octet-stream",
        as_attachment=not shown,
        filename=media.name,
    )
    # A withdrawn case must not live on in caches: browsers ask again each time.
    patch_cache_control(response, no_cache=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CaseFeed(Feed):
    """The newest public cases as an Atom feed: title, summary, how the case names the company, the
    facets as categories. Nothing the projection leaves out can reach it."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("%(site)s の成功事例") % {"site": settings.OUENTAI_SITE_NAME}

    def subtitle(self) -> str:
        return _("中小企業がITを経営に生かした事例の新着")

    def link(self) -> str:
        return reverse("cases:list")

    def items(self) -> list[PublicCase]:
        return public_case_latest()

    def item_title(self, item: PublicCase) -> str:
        return item.title

    def item_description(self, item: PublicCase) -> str:
        return f"{item.who}：{item.summary}"

    def item_link(self, item: PublicCase) -> str:
        return reverse("cases:detail", args=[item.key])

    def item_guid(self, item: PublicCase) -> str:
        return f"urn:uuid:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublicCase) -> Any:
        return item.published_at

    def item_updateddate(self, item: PublicCase) -> Any:
        return item.published_at

    def item_categories(self, item: PublicCase) -> list[str]:
        return [c for c in (item.industry_label, item.it_area_label, item.challenge_kind_label) if c]


class CaseSitemap(Sitemap):
    """The library and every public case's page (addresses only)."""

    changefreq = "weekly"

    def items(self) -> list[PublicCaseKey | None]:
        return [None, *public_case_keys()]

    def location(self, item: PublicCaseKey | None) -> str:
        if item is None:
            return reverse("cases:list")
        return reverse("cases:detail", args=[item.key])

    def lastmod(self, item: PublicCaseKey | None) -> Any:
        return item.published_at if item is not None else None
