"""The site's URLs plus the raw baseline views of the API benchmark."""

from django.urls import path

from bench import api_baseline
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/people/", api_baseline.people_list),
    path("bench/stored/people/", api_baseline.people_stored),
    path("bench/people/<slug:slug>/", api_baseline.person_detail),
    *site_urlpatterns,
]
