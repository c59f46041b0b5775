"""Forms of the member area and of the admin's invitation and join-request views."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network.models import (
    Area,
    AreaType,
    ContactKind,
    JoinRequest,
    Person,
    RoleKind,
    Visibility,
)
from network.models.validation import normalise_contact_value

from . import photos, selectors
from .photos import FORMATS_BY_EXTENSION
from .services import MAX_CONTACTS, TOO_MANY_CONTACTS

PHOTO_ACCEPT = ",".join(f".{ext}" for ext in FORMATS_BY_EXTENSION)


class ProfileForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=50, required=False)
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    public_profile = forms.BooleanField(
        label=_("Show me by name on the public site"),
        required=False,
        help_text=_(
            "Your public contacts appear there too. You can change this at any time."
        ),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, at most 5 MB. We resize it and remove its metadata "
            "(such as where it was taken)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)


class PersonAdminForm(WagtailAdminModelForm):
    """The admin's person form. A coordinator uploads a person's photo here, and it
    is kept as a member's own upload is (checked, re-encoded, under a random
    private name): never chosen from the image library, whose files anyone may
    fetch and whose names are whatever the uploader called them."""

    photo_upload = forms.FileField(
        label="New photo",
        required=False,
        help_text="JPEG, PNG or WebP, at most 5 MB. It replaces the current photo.",
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_remove = forms.BooleanField(label="Remove the photo", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        photo = self.instance.photo if self.instance.photo_id else None
        if photo is not None:
            self.fields["photo_upload"].help_text = format_html(
                '<img src="{}" alt="The current photo" width="80"> {}',
                photo.get_rendition("max-165x165").url,
                self.fields["photo_upload"].help_text,
            )

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            photos.check_photo(upload)
        return upload

    def save(self, commit=True):
        old = self.instance.photo if self.instance.photo_id else None
        if self.cleaned_data.get("photo_upload"):
            self.instance.photo = photos.store_photo(self.cleaned_data["photo_upload"])
        elif self.cleaned_data.get("photo_remove"):
            self.instance.photo = None
        person = super().save(commit=commit)
        if commit and old is not None and person.photo_id != old.pk:
            if photos.is_profile_photo(old):
                old.delete()
        return person


class ContactForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    # A textarea: postal addresses span lines, which a one-line input would lose.
    value = forms.CharField(
        label=_("Value"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.COORDINATORS,
        help_text=_("Who may see this contact."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("value"):
            try:
                data["value"] = normalise_contact_value(data["kind"], data["value"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    self.add_error(None, error)
                else:
                    self.add_error("value", error)
        return data


class BaseContactFormSet(forms.BaseFormSet):
    # The service's own limit and words, so the form and the API say the same.
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": TOO_MANY_CONTACTS,
    }


ContactFormSet = forms.formset_factory(
    ContactForm,
    formset=BaseContactFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CONTACTS,
    validate_max=True,
)


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return data


def joinable_areas():
    return Area.objects.filter(
        area_type__in=(
            AreaType.CONSTITUENCY,
            AreaType.COUNTY,
            AreaType.LOCAL_AUTHORITY,
        )
    ).order_by("name")


class JoinRequestForm(forms.ModelForm):
    """Asking to join. The area is typed, not picked from a list of a thousand:
    the name (or part of it) is matched on the server, and when it fits several
    areas the form comes back asking which one. A browser with JavaScript also
    suggests names while the person types (static/js/site.js)."""

    area = forms.CharField(
        label=_("Your council or constituency (optional)"),
        max_length=200,
        required=False,
        help_text=_("Type its name, for example Leeds or Bristol Central."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    area_choice = forms.TypedChoiceField(
        label=_("Which one do you mean?"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = JoinRequest
        fields = ["name", "email", "role", "area", "statement"]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "role": _("What best describes you?"),
            "statement": _("Why you want to join"),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "role": forms.RadioSelect,
            "statement": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "email": _("A coordinator replies here."),
            "role": "",
            "statement": _("A few sentences: where you are active and what you do."),
        }
        error_messages = {
            "name": {"required": _("Enter your name")},
            "email": {
                "required": _("Enter your email address"),
                "invalid": _("Enter an email address like name@example.org"),
            },
            "role": {"required": _("Choose what you are")},
            "statement": {"required": _("Tell us why you want to join")},
        }

    field_order = ["name", "email", "role", "area", "area_choice", "statement"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = RoleKind.choices
        self.area_matches = []
        if self.is_bound:
            # The field's own checks first (length, no NUL), then the search.
            try:
                typed = self.fields["area"].clean(
                    self.data.get(self.add_prefix("area"))
                )
            except ValidationError:
                typed = ""
            if typed:
                self.area_matches = selectors.join_area_matches(typed)
        self.fields["area_choice"].choices = [
            (area.pk, selectors.join_area_label(area)) for area in self.area_matches
        ]

    @property
    def asks_which_area(self) -> bool:
        """Several areas fit what was typed: the form shows them to choose from."""
        return len(self.area_matches) > 1

    def clean(self):
        data = super().clean()
        typed = data.get("area") or ""
        chosen = data.pop("area_choice", None)
        if "area" not in data:  # the typed value was refused already
            return data
        if not typed:
            data["area"] = None
        elif len(self.area_matches) == 1:
            data["area"] = self.area_matches[0]
        elif not self.area_matches:
            self.add_error(
                "area",
                gettext(
                    "No council or constituency matches “%(typed)s”. Check the "
                    "spelling, or leave this empty."
                )
                % {"typed": typed},
            )
        elif chosen is not None:
            data["area"] = next(a for a in self.area_matches if a.pk == chosen)
        else:
            message = gettext("Choose which area “%(typed)s” means.") % {"typed": typed}
            if len(self.area_matches) >= selectors.JOIN_AREA_MATCH_LIMIT:
                message += " " + gettext(
                    "If yours is not among them, type more of its name."
                )
            self.add_error("area_choice", message)
            del data["area"]  # still only what was typed, not an area
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(help_text="The link is sent here; it works for 14 days.")


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and invite"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        label="Already in the directory as",
        help_text="Leave empty to create a new entry from the request.",
    )
