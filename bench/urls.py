"""URLs for `make bench` only: the app's URLs plus a trivial view, the baseline the real pages are
compared with. Selected with OUENTAI_ROOT_URLCONF=bench.urls (config/settings/production.py); never
used by the app itself."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *app_urlpatterns]
