"""URLs of the campaign site outside Wagtail's page tree."""

from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PagesSitemap
from wagtail.contrib.sitemaps.views import sitemap

from campaign.sitemaps import StancesSitemap
from cms import views

app_name = "cms"

urlpatterns = [
    path("events.ics", views.events_ics, name="events_ics"),
    path("events/register/<int:page_id>/", views.event_register, name="event_register"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PagesSitemap, "stances": StancesSitemap}},
        name="sitemap",
    ),
]
