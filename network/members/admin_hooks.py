"""The admin's "Members" menu: join requests to decide, invitations sent, erasure
requests to confirm and the history of profile changes; the "Invite" button on
people; and the person edit view that records coordinators' changes.

Imported by network/wagtail_hooks.py, which Wagtail discovers.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import EditView as SnippetEditView

from network.models import (
    ChangeSource,
    DeletionRequest,
    DeletionRequestStatus,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Person,
    ProfileChange,
)

from . import services
from .forms import InviteForm, JoinDecisionForm


class RecordOnlyPolicy(ModelPermissionPolicy):
    """Records kept by the system: listed and inspected, never added or edited
    by hand ("change" is what deciding a request takes)."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "edit"):
            return False
        return super().user_has_permission(user, action)


for _model in (JoinRequest, Invitation, DeletionRequest, ProfileChange):
    register_permission_policy(_model, RecordOnlyPolicy(_model))


class JoinRequestViewSet(ModelViewSet):
    model = JoinRequest
    icon = "mail"
    menu_label = "Join requests"
    url_prefix = "members/join-requests"
    list_display = [
        TitleColumn(
            "name",
            label="Name",
            get_url=lambda obj: reverse("members_join_request_decide", args=[obj.pk]),
        ),
        "email",
        "role",
        "area",
        "status",
        DateColumn("created_at", label="Asked"),
    ]
    list_filter = ["status", "role"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    form_fields = ["status"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return JoinRequest.objects.select_related("area").order_by("-created_at")


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    url_prefix = "members/invitations"
    list_display = [
        "person",
        "email",
        Column("status", label="Status"),
        DateColumn("created_at", label="Sent"),
        DateColumn("expires_at", label="Expires"),
        "invited_by",
    ]
    search_fields = ["email", "person__name"]
    inspect_view_enabled = True
    form_fields = ["email"]
    exclude_form_fields = ["token_hash"]
    inspect_view_fields_exclude = ["token_hash"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return Invitation.objects.select_related("person", "invited_by").order_by(
            "-created_at"
        )


class DeletionRequestViewSet(ModelViewSet):
    model = DeletionRequest
    icon = "bin"
    menu_label = "Erasure requests"
    url_prefix = "members/erasure-requests"
    list_display = [
        TitleColumn(
            "person",
            label="Person",
            get_url=lambda obj: reverse("members_deletion_confirm", args=[obj.pk]),
        ),
        "status",
        DateColumn("requested_at", label="Asked"),
        DateColumn("decided_at", label="Decided"),
    ]
    list_filter = ["status"]
    form_fields = ["status"]
    ordering = ["-requested_at"]

    def get_queryset(self, request):
        return DeletionRequest.objects.select_related("person").order_by(
            "-requested_at"
        )


class ProfileChangeViewSet(ModelViewSet):
    model = ProfileChange
    icon = "history"
    menu_label = "Profile history"
    url_prefix = "members/profile-history"
    list_display = [
        "person",
        DateColumn("created_at", label="When"),
        "actor",
        "source",
        "channel",
        Column("field_list", label="Fields", accessor="field_list"),
    ]
    list_filter = ["source", "person"]
    search_fields = ["person__name"]
    form_fields = ["source"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return ProfileChange.objects.select_related("person", "actor").order_by(
            "-created_at", "-pk"
        )


class MembersViewSetGroup(ModelViewSetGroup):
    menu_label = "Members"
    menu_icon = "user"
    menu_order = 160
    items = (
        JoinRequestViewSet,
        InvitationViewSet,
        DeletionRequestViewSet,
        ProfileChangeViewSet,
    )


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return MembersViewSetGroup()


# ------------------------------------------------------------------ custom views


def _require(request, codename):
    if not request.user.has_perm(f"network.{codename}"):
        raise PermissionDenied


def invite_person(request, pk):
    _require(request, "add_invitation")
    person = get_object_or_404(Person, pk=pk)
    email_contact = person.contacts.filter(kind="email").order_by("sort_order").first()
    form = InviteForm(
        request.POST or None,
        initial={"email": email_contact.value if email_contact else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                person=person, email=form.cleaned_data["email"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Invitation sent to {person.name}.")
            return redirect(reverse("wagtailsnippets_network_person:list"))
    return render(
        request,
        "network/members/admin/invite.html",
        {"person": person, "form": form, "has_account": hasattr(person, "account")},
    )


def decide_join_request(request, pk):
    _require(request, "change_joinrequest")
    join_request = get_object_or_404(JoinRequest.objects.select_related("area"), pk=pk)
    form = JoinDecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and join_request.status == JoinRequestStatus.PENDING
        and form.is_valid()
    ):
        try:
            if form.cleaned_data["decision"] == "approve":
                if not request.user.has_perm("network.add_invitation"):
                    raise PermissionDenied
                services.join_request_approve(
                    join_request=join_request,
                    actor=request.user,
                    person=form.cleaned_data["person"],
                )
                messages.success(
                    request, f"Approved: an invitation went to {join_request.email}."
                )
            else:
                services.join_request_decline(
                    join_request=join_request, actor=request.user
                )
                messages.success(request, "Declined.")
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect(reverse("joinrequest:index"))
    return render(
        request,
        "network/members/admin/join_request.html",
        {"join_request": join_request, "form": form},
    )


def confirm_deletion(request, pk):
    _require(request, "change_deletionrequest")
    deletion = get_object_or_404(
        DeletionRequest.objects.select_related("person"), pk=pk
    )
    if request.method == "POST" and deletion.status == DeletionRequestStatus.PENDING:
        if request.POST.get("decision") == "erase":
            services.deletion_confirm(request=deletion, actor=request.user)
            messages.success(request, "Erased.")
        elif request.POST.get("decision") == "cancel":
            services.deletion_cancel(request=deletion, actor=request.user)
            messages.success(request, "Cancelled: nothing was erased.")
        return redirect(reverse("deletionrequest:index"))
    return render(
        request, "network/members/admin/deletion.html", {"deletion": deletion}
    )


@hooks.register("register_admin_urls")
def register_members_urls():
    return [
        path("members/invite/<int:pk>/", invite_person, name="members_invite"),
        path(
            "members/join-requests/<int:pk>/decide/",
            decide_join_request,
            name="members_join_request_decide",
        ),
        path(
            "members/erasure-requests/<int:pk>/confirm/",
            confirm_deletion,
            name="members_deletion_confirm",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def invite_button(snippet, user, next_url=None):
    if isinstance(snippet, Person) and user.has_perm("network.add_invitation"):
        yield Button(
            "Invite by email",
            reverse("members_invite", args=[snippet.pk]),
            icon_name="mail",
            priority=30,
        )


# ------------------------------------------------------------------ person edits


class PersonEditView(SnippetEditView):
    """The admin's person editor, recording which fields a coordinator saved."""

    def save_instance(self):
        # The photo's two form fields are one field of the person: "photo".
        photo_fields = {"photo_upload", "photo_remove"}
        changed = [name for name in self.form.changed_data if name not in photo_fields]
        if photo_fields & set(self.form.changed_data):
            changed.append("photo")
        for name, formset in getattr(self.form, "formsets", {}).items():
            if formset.has_changed():
                changed.append(name)
        instance = super().save_instance()
        services.record_profile_change(
            person=instance,
            fields=changed,
            actor=self.request.user,
            source=ChangeSource.COORDINATOR,
            channel="admin",
        )
        return instance
