from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ouentai.cases.views import nominations as case_nominations
from ouentai.cases.views import public as cases_public
from ouentai.core.views import healthz
from ouentai.engagements.views import diagnosis
from ouentai.events.views import public as events_public
from ouentai.portal.urls import organization_patterns

# Every implementing organization's public pages under /o/<slug>/ (also at the root of its own host name:
# ouentai.portal.middleware.OrganizationHostMiddleware). See docs/decisions/0005-public-sites.md.
organization_site = [
    *organization_patterns,
    path("events/", events_public.event_list, name="events"),
    path("events/feed.ics", events_public.feed, name="events_feed"),
    path("diagnosis/", diagnosis.diagnosis_form, name="diagnosis"),
    path("diagnosis/result/<uuid:token>/", diagnosis.diagnosis_result, name="diagnosis_result"),
    path("cases/", cases_public.case_list, name="cases"),
]

admin.site.site_header = format_lazy(_("{site} 管理サイト"), site=settings.OUENTAI_SITE_NAME)
admin.site.site_title = admin.site.site_header

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("ouentai.accounts.urls")),
    path("console/", include("ouentai.community.urls")),
    # Before the console/cases/ include, so that it is not shadowed by it.
    path("console/cases/nominations/", case_nominations.NominationView.as_view(), name="case_nominations"),
    path("console/content/", include("ouentai.content.urls")),
    path("console/events/", include("ouentai.events.urls_console")),
    path("events/", include("ouentai.events.urls")),
    path("console/engagements/", include("ouentai.engagements.urls_console")),
    path("diagnosis/", include("ouentai.engagements.urls")),
    path("my/cases/", include("ouentai.cases.urls_my")),
    path("cases/", include("ouentai.cases.urls_public")),
    path("my/", include("ouentai.portal.urls_my")),
    path("console/network/", include("ouentai.network.urls_console")),
    path("console/cases/", include("ouentai.cases.urls_console")),
    path("network/knowhow/", include("ouentai.knowhow.urls_partner")),
    path("network/", include("ouentai.network.urls_partner")),
    path("console/knowhow/", include("ouentai.knowhow.urls_console")),
    path("console/outcomes/", include("ouentai.outcomes.urls_console")),
    path("office/", include("ouentai.outcomes.urls_office")),
    path("knowhow/", include("ouentai.knowhow.urls")),
    path("admin/", admin.site.urls),
    path("o/<slug:org>/", include((organization_site, "org"))),
    path("", include("ouentai.portal.urls")),
]

handler400 = "ouentai.core.errorpages.bad_request"
handler403 = "ouentai.core.errorpages.permission_denied"
handler404 = "ouentai.core.errorpages.page_not_found"
handler500 = "ouentai.core.errorpages.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
