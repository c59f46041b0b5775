"""The member area, mounted at /network/."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
