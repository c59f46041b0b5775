"""/updates/: sign up, confirm, unsubscribe."""

from django.urls import path

from . import views

app_name = "updates"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirm/<str:token>/renew/", views.confirm_resend, name="confirm_resend"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
