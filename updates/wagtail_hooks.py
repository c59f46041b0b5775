"""The "Updates" menu in the Wagtail admin: mailings, subscribers, the consent log.

Mailings are written as drafts, previewed, test-sent to the editor, then sent by
those with the "Can send mailings" permission; once queued they are read-only and
their listing shows the sending progress. Subscribers export with their consent
evidence. The consent log can be read, never added to, changed or deleted here.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from network.models import Area, AreaType

from . import consent, selectors, services
from .admin_widgets import AreaSearchWidget
from .mail import MailingRenderer
from .models import (
    ConsentAction,
    ConsentEvent,
    Mailing,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
)

# ------------------------------------------------------------------ mailings


def user_may_send(user) -> bool:
    return user.is_active and user.has_perm("updates.send_mailing")


class MailingPermissionPolicy(ModelPermissionPolicy):
    """Sent or queued mailings are a record of what went out: nobody edits or
    deletes them."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("change", "delete") and not instance.is_draft:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(Mailing, MailingPermissionPolicy(Mailing))


class MailingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(**selectors.progress_annotations())

    def get_list_more_buttons(self, instance):
        buttons = [
            b
            for b in super().get_list_more_buttons(instance)
            if instance.is_draft or b.label not in ("Edit", "Delete")
        ]
        buttons.append(
            MenuItem(
                "Preview",
                url=reverse("updates_mailing:preview", args=[instance.pk]),
                icon_name="view",
                priority=15,
            )
        )
        return buttons


class MailingEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        mailing = get_object_or_404(Mailing, pk=kwargs["pk"])
        if not mailing.is_draft:
            messages.warning(request, "A sent update cannot be changed.")
            return redirect("updates_mailing:inspect", mailing.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_buttons(self):
        """Testing and sending sit beside the title, not under a menu: each opens a
        page that says what will happen and asks to confirm."""
        buttons = [
            *super().header_buttons,
            HeaderButton(
                "Send a test",
                url=reverse("updates_mailing:send_test", args=[self.object.pk]),
                icon_name="mail",
                priority=10,
            ),
        ]
        if user_may_send(self.request.user):
            buttons.append(
                HeaderButton(
                    "Send to subscribers",
                    url=reverse("updates_mailing:send", args=[self.object.pk]),
                    icon_name="mail",
                    priority=20,
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                "Preview",
                url=reverse("updates_mailing:preview", args=[self.object.pk]),
                icon_name="view",
                priority=5,
                attrs={"target": "_blank"},
            ),
        ]


class MailingDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        mailing = get_object_or_404(Mailing, pk=kwargs["pk"])
        if not mailing.is_draft:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MailingCreateView(generic.CreateView):
    def save_instance(self):
        return services.mailing_create(form=self.form, actor=self.request.user)


class MailingInspectView(generic.InspectView):
    template_name = "updates/admin/mailing_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mailing = self.object
        context["progress"] = selectors.mailing_progress(mailing=mailing)
        context["may_send"] = mailing.is_draft and user_may_send(self.request.user)
        context["audience_count"] = selectors.mailing_audience(mailing=mailing).count()
        context["preview_url"] = reverse("updates_mailing:preview", args=[mailing.pk])
        context["test_url"] = reverse("updates_mailing:send_test", args=[mailing.pk])
        context["send_url"] = reverse("updates_mailing:send", args=[mailing.pk])
        return context

    def get_created_by_display_value(self):
        return _who(self.object.created_by)

    def get_queued_by_display_value(self):
        if self.object.queued_at is None:
            return "Not yet"
        return _who(self.object.queued_by)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "Not yet" if value is None else value


def _who(user) -> str:
    if user is None:
        return "Not recorded (made by the demo data, or the account was deleted)"
    return user.get_full_name() or user.get_username()

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if not self.object.is_draft:
            buttons = [b for b in buttons if b.label not in ("Edit", "Delete")]
        return buttons


def _mailing_for(request, pk) -> Mailing:
    policy = MailingPermissionPolicy(Mailing)
    if not policy.user_has_any_permission(request.user, ["add", "change", "view"]):
        raise PermissionDenied
    return get_object_or_404(Mailing, pk=pk)


def mailing_preview(request, pk):
    """The update as recipients will see it (HTML part), with a dummy link."""
    mailing = _mailing_for(request, pk)
    renderer = MailingRenderer(mailing)
    response = HttpResponse(renderer.html_for("#unsubscribe-link"))
    # The admin is framed by nobody else; the preview is an email, not a page.
    response["Content-Security-Policy"] = "script-src 'none'"
    return response


def _back_to(mailing) -> str:
    name = "updates_mailing:edit" if mailing.is_draft else "updates_mailing:inspect"
    return reverse(name, args=[mailing.pk])


def mailing_send_test(request, pk):
    """Send the saved version to the editor's own address, after they confirm."""
    mailing = _mailing_for(request, pk)
    if request.method == "POST":
        try:
            address = services.mailing_send_test(mailing=mailing, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"A test copy was sent to {address}.")
        return redirect(_back_to(mailing))
    return TemplateResponse(
        request,
        "updates/admin/mailing_send_test.html",
        {
            "mailing": mailing,
            "back_url": _back_to(mailing),
            "test_url": reverse("updates_mailing:send_test", args=[pk]),
        },
    )


def mailing_area_search(request):
    """Areas a mailing may target whose name holds what the editor typed (JSON)."""
    policy = MailingPermissionPolicy(Mailing)
    if not policy.user_has_any_permission(request.user, ["add", "change"]):
        raise PermissionDenied
    areas = selectors.mailing_target_search(request.GET.get("q", "")[:100])
    return JsonResponse({"results": [{"id": a.pk, "label": str(a)} for a in areas]})


def mailing_send(request, pk):
    mailing = _mailing_for(request, pk)
    if not user_may_send(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.mailing_queue(mailing=mailing, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"'{mailing.subject}' is being sent in the background."
            )
        return redirect("updates_mailing:inspect", pk)
    return TemplateResponse(
        request,
        "updates/admin/mailing_send.html",
        {
            "mailing": mailing,
            "audience_count": selectors.mailing_audience(mailing=mailing).count(),
            "inspect_url": _back_to(mailing),
            "send_url": reverse("updates_mailing:send", args=[pk]),
        },
    )


class MailingFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=MailingStatus.choices, help_text="Draft, queued, sending or sent."
    )

    class Meta:
        model = Mailing
        fields = ["status"]


def _regions(request=None):
    return Area.objects.filter(
        area_type__in=(AreaType.REGION, AreaType.NATION)
    ).order_by("name")


class MailingViewSet(ModelViewSet):
    model = Mailing
    name = "updates_mailing"
    url_prefix = "updates/mailings"
    icon = "mail"
    menu_label = "Mailings"
    add_to_admin_menu = False
    index_view_class = MailingIndexView
    add_view_class = MailingCreateView
    edit_view_class = MailingEditView
    delete_view_class = MailingDeleteView
    inspect_view_class = MailingInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "subject", "target_areas", "created_at",
        "created_by", "queued_at", "queued_by", "recipients_listed_at", "finished_at",
    ]  # fmt: skip
    copy_view_enabled = False
    list_display = [
        "subject",
        "status",
        Column("queued_count", label="Queued", sort_key="queued_count"),
        Column("sent_count", label="Sent", sort_key="sent_count"),
        Column("failed_count", label="Failed", sort_key="failed_count"),
        "queued_at",
    ]
    list_export = [
        "subject", "status", "created_at", "queued_at", "finished_at",
        "queued_count", "sent_count", "failed_count", "skipped_count",
    ]  # fmt: skip
    export_headings = {
        "queued_count": "Queued",
        "sent_count": "Sent",
        "failed_count": "Failed",
        "skipped_count": "Skipped",
    }
    export_filename = "mailings"
    filterset_class = MailingFilterSet
    search_fields = ["subject"]
    search_backend_name = None
    ordering = ["-created_at"]
    panels = [
        FieldPanel("subject"),
        FieldPanel("body"),
        FieldPanel("target_areas", widget=AreaSearchWidget),
        InlinePanel(
            "translations",
            heading="Translations",
            label="Translation",
            help_text=(
                "The same update in another language, for subscribers who signed "
                "up in it. Everyone else gets the English above."
            ),
        ),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", mailing_preview, name="preview"),
            path("send-test/<int:pk>/", mailing_send_test, name="send_test"),
            path("send/<int:pk>/", mailing_send, name="send"),
            path("areas/", mailing_area_search, name="area_search"),
        ]


