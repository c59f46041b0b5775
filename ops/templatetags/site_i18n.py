"""Template tags for the site's languages: the switcher, hreflang alternates and
the ``<html lang dir>`` of every page (see ops/i18n.py)."""

from django import template
from django.utils import translation
from django.utils.html import format_html

from ops import i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Every language with this page's address in it (computed once per render)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    key = (getattr(page, "pk", None), translation.get_language())
    cached = getattr(request, "_language_links", {})
    if key not in cached:
        cached[key] = i18n.language_links(request, page)
        request._language_links = cached
    return cached[key]


@register.simple_tag
def current_language_tag():
    """``en-GB``, ``ur``, ...: for ``<html lang>``."""
    return i18n.language_tag(translation.get_language() or "en-gb")


@register.simple_tag
def current_language_dir():
    return "rtl" if translation.get_language_bidi() else "ltr"


@register.simple_tag
def og_locale():
    """OpenGraph's locale: ``en_GB``, ``ur``, ..."""
    return translation.to_locale(translation.get_language() or "en-gb")


@register.simple_tag
def lang_if_other(code):
    """`` lang="en-GB" dir="ltr"`` on an element whose words are in ``code`` when
    the page is in another language (an English fallback on an Urdu page), so
    screen readers and translation tools read it as what it is; nothing when it
    is the page's language. Empty ``code`` means English."""
    code = i18n.supported_language(code)
    if code == i18n.supported_language(translation.get_language()):
        return ""
    direction = "rtl" if code in i18n.RIGHT_TO_LEFT else "ltr"
    return format_html(' lang="{}" dir="{}"', i18n.language_tag(code), direction)
