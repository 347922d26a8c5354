from django.urls import path

from ouentai.portal import views, views_my

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq, name="faq"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("privacy/", views.privacy, name="privacy"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_done, name="apply_done"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_done, name="contact_done"),
    path("postal-code/<str:code>/", views.postal_code, name="postal_code"),
    path("language/<str:code>/", views.language, name="language"),
    path("unsubscribe/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("my/join/<uuid:token>/", views_my.member_join, name="member_join"),
]
