"""Search forms of /where-they-stand/: by postcode or by constituency name."""

from django import forms
from django.core.exceptions import ValidationError

from network.postcodes import EXAMPLE_POSTCODE, InvalidPostcode, normalise_postcode


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        help_text=f"For example, {EXAMPLE_POSTCODE}.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcode as error:
            raise ValidationError(str(error), code="invalid") from error


class ConstituencySearchForm(forms.Form):
    q = forms.CharField(
        label="Constituency name",
        max_length=100,
        min_length=2,
        help_text="All or part of the name, for example Blackburn.",
    )
