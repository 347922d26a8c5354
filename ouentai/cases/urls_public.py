"""Public URLs of the case library (mounted at /cases/). One organization's library is at
/o/<slug>/cases/ (config.urls); the case pages, feed and sitemap are the program's."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from ouentai.cases.views import public

app_name = "cases"
urlpatterns = [
    path("", public.case_list, name="list"),
    path("feed/", public.CaseFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"cases": public.CaseSitemap}}, name="sitemap"),
    path("<uuid:key>/", public.case_detail, name="detail"),
    path("<uuid:key>/media/<int:pk>/", public.case_media, name="media"),
]
