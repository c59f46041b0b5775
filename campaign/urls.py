"""/where-they-stand/: mounted from config/urls.py."""

from django.urls import path

from campaign import views

app_name = "stances"

urlpatterns = [
    path("", views.index, name="index"),
    path("card.png", views.national_social_card, name="card"),
    path("<slug:slug>/", views.constituency, name="constituency"),
    path(
        "<slug:slug>/card.png",
        views.constituency_social_card,
        name="constituency_card",
    ),
]
