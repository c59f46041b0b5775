"""The "Partner API" menu in the Wagtail admin: partner organisations and keys,
webhook endpoints and their delivery log.

A new key is shown once, on the page that follows its creation; only its hash is
kept. Revoking a key (editing it and ticking "revoked") cannot be undone. A new
webhook endpoint's signing secret is shown once in the same way. Saving a
delivery from the log sends it again, with the same webhook-id.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import PartnerKey, PartnerOrganisation
from .webhooks import services as webhook_services
from .webhooks import targets as webhook_targets
from .webhooks.models import EventType, WebhookDelivery, WebhookEndpoint


class PartnerOrganisationViewSet(ModelViewSet):
    model = PartnerOrganisation
    name = "partner_organisations"
    icon = "group"
    menu_label = "Partner organisations"
    add_to_admin_menu = False
    list_display = ["name", "scope", "rate_limit", "contact_email"]
    list_filter = ["scope"]
    search_fields = ["name", "contact_name", "contact_email"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("rate_limit")]),
        FieldPanel("may_record_stances"),
        FieldPanel("notes"),
    ]


class PartnerKeyCreateView(generic.CreateView):
    """Creates the key, then shows it once instead of redirecting."""

    def save_instance(self):
        self.new_key = PartnerKey.objects.assign_key(self.form.instance)
        return super().save_instance()

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "api/partner_key_created.html",
            {
                "key": self.new_key,
                "partner_key": self.object,
                "index_url": self.get_success_url(),
                "page_title": "New partner key",
                "header_icon": "key",
            },
        )
        # The key must never be kept by a browser or proxy cache.
        response["Cache-Control"] = "no-store"
        return response


class PartnerKeyEditForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.revoked and "revoked" in self.fields:
            self.fields["revoked"].disabled = True


class PartnerKeyViewSet(ModelViewSet):
    model = PartnerKey
    name = "partner_keys"
    icon = "key"
    menu_label = "Partner keys"
    add_to_admin_menu = False
    add_view_class = PartnerKeyCreateView
    list_display = [
        "name",
        Column("organisation", label="Organisation"),
        Column("prefix", label="Starts with"),
        DateColumn("created", label="Created"),
        DateColumn("expiry_date", label="Expires"),
        DateColumn("last_used_at", label="Last used"),
        Column("status", label="Status"),
    ]
    list_filter = ["organisation", "revoked"]
    search_fields = ["name", "prefix"]
    form_fields = ["organisation", "name", "expiry_date", "revoked"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("expiry_date"),
        FieldPanel("revoked"),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        if not for_update:
            return form_class
        return type("PartnerKeyEditForm", (PartnerKeyEditForm, form_class), {})


# ------------------------------------------------------------------ webhooks


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The events sent to this address.",
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhook_targets.check(url)
        except webhook_targets.TargetRefused as refused:
            raise ValidationError(str(refused)) from None
        return url


class WebhookEndpointCreateView(generic.CreateView):
    """Creates the endpoint through the service, then shows its secret once."""

    def save_instance(self):
        data = self.form.cleaned_data
        endpoint, self.secret = webhook_services.endpoint_create(
            organisation=data["organisation"],
            url=data["url"],
            event_types=list(data["event_types"]),
            description=data.get("description", ""),
        )
        return endpoint

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "api/webhook_secret_created.html",
            {
                "secret": self.secret,
                "endpoint": self.object,
                "index_url": self.get_success_url(),
                "page_title": "New webhook endpoint",
                "header_icon": "key",
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class WebhookEndpointEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return webhook_services.endpoint_update(
            endpoint=self.form.instance,
            data={
                "url": data["url"],
                "description": data.get("description", ""),
                "event_types": list(data["event_types"]),
                "enabled": data["enabled"],
            },
        )


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    icon = "link"
    menu_label = "Webhook endpoints"
    add_to_admin_menu = False
    add_view_class = WebhookEndpointCreateView
    edit_view_class = WebhookEndpointEditView
    list_display = [
        "url",
        Column("organisation", label="Organisation"),
        Column("enabled", label="Enabled"),
        DateColumn("failing_since", label="Failing since"),
        Column("disabled_reason", label="Why disabled"),
    ]
    list_filter = ["organisation", "enabled"]
    search_fields = ["url", "description"]
    form_fields = ["organisation", "url", "description", "event_types", "enabled"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("url"),
        FieldPanel("description"),
        FieldPanel("event_types"),
        FieldPanel("enabled"),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("WebhookEndpointForm", (WebhookEndpointForm, form_class), {})


class WebhookDeliveryReplayView(generic.EditView):
    """A delivery's "edit" page replays it: the form has nothing to change."""

    page_title = "Replay delivery"
    submit_button_label = "Send again"
    success_message = "Queued again, with the same webhook-id: %(object)s"

    def save_instance(self):
        return webhook_services.delivery_replay(delivery=self.form.instance)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    add_to_admin_menu = False
    edit_view_class = WebhookDeliveryReplayView
    inspect_view_enabled = True
    list_display = [
        Column("event", label="Event"),
        Column("endpoint", label="Endpoint"),
        Column("status", label="Status"),
        Column("attempts", label="Attempts"),
        Column("response_status", label="Answer"),
        Column("last_error", label="Last error"),
        DateColumn("created_at", label="Created"),
        DateColumn("last_attempt_at", label="Last attempt"),
    ]
    list_filter = ["status", "endpoint"]
    form_fields = []
    panels = []

    def get_queryset(self, request):
        return WebhookDelivery.objects.select_related(
            "event", "endpoint", "endpoint__organisation"
        )


class PartnerApiGroup(ModelViewSetGroup):
    menu_label = "Partner API"
    menu_icon = "key"
    menu_order = 250
    items = (
        PartnerOrganisationViewSet,
        PartnerKeyViewSet,
        WebhookEndpointViewSet,
        WebhookDeliveryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_partner_api():
    return PartnerApiGroup()
