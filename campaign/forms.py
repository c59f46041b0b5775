"""Search forms of /where-they-stand/: by postcode or by constituency name."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.postcodes import InvalidPostcode, normalise_postcode


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=10,
        help_text=_("For example, BB1 7DT."),
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
