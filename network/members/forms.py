"""Forms of the member area and of the admin's invitation and join-request views."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminModelForm

from network.models import (
    Area,
    AreaType,
    ContactKind,
    JoinRequest,
    Person,
    Visibility,
)
from network.models.validation import normalise_contact_value

from . import photos
from .photos import FORMATS_BY_EXTENSION
from .services import MAX_CONTACTS, TOO_MANY_CONTACTS

PHOTO_ACCEPT = ",".join(f".{ext}" for ext in FORMATS_BY_EXTENSION)


class ProfileForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    pronouns = forms.CharField(max_length=50, required=False)
    bio = forms.CharField(
        label="Short bio",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    public_profile = forms.BooleanField(
        label="Show me by name on the public site",
        required=False,
        help_text="Your public contacts appear there too. You can change this "
        "at any time.",
    )
    photo = forms.FileField(
        required=False,
        help_text="JPEG, PNG or WebP, at most 5 MB. We resize it and remove "
        "its metadata (such as where it was taken).",
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)


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
    kind = forms.ChoiceField(choices=ContactKind.choices)
    # A textarea: postal addresses span lines, which a one-line input would lose.
    value = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    label = forms.CharField(max_length=100, required=False)
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.COORDINATORS,
        help_text="Who may see this contact.",
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
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="The password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
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
    area = forms.ModelChoiceField(
        queryset=joinable_areas(),
        required=False,
        help_text="Your council or Westminster constituency, if any.",
    )

    class Meta:
        model = JoinRequest
        fields = ["name", "email", "role", "area", "statement"]
        labels = {"statement": "Why you want to join"}
        widgets = {"statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = joinable_areas()


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
