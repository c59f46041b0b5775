"""The member area (/network/) and the sign-in addresses that lead to allauth. Views
stay thin: reads come from selectors, writes from services, visibility from
network/visibility.py."""

import mimetypes
from urllib.parse import urlencode

import django_filters
from allauth.account.views import LoginView
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from network import personal_data
from network.models import (
    DeletionRequestStatus,
    Group,
    Person,
    RoleKind,
)
from network.visibility import (
    Audience,
    audience_for_user,
    may_see_person,
    may_see_photo,
    own_contacts,
)

from . import selectors, services
from .forms import (
    ContactFormSet,
    InvitationAcceptForm,
    JoinRequestForm,
    ProfileForm,
)

VIEW_DIRECTORY = "network.view_network_directory"
EDIT_OWN_PROFILE = "network.edit_own_profile"


class AdminLoginView(LoginView):
    """allauth's sign-in at /admin/login/: after the password (or emailed code) and
    the second factor, people land in the admin unless they asked for a page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.GET.get("next"):
            request.GET = request.GET.copy()
            request.GET["next"] = reverse("wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)


def frontend_login(request):
    """Wagtail's front-end sign-in address, /_util/login/ (linked from private pages
    and documents), leads to allauth's sign-in, keeping the page asked for. Nothing
    posted here is read."""
    url = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)


def member_required(permission):
    """Signed in (else to the sign-in page) and holding ``permission`` (else 403)."""

    def decorator(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied("This page is for network members.")
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


# ------------------------------------------------------------------ dashboard


@login_required
def dashboard(request):
    person = request.user.person
    pending_deletion = request.user.deletion_requests.filter(
        status=DeletionRequestStatus.PENDING
    ).exists()
    return render(
        request,
        "network/members/dashboard.html",
        {
            "person": person,
            "may_edit": request.user.has_perm(EDIT_OWN_PROFILE) and person,
            "may_browse": request.user.has_perm(VIEW_DIRECTORY),
            "pending_deletion": pending_deletion,
        },
    )


# ------------------------------------------------------------------ directory


NETWORK_CHOICES = [
    ("network", _("The network")),
    ("tracked", _("Tracked: candidates and representatives the campaign presses")),
    ("all", _("Everyone in the directory")),
]


class DirectoryFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=NETWORK_CHOICES,
        empty_label=None,
        method="filter_show",
        help_text=_("The network's own people, or those the campaign tracks."),
    )
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_name",
        help_text=_("Part of a person's name."),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        queryset=lambda request: selectors.area_choices(),
        method="filter_area",
        help_text=_("A nation, region or council: people with a role inside it."),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        field_name="roles__kind",
        choices=RoleKind.choices,
        distinct=True,
        help_text=_("People holding (or having held) a role of this kind."),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Group"),
        field_name="group_memberships__group",
        queryset=lambda request: Group.objects.order_by("name"),
        distinct=True,
        help_text=_("Members of this group."),
    )

    class Meta:
        model = Person
        fields = []

    def filter_show(self, queryset, name, value):
        if value == "tracked":
            return queryset.tracked()
        if value == "all":
            return queryset
        return queryset.in_network()

    def filter_name(self, queryset, name, value):
        words = value.split()
        query = Q()
        for word in words:
            query &= Q(name__icontains=word)
        return queryset.filter(query)

    def filter_area(self, queryset, name, value):
        return selectors.filter_by_area(queryset, value)


@member_required(VIEW_DIRECTORY)
def directory(request):
    people = selectors.directory_people(viewer=request.user)
    data = request.GET.copy()
    if data.get("show") not in dict(NETWORK_CHOICES):
        data["show"] = "network"  # the network, unless asked otherwise
    filters = DirectoryFilter(data, queryset=people, request=request)
    page = Paginator(filters.qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/members/directory.html",
        {"filter": filters, "page": page, "query": query.urlencode()},
    )


@member_required(VIEW_DIRECTORY)
def person_detail(request, slug):
    person = selectors.person_for_viewer(viewer=request.user, slug=slug)
    if person is None:
        raise Http404("No such person in the directory.")
    history = None
    if request.user.has_perm("network.view_profilechange"):
        history = selectors.profile_history(person=person)[:20]
    return render(
        request,
        "network/members/person.html",
        {
            "person": person,
            "own": person.pk == request.user.person_id,
            "history": history,
            "audience": audience_for_user(request.user),
        },
    )


# ------------------------------------------------------------------ photos

# How long a browser (and, for a public profile, a shared cache) may keep a photo.
# The address changes with each new photo; a profile made private stops being
# served at once, and a shared cache may keep its old copy for at most this long:
# five minutes, as long as the site's own cache keeps a public page showing it.
PHOTO_MAX_AGE = 300


@require_http_methods(["GET", "HEAD"])
def photo(request, name):
    """A profile photo, or one of its renditions. A public profile's photo is
    served to everyone; any other only to those who may see the person (members
    and coordinators), marked private so no shared cache keeps it. Everyone else
    gets 404, as if there were no such photo."""
    found = selectors.photo_file(name=name)
    if found is None:
        raise Http404("No such photo.")
    stored, person = found
    public = person is not None and may_see_person(person, Audience.PUBLIC)
    if not public and not may_see_photo(person, request.user):
        raise Http404("No such photo.")
    try:
        handle = default_storage.open(stored)
    except FileNotFoundError as error:
        raise Http404("No such photo.") from error
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    scope = "public" if public else "private"
    response["Cache-Control"] = f"{scope}, max-age={PHOTO_MAX_AGE}"
    return response


# ------------------------------------------------------------------ own profile


@member_required(EDIT_OWN_PROFILE)
def my_profile(request):
    if request.user.person is None:
        raise Http404("Your account is not linked to a directory entry.")
    return redirect("members:person_edit", slug=request.user.person.slug)


def _contact_initial(person):
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "value": c.value,
            "label": c.label,
            "visibility": c.visibility,
        }
        for c in own_contacts(person)
    ]


def _contacts_from(formset):
    contacts = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        item = {name: data.get(name, "") for name in services.CONTACT_FIELDS}
        if data.get("id"):
            item["id"] = data["id"]
        contacts.append(item)
    return contacts


@member_required(EDIT_OWN_PROFILE)
@require_http_methods(["GET", "POST"])
def person_edit(request, slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        raise Http404("No such person in the directory.")
    if person.pk != request.user.person_id:
        raise PermissionDenied("You can only edit your own profile.")

    conflict = None
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        formset = ContactFormSet(request.POST, prefix="contacts")
        if form.is_valid() and formset.is_valid():
            data = {name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
            data["contacts"] = _contacts_from(formset)
            if form.cleaned_data.get("photo"):
                data["photo"] = form.cleaned_data["photo"]
            if form.cleaned_data.get("remove_photo"):
                data["remove_photo"] = True
            try:
                services.profile_update(
                    person=person,
                    data=data,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    channel="web",
                )
            except services.StaleEdit as stale:
                conflict = stale
                # Keep everything the member typed; the next save is made
                # against the current version, deliberately.
                post = request.POST.copy()
                post["version"] = stale.current_version
                form = ProfileForm(post)
                formset = ContactFormSet(post, prefix="contacts")
                form.is_valid()
                formset.is_valid()
                person.refresh_from_db()
            except ValidationError as error:
                _attach_errors(error, form, formset)
            else:
                messages.success(request, gettext("Your profile is saved."))
                return redirect("members:person_edit", slug=person.slug)
    else:
        form = ProfileForm(
            initial={
                "version": services.person_version(person),
                "pronouns": person.pronouns,
                "bio": person.bio,
                "public_profile": person.public_profile,
            }
        )
        formset = ContactFormSet(initial=_contact_initial(person), prefix="contacts")
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(
        request,
        "network/members/profile_edit.html",
        {
            "person": person,
            "form": form,
            "formset": formset,
            "conflict": conflict,
            "current_contacts": own_contacts(person),
        },
        status=status,
    )


def _attach_errors(error, form, formset):
    for key, messages_ in error.message_dict.items():
        if key.startswith("contacts."):
            parts = key.split(".")
            index = int(parts[1]) if parts[1].isdigit() else None
            target = None
            if index is not None:
                kept = [
                    f
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
                target = kept[index] if index < len(kept) else None
            field = parts[2] if len(parts) > 2 else None
            if target is not None and field in target.fields:
                target.add_error(field, messages_)
            else:
                form.add_error(None, messages_)
        elif key in form.fields:
            form.add_error(key, messages_)
        else:
            form.add_error(None, messages_)


# ------------------------------------------------------------------ their data


@login_required
def my_data(request):
    """Everything held about the signed-in member, as a JSON download."""
    body = personal_data.export_json(user=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.deletion_request(user=request.user)
        messages.success(
            request,
            gettext(
                "We have your request. A coordinator will confirm it; then your "
                "account and everything held about you are erased."
            ),
        )
        return redirect("members:dashboard")
    return render(request, "network/members/delete_account.html")


# ------------------------------------------------------------------ joining


@require_http_methods(["GET", "POST"])
def invitation(request, signed):
    invitation = services.invitation_from_link(signed)
    if invitation is None:
        return render(request, "network/members/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST":
        limited = ratelimit.consume_or_429(request, action="invitation_accept")
        if limited:
            return limited
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    signed=signed, password=form.cleaned_data["password1"]
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for key, messages_ in error.message_dict.items():
                        form.add_error(key if key in form.fields else None, messages_)
                else:
                    form.add_error(None, error.messages)
            else:
                login(
                    request,
                    user,
                    backend="allauth.account.auth_backends.AuthenticationBackend",
                )
                messages.success(
                    request,
                    gettext(
                        "Welcome to the network. Check your profile, and consider "
                        "adding a second factor to your account."
                    ),
                )
                return redirect("members:dashboard")
    return render(
        request,
        "network/members/invitation.html",
        {"invitation": invitation, "form": form},
    )


@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST":
        limited = ratelimit.consume_or_429(request, action="join_request")
        if limited:
            return limited
        if form.is_valid():
            data = form.cleaned_data
            services.join_request_submit(
                name=data["name"],
                email=data["email"],
                role=data["role"],
                area=data["area"],
                statement=data["statement"],
            )
            # The same answer whether or not the address is known.
            return redirect("members:join_thanks")
    return render(request, "network/members/join.html", {"form": form})


@require_GET
def join_areas(request):
    """Names of councils and constituencies for the join form to suggest while
    someone types (JSON). The form matches what is sent itself; this is only a
    shortcut, and public: the areas are the shipped open data."""
    query = request.GET.get("q", "")[:200]
    areas = selectors.join_area_matches(query) if len(query.strip()) >= 2 else []
    response = JsonResponse(
        {"results": [selectors.join_area_label(area) for area in areas]}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def join_thanks(request):
    return render(request, "network/members/join_thanks.html")
