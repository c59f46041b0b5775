"""The member area (/network/) and the admin's sign-in page. Views stay thin: reads
come from selectors, writes from services."""

from allauth.account.views import LoginView
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse


class AdminLoginView(LoginView):
    """allauth's sign-in at /admin/login/: after the password (or emailed code) and
    the second factor, people land in the admin unless they asked for a page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.GET.get("next"):
            request.GET = request.GET.copy()
            request.GET["next"] = reverse("wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)


@login_required
def dashboard(request):
    return render(request, "network/members/dashboard.html", {})
