from django import template

from ..forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form(page=None):
    """A blank sign-up form that records ``page`` as where the sign-up came from."""
    return SignupForm(initial={"source_page": getattr(page, "pk", None)})
