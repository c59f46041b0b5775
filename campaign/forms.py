"""Search forms of /where-they-stand/: by postcode or by constituency name."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from network.postcodes import EXAMPLE_POSTCODE, InvalidPostcode, normalise_postcode


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=10,
        help_text=format_lazy(_("For example, {}."), EXAMPLE_POSTCODE),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as error:
            raise ValidationError(str(error), code="invalid") from error


class ConstituencySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Constituency name"),
        max_length=100,
        min_length=2,
        help_text=_("All or part of the name, for example Blackburn."),
    )


# ------------------------------------------------------------------ pledge and asks


class _PersonForm(forms.Form):
    """Name, email and postcode, in the site's form pattern."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email you a link to confirm. Nothing counts until you do."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address like name@example.org"),
        },
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("To find your constituency. We do not keep it."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
        error_messages={"required": _("Enter your postcode")},
    )
    # A honeypot: hidden from people (and screen readers), filled in by bots.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as error:
            raise ValidationError(
                _("Enter a UK postcode, like SW1A 1AA"), code="invalid"
            ) from error

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PledgeForm(_PersonForm):
    join_updates = forms.BooleanField(
        label=_("Email me updates from No Ceasefire No Vote too"),
        required=False,
        help_text=_(
            "One email confirms both. We then keep your postcode, to tell you "
            "what is happening near you. Unsubscribe at any time."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree"),
        required=True,
        error_messages={
            "required": _("Tick the box to agree, or we cannot count your pledge")
        },
    )
    wording_version = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "email", "postcode", "join_updates", "consent", "website"]

    def __init__(self, *args, wording=None, **kwargs):
        super().__init__(*args, **kwargs)
        if wording is not None:
            self.fields["consent"].label = wording.consent
            self.initial.setdefault("wording_version", wording.version)


class AskForm(_PersonForm):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=150,
        error_messages={"required": _("Enter a subject")},
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        help_text=_("Our suggested words: change them as you like."),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("Write your message")},
    )
    consent = forms.BooleanField(
        label=_(
            "Send my name, email address and message to this candidate, so they "
            "can reply to me"
        ),
        required=True,
        error_messages={"required": _("Tick the box, or we cannot send your message")},
    )

    field_order = [
        "name",
        "email",
        "postcode",
        "subject",
        "message",
        "consent",
        "website",
    ]
