"""Helpers for the site's one form pattern (templates/includes/forms/).

The includes lay a field out (label, hint, error, control); these filters give
them what Django's bound fields do not: the id an error summary links to, the
control rendered with the pattern's class, and an error message that names the
field when a library form only says "This field is required."
"""

from django import forms, template
from django.utils.translation import gettext

register = template.Library()

_CHOOSE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def error_anchor(field) -> str:
    """The id of the element a link to this field's error should move to: the
    control, or the first option of a set of radios or checkboxes."""
    return field.id_for_label or f"{field.auto_id}_0"


@register.filter
def control(field):
    """The field's widget with the pattern's class, after any class the form gave
    it, and without a placeholder: the label and hint say what to enter, and a
    placeholder would vanish as soon as someone types (allauth's forms set them).
    Django adds aria-invalid and aria-describedby (the hint's and the error's ids)
    itself."""
    own = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{own} form-control".strip(), "placeholder": False}
    return field.as_widget(attrs=attrs)


def _noun(label: str) -> str:
    """'Email address' -> 'email address'; 'TOTP code' stays as it is."""
    label = str(label).strip().rstrip(":")
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


@register.filter
def error_text(error, field=None) -> str:
    """The error as shown inline and in the summary. Django's catch-all "This field
    is required." tells nobody which field it means once it sits in a summary
    (forms from libraries, such as allauth's, use it): it becomes "Enter email
    address" or "Choose role". Every other message is the form's own."""
    error = str(error)
    if field is None or error != gettext("This field is required."):
        return error
    noun = _noun(field.label or field.name)
    if isinstance(field.field.widget, forms.CheckboxInput):
        return gettext("Tick the box to continue")
    if isinstance(field.field.widget, _CHOOSE_WIDGETS):
        return gettext("Choose %(noun)s") % {"noun": noun}
    return gettext("Enter %(noun)s") % {"noun": noun}