# ------------------------------------------------------------------ subscribers


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=SubscriberStatus.choices,
        help_text="Only confirmed subscribers get updates.",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=_regions,
        method="filter_region",
        help_text="Subscribers whose postcode lies in this region or nation.",
    )

    class Meta:
        model = Subscriber
        fields = ["status", "region"]

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        in_area = Q(constituency__region=area) | Q(constituency__nation=area)
        return queryset.filter(in_area)


class SubscriberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.subscribers_with_consent_evidence()


class SubscriberInspectView(generic.InspectView):
    template_name = "updates/admin/subscriber_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.consent_events.select_related("actor")
        context["wordings"] = consent.WORDINGS
        context["may_unsubscribe"] = (
            self.object.status != SubscriberStatus.UNSUBSCRIBED
            and self.user_has_permission("change")
        )
        context["unsubscribe_url"] = reverse(
            "updates_subscriber:unsubscribe", args=[self.object.pk]
        )
        return context


def subscriber_unsubscribe(request, pk):
    """Take someone off the list at their request (by phone, letter, in person):
    the withdrawal is logged with the staff member who recorded it."""
    policy = SubscriberPermissionPolicy(Subscriber)
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=pk)
    if request.method == "POST":
        services.subscriber_unsubscribe(
            subscriber_id=subscriber.pk,
            method="recorded by staff at the subscriber's request",
            source="admin",
            actor=request.user,
        )
        messages.success(request, f"{subscriber.email} is unsubscribed.")
    return redirect("updates_subscriber:inspect", pk)


class SubscriberPermissionPolicy(ModelPermissionPolicy):
    """Subscribers join through the double opt-in only: staff cannot add anyone
    (no consent to show for them). Staff may correct a name or postcode."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber))


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = "updates_subscriber"
    url_prefix = "updates/subscribers"
    icon = "user"
    menu_label = "Subscribers"
    add_to_admin_menu = False
    index_view_class = SubscriberIndexView
    inspect_view_class = SubscriberInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "email",
        "name",
        "status",
        "postcode",
        "constituency",
        Column("consent_confirmed_at", label="Confirmed", sort_key="confirmed_at"),
    ]
    list_export = [
        "email", "name", "postcode", "constituency", "status",
        "requested_at", "requested_source", "consent_wording_version",
        "consent_wording", "consent_confirmed_at", "confirmed_method",
    ]  # fmt: skip
    export_headings = {
        "requested_at": "Consent requested at",
        "requested_source": "Signed up on",
        "consent_wording_version": "Consent wording version",
        "consent_wording": "Consent wording",
        "consent_confirmed_at": "Consent confirmed at",
        "confirmed_method": "Confirmed how",
    }
    export_filename = "subscribers-consent-evidence"
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "name", "postcode"]
    search_backend_name = None
    ordering = ["email"]
    panels = [FieldPanel("name"), FieldPanel("postcode"), FieldPanel("constituency")]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("unsubscribe/<int:pk>/", subscriber_unsubscribe, name="unsubscribe"),
        ]


# ------------------------------------------------------------------ consent log


class ConsentEventPermissionPolicy(ModelPermissionPolicy):
    """Evidence is append-only: it is viewed here, never added, changed or deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(ConsentEvent, ConsentEventPermissionPolicy(ConsentEvent))


class ConsentEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        choices=ConsentAction.choices, help_text="Requested, confirmed or withdrawn."
    )

    class Meta:
        model = ConsentEvent
        fields = ["action", "wording_version"]


class ConsentEventViewSet(ModelViewSet):
    model = ConsentEvent
    name = "updates_consentevent"
    url_prefix = "updates/consent-log"
    icon = "list-ul"
    menu_label = "Consent log"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["subscriber", "action", "at", "source", "wording_version", "method"]
    list_export = [
        "subscriber", "action", "at", "source", "wording_version", "method", "actor",
    ]  # fmt: skip
    export_filename = "consent-log"
    filterset_class = ConsentEventFilterSet
    search_fields = ["subscriber__email"]
    search_backend_name = None
    ordering = ["-at"]
    form_fields = ["subscriber"]  # no form is ever shown: adding is refused

    def get_queryset(self, request):
        return ConsentEvent.objects.select_related("subscriber", "actor")


class UpdatesViewSetGroup(ModelViewSetGroup):
    menu_label = "Updates"
    menu_icon = "mail"
    menu_order = 160
    items = (MailingViewSet, SubscriberViewSet, ConsentEventViewSet)


@hooks.register("register_admin_viewset")
def register_updates_viewsets():
    return UpdatesViewSetGroup()
