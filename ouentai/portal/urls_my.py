"""The member area (mounted at /my/): a signed-in member's own company only."""

from django.urls import path

from ouentai.portal import views_my

app_name = "my"
urlpatterns = [
    path("", views_my.home, name="home"),
    path("engagements/<int:pk>/", views_my.engagement, name="engagement"),
    path("engagements/<int:pk>/plan/<int:number>/pdf/", views_my.plan_pdf, name="plan_pdf"),
    path("diagnosis/", views_my.diagnosis, name="diagnosis"),
    path("dispatches/<int:pk>/confirm/", views_my.dispatch_confirm, name="dispatch_confirm"),
]
