"""/where-they-stand/: mounted from config/urls.py."""

from django.urls import path

from campaign import views

app_name = "stances"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.constituency, name="constituency"),
]
