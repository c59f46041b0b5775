"""The "Partner API" menu in the Wagtail admin: partner organisations and keys.

A new key is shown once, on the page that follows its creation; only its hash is
kept. Revoking a key (editing it and ticking "revoked") cannot be undone.
"""

from django import forms
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import PartnerKey, PartnerOrganisation


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


class PartnerApiGroup(ModelViewSetGroup):
    menu_label = "Partner API"
    menu_icon = "key"
    menu_order = 250
    items = (PartnerOrganisationViewSet, PartnerKeyViewSet)


@hooks.register("register_admin_viewset")
def register_partner_api():
    return PartnerApiGroup()
