"""The public site: the program-wide pages at / (namespace "portal") and the pages every organization has
under /o/<slug>/ (``organization_patterns``, mounted by config.urls in the namespace "org" together with
the organization's events and self-diagnosis)."""

from django.urls import path

from ouentai.portal import views, views_my

app_name = "portal"

# The pages every site has: the program-wide one at / and each organization's under /o/<slug>/ (there
# each view takes the organization's slug as ``org``).
organization_patterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq, name="faq"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("privacy/", views.privacy, name="privacy"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_done, name="apply_done"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_done, name="contact_done"),
]

# Only at /: the finder, the address look-up, the language switch and the links sent by mail.
urlpatterns = [
    *organization_patterns,
    path("find/", views.find, name="find"),
    path("postal-code/<str:code>/", views.postal_code, name="postal_code"),
    path("language/<str:code>/", views.language, name="language"),
    path("unsubscribe/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("my/join/<uuid:token>/", views_my.member_join, name="member_join"),
]
