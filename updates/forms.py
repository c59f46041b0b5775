"""The public sign-up form."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from network import postcodes

from . import consent

# The consent statement in the reader's language (updates/consent.py marks it).
_lazy_gettext = gettext_lazy


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code; raises ValidationError."""
    if not (value or "").strip():
        return ""
    try:
        return postcodes.normalise_postcode(value)
    except postcodes.InvalidPostcode:
        raise forms.ValidationError(
            _("Enter a UK postcode, like SW1A 1AA, or leave it empty."),
            code="invalid_postcode",
        ) from None


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        max_length=10,
        required=False,
        help_text=_("So we can tell you about what is happening near you."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    consent = forms.BooleanField(
        label=_lazy_gettext(consent.wording(consent.CURRENT_VERSION)),
        required=True,
        error_messages={
            "required": _("Tick the box to agree, or we cannot email you.")
        },
    )
    wording_version = forms.CharField(widget=forms.HiddenInput, required=False)
    source_page = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A honeypot: hidden from people (and screen readers), filled in by bots.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("wording_version", consent.CURRENT_VERSION)
        super().__init__(*args, **kwargs)

    def clean_email(self):
        # Kept in lower case: addresses are matched that way everywhere (one
        # subscriber per address, "download my data", erasure).
        return self.cleaned_data["email"].strip().lower()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_wording_version(self):
        # The version of the statement the person saw when the page was rendered; an
        # unknown value (tampering, a very old page) falls back to the current one.
        version = self.cleaned_data.get("wording_version") or ""
        return version if consent.wording(version) else consent.CURRENT_VERSION

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ResendForm(forms.Form):
    """The button on an expired confirmation link's page."""
