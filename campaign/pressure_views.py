"""The pledge page and constituents' asks: public forms, confirmation links.

Thin: the rules (limits, holds, counting, sending) live in ``campaign.services``.
Every submission is answered the same way, whether the pledge or ask was new,
repeated, held or came from a bot, so the answer tells no one anything about an
address.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from campaign import selectors, services, tokens
from campaign.forms import AskForm, PledgeForm
from campaign.models import CampaignSettings
from network.models import Role, RoleKind
from network.postcodes import LookupUnavailable, PostcodeError, lookup_postcode
from ops import throttle
from ops.i18n import request_language


def _client(request) -> services.Client:
    return services.Client.from_address(throttle.client_address(request))


def _over_limit(request) -> bool:
    """The postcode lookups these forms make share the where-they-stand page's
    limit, so the forms cannot be used to drain the lookup service."""
    return not throttle.allow(
        request,
        scope="postcode-lookups",
        limit=settings.POSTCODE_LOOKUPS_PER_MINUTE,
        window=60,
    )


def _lookup(request, form):
    """The postcode's areas, or None with the problem put on the form."""
    if _over_limit(request):
        form.add_error(
            None,
            _("You've looked up a lot of postcodes in the last minute: wait a moment."),
        )
        return None
    try:
        found = lookup_postcode(form.cleaned_data["postcode"])
    except LookupUnavailable as error:
        form.add_error(None, str(error))
        return None
    except PostcodeError as error:
        form.add_error("postcode", str(error))
        return None
    if found.constituency is None:
        form.add_error(
            "postcode",
            _("%(postcode)s is not in a Westminster constituency we hold.")
            % {"postcode": found.postcode},
        )
        return None
    return found


# No CSRF token, as the updates sign-up: the page stays cacheable for everyone,
# and a forged pledge only ever leads to a confirmation email.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def pledge(request):
    language = request_language(request)
    wording = services.wording_for(language)
    if wording is None:
        raise Http404("There is no pledge to sign yet.")
    form = PledgeForm(request.POST or None, wording=wording)
    status = 200
    if request.method == "POST":
        if form.is_valid() and not form.is_bot:
            found = _lookup(request, form)
            if found is not None:
                data = form.cleaned_data
                services.pledge_make(
                    email=data["email"],
                    name=data["name"],
                    constituency=found.constituency,
                    ward=found.ward,
                    client=_client(request),
                    join_updates=data["join_updates"],
                    postcode=data["postcode"] if data["join_updates"] else "",
                    source=request.path,
                    language=language,
                )
                return redirect("pledge:check_email")
        elif form.is_valid():  # a bot: the same answer, nothing kept
            return redirect("pledge:check_email")
        status = 400
    context = {
        "form": form,
        "wording": wording,
        "total": selectors.pledge_total(),
        "meta_title": wording.title,
        "meta_description": wording.statement[:160],
    }
    return render(request, "campaign/pledge.html", context, status=status)


def check_email(request):
    return render(request, "campaign/pledge_check_email.html")


def _invalid_link(request):
    return render(request, "campaign/invalid_link.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def pledge_confirm(request, token):
    try:
        pledge_id = tokens.read(tokens.PLEDGE_SALT, token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "GET":
        # Mail scanners open links: confirming takes a button press by a person.
        return render(request, "campaign/confirm.html", {"what": "pledge"})
    outcome = services.pledge_confirm(pledge_id=pledge_id, source=request.path)
    if outcome is services.ConfirmOutcome.UNKNOWN:
        return _invalid_link(request)
    return render(
        request,
        "campaign/confirmed.html",
        {"what": "pledge", "total": selectors.pledge_total()},
    )


def _candidacy(candidacy_id: int) -> Role:
    return get_object_or_404(
        Role.objects.select_related("person", "area", "party"),
        pk=candidacy_id,
        kind__in=(RoleKind.CANDIDATE, RoleKind.MP),
        area__isnull=False,
    )


def _suggested(candidacy: Role, request) -> dict:
    # Without a site (a fresh install), the message's default words.
    site = Site.find_for_request(request)
    messages = CampaignSettings.for_site(site) if site else CampaignSettings()
    text = messages.ask_message
    for key, value in (
        ("{candidate}", candidacy.person.name),
        ("{constituency}", candidacy.area.name),
    ):
        text = text.replace(key, value)
    return {"subject": messages.ask_subject, "message": text}


@csrf_exempt  # as the pledge: the page stays cacheable; a forged ask only emails
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, candidacy_id):
    candidacy = _candidacy(candidacy_id)
    form = AskForm(request.POST or None, initial=_suggested(candidacy, request))
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.is_bot:
            return redirect("pledge:ask_check_email")
        if form.is_valid():
            found = _lookup(request, form)
            if found is not None and found.constituency.pk != candidacy.area_id:
                form.add_error(
                    "postcode",
                    _(
                        "%(postcode)s is not in %(constituency)s: only "
                        "constituents can write from here."
                    )
                    % {"postcode": found.postcode, "constituency": candidacy.area.name},
                )
            elif found is not None:
                data = form.cleaned_data
                services.ask_make(
                    candidacy=candidacy,
                    email=data["email"],
                    name=data["name"],
                    subject=data["subject"],
                    message=data["message"].replace("{name}", data["name"]),
                    client=_client(request),
                    language=request_language(request),
                )
                return redirect("pledge:ask_check_email")
        status = 400
    return render(
        request,
        "campaign/ask.html",
        {
            "form": form,
            "candidacy": candidacy,
            "meta_title": _("Write to %(name)s") % {"name": candidacy.person.name},
        },
        status=status,
    )


def ask_check_email(request):
    return render(request, "campaign/pledge_check_email.html", {"what": "ask"})


@never_cache
@require_http_methods(["GET", "POST"])
def ask_confirm(request, token):
    try:
        ask_id = tokens.read(tokens.ASK_SALT, token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "GET":
        return render(request, "campaign/confirm.html", {"what": "ask"})
    outcome = services.ask_confirm(ask_id=ask_id)
    if outcome is services.ConfirmOutcome.UNKNOWN:
        return _invalid_link(request)
    return render(request, "campaign/confirmed.html", {"what": "ask"})
