"""Public pages under /updates/: sign up, confirm, unsubscribe. Thin: the rules live
in services.py."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from ops import throttle
from ops.i18n import request_language

from . import services, tokens
from .forms import SignupForm
from .models import SignupPage


def _over_limit(request) -> bool:
    return not throttle.allow(
        request,
        scope="signup",
        limit=settings.UPDATES_SIGNUP_LIMIT,
        window=settings.UPDATES_SIGNUP_WINDOW,
    )


def _too_many(request):
    response = render(request, "updates/too_many.html", status=429)
    response["Retry-After"] = str(settings.UPDATES_SIGNUP_WINDOW)
    return response


def _source(request, page_id) -> str:
    """The path of the page the form was on (a live page), else this view's path."""
    if page_id:
        page = Page.objects.live().filter(pk=page_id).first()
        if page is not None:
            url = page.get_url(request)
            if url:
                return url
    return request.path


# No CSRF token: the form sits on public pages (the home page), which the page
# cache can only keep when they carry no per-visitor token. A forged sign-up gains
# nothing a direct one would not: it only ever leads to a confirmation email, and
# the honeypot, the per-IP limit and the per-address pause still apply.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        return _signup_page(request, SignupForm())
    if _over_limit(request):
        return _too_many(request)
    form = SignupForm(request.POST)
    if not form.is_valid():
        return _signup_page(request, form, status=400)
    if not form.is_bot:
        data = form.cleaned_data
        services.signup_request(
            email=data["email"],
            name=data["name"],
            postcode=data["postcode"],
            wording_version=data["wording_version"],
            source=_source(request, data["source_page"]),
            language=request_language(request),
        )
    # Whatever the address's state (or a bot's), the same answer.
    return redirect("updates:check_email")


def _signup_page(request, form, status=200):
    """The site's one sign-up page, with the title, intro and sharing details
    editors gave the sign-up page in the admin (when there is one), passed as the
    page the templates describe."""
    page = (
        SignupPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    # The editors' words in the reader's language, when the page has a translation.
    context = {"form": form, "page": page.localized if page else None}
    return render(request, "updates/signup.html", context, status=status)


def check_email(request):
    return render(request, "updates/check_email.html")


def _invalid_link(request):
    return render(request, "updates/invalid_link.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        claim = tokens.read_confirm_token(token)
    except tokens.ExpiredToken:
        return render(request, "updates/confirm_expired.html", {"token": token})
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "GET":
        # Mail scanners open links: confirming takes a button press by a person.
        return render(request, "updates/confirm.html", {"token": token})
    outcome = services.subscriber_confirm(claim=claim, source="confirmation email")
    if outcome is services.ConfirmOutcome.UNKNOWN:
        return _invalid_link(request)
    return render(request, "updates/confirmed.html", {"outcome": outcome.value})


@never_cache
@require_http_methods(["POST"])
def confirm_resend(request, token):
    try:
        claim = tokens.read_confirm_token(token)
    except tokens.ExpiredToken as expired:
        claim = expired.claim
    except tokens.InvalidToken:
        return _invalid_link(request)
    else:
        # Still valid: nothing to renew, the link works as it is.
        return redirect("updates:confirm", token=token)
    if _over_limit(request):
        return _too_many(request)
    services.confirmation_resend(claim=claim)
    return redirect("updates:check_email")


@csrf_exempt  # RFC 8058: mail clients POST without cookies or a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber_id = tokens.read_unsubscribe_token(token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "GET":
        # Mail scanners follow links: a GET only shows the button.
        return render(request, "updates/unsubscribe.html", {"token": token})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    services.subscriber_unsubscribe(
        subscriber_id=subscriber_id,
        method=(
            "one-click unsubscribe from the email client"
            if one_click
            else "unsubscribe page, button pressed"
        ),
        source="unsubscribe link in an email",
    )
    # 200 with no redirect, as RFC 8058 asks; the same when the address is already
    # gone (erased, say): it is off the list either way.
    return render(request, "updates/unsubscribed.html")
