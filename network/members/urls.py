"""The member area, mounted at /network/."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("directory/", views.directory, name="directory"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("people/<slug:slug>/edit/", views.person_edit, name="person_edit"),
    path("profile/", views.my_profile, name="my_profile"),
    path("my-data/", views.my_data, name="my_data"),
    path("delete-account/", views.delete_account, name="delete_account"),
    path("invitation/<str:signed>/", views.invitation, name="invitation"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.join_thanks, name="join_thanks"),
    path("join/areas/", views.join_areas, name="join_areas"),
    # Profile photos and their renditions (ops/storage.py links them here).
    path("photos/<str:name>", views.photo, name="photo"),
]
