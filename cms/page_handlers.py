"""What a page shows beyond its own fields, and what its sub-addresses answer.

A page model knows its fields, its template and which addresses it answers
(Wagtail's routable pages). Filling its template with listings, or answering a
form, a calendar or a feed, needs the selectors, forms and services, and those
import the models. So the models never import them: ``cms.views`` registers a
handler here for each page class when the app is ready (``CmsConfig.ready``), and
the models look the handler up. Each import then points one way only:

    views -> selectors, services, forms -> models -> page_handlers
    views -> page_handlers

This module imports nothing from the project.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

ContextHandler = Callable[..., dict]
RouteHandler = Callable[..., object]

_contexts: dict[type, ContextHandler] = {}
_routes: dict[tuple[type, str], RouteHandler] = {}


def context(page_class: type) -> Callable[[ContextHandler], ContextHandler]:
    """Register ``handler(request, page) -> dict``: what the page's template gets
    on top of Wagtail's own context."""

    def register(handler: ContextHandler) -> ContextHandler:
        _contexts[page_class] = handler
        return handler

    return register


def route(page_class: type, name: str) -> Callable[[RouteHandler], RouteHandler]:
    """Register ``handler(request, page) -> HttpResponse`` for the page's route
    ``name`` (the routable page's method of that name calls ``respond``)."""

    def register(handler: RouteHandler) -> RouteHandler:
        _routes[(page_class, name)] = handler
        return handler

    return register


def extra_context(page, request) -> dict:
    for cls in type(page).__mro__:
        if cls in _contexts:
            return _contexts[cls](request, page)
    return {}


def respond(page, name: str, request):
    for cls in type(page).__mro__:
        if (cls, name) in _routes:
            return _routes[(cls, name)](request, page)
    raise ImproperlyConfigured(
        f"{type(page).__name__} has no handler for its {name!r} route "
        "(cms.views registers them when the cms app is ready)."
    )
