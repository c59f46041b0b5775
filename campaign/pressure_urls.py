"""/pledge/ and /ask/: mounted from config/urls.py."""

from django.urls import path

from campaign import pressure_views as views

app_name = "pledge"

urlpatterns = [
    path("pledge/", views.pledge, name="pledge"),
    path("pledge/check-your-email/", views.check_email, name="check_email"),
    path("pledge/confirm/<str:token>/", views.pledge_confirm, name="confirm"),
    path("ask/<int:candidacy_id>/", views.ask, name="ask"),
    path("ask/check-your-email/", views.ask_check_email, name="ask_check_email"),
    path("ask/confirm/<str:token>/", views.ask_confirm, name="ask_confirm"),
]
