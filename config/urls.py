from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ouentai.core.views import healthz

admin.site.site_header = format_lazy(_("{site} 管理サイト"), site=settings.OUENTAI_SITE_NAME)
admin.site.site_title = admin.site.site_header

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("ouentai.accounts.urls")),
    path("console/", include("ouentai.community.urls")),
    path("console/content/", include("ouentai.content.urls")),
    path("console/events/", include("ouentai.events.urls_console")),
    path("events/", include("ouentai.events.urls")),
    path("console/engagements/", include("ouentai.engagements.urls_console")),
    path("diagnosis/", include("ouentai.engagements.urls")),
    path("my/", include("ouentai.portal.urls_my")),
    path("console/network/", include("ouentai.network.urls_console")),
    path("network/", include("ouentai.network.urls_partner")),
    path("admin/", admin.site.urls),
    path("", include("ouentai.portal.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
