"""URLs of the campaign site outside Wagtail's page tree, in every language (the
feeds, robots.txt and the sitemap have one address each: config/urls.py)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("events/register/<int:page_id>/", views.event_register, name="event_register"),
    path("search/", views.search, name="search"),
]
