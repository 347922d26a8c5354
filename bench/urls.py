"""URLs for `make bench` only: the app's URLs plus two baselines the real pages are compared with, a
trivial view and a trivial insert. Selected with OUENTAI_ROOT_URLCONF=bench.urls
(config/settings/production.py); never used by the app itself."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 - our error pages
from config.urls import urlpatterns as app_urlpatterns

# Created by bench/events.py at set-up (not a model: the baseline must not depend on the app's schema).
INSERT_TABLE = "bench_insert"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """One row into bench_insert per POST: the cheapest write a view can do, the baseline of a rush."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {INSERT_TABLE} (note) VALUES (%s)", [request.POST.get("note", "")])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("bench/insert/", insert, name="bench_insert"),
    *app_urlpatterns,
]
