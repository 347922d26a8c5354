"""Public URLs of events (mounted at /events/). A person's own links carry their registration token."""

from django.urls import path

from ouentai.events.views import public, survey

app_name = "events"
urlpatterns = [
    path("", public.event_list, name="list"),
    path("feed.ics", public.feed, name="feed"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/register/", public.register, name="register"),
    path("r/<uuid:token>/", public.registration, name="registration"),
    path("r/<uuid:token>/cancel/", public.cancel, name="cancel"),
    path("r/<uuid:token>/accept/", public.accept, name="accept"),
    path("r/<uuid:token>/qr.svg", public.qr, name="qr"),
    path("r/<uuid:token>/event.ics", public.ics, name="ics"),
    path("r/<uuid:token>/certificate.pdf", survey.certificate, name="certificate"),
    path("r/<uuid:token>/survey/", survey.survey, name="survey"),
]
