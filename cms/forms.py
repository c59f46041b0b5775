"""The public registration form on each event page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.services import CONSENT_WORDING
from network.models import Area, AreaType


class RegistrationForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        label=_("Name"),
        error_messages={"required": _("Enter your name")},
    )
    email = forms.EmailField(
        max_length=254,
        label=_("Email"),
        help_text=_("We send your confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    area = forms.ModelChoiceField(
        label=_("Your council area (optional)"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Prefer not to say"),
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        max_length=2000,
        required=False,
        help_text=_(
            "Anything we should arrange so you can take part. Only the "
            "event's organisers see this."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_contact = forms.BooleanField(
        label=_(CONSENT_WORDING),
        required=False,  # noqa: INT001 - marked in services
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(
            area_type__in=[AreaType.LOCAL_AUTHORITY, AreaType.COUNTY]
        ).order_by("name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name"))
        return name
