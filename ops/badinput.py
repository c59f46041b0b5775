"""Requests carrying a NUL character are answered 400 before any view sees them.

PostgreSQL cannot store or compare text holding a NUL (psycopg refuses to send
it), so a NUL in an address, a query parameter or a header that reached a query
was a 500: ``/api/v1/people/a%00b/``, ``/search/?q=%00``, a session cookie. No
address, parameter or header of this site ever needs one, so the request is
refused here, once, rather than in every view: as JSON naming the parameter
under /api/ (the API's error shape), as a page elsewhere.

Form fields are left to Django's form validation, which refuses NUL and shows
the form again with what was typed; JSON bodies to the API are checked by its
parser (``api/parsers.py``).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

NUL = "\x00"
API_PREFIX = "/api/"
IN_VALUE = "This value contains a null character (%00), which is never valid."


def _header_name(meta_key: str) -> str:
    return meta_key.removeprefix("HTTP_").replace("_", "-").title()


def _in_path(request) -> dict | None:
    if NUL not in request.path_info:
        return None
    try:
        kwargs = resolve(request.path_info).kwargs
    except Resolver404:
        kwargs = {}
    names = [name for name, value in kwargs.items() if NUL in str(value)]
    if names:
        return {name: [IN_VALUE] for name in names}
    return {"detail": "The address contains a null character (%00)."}


def _in_query(request) -> dict | None:
    raw = request.META.get("QUERY_STRING", "")
    if "%00" not in raw and NUL not in raw:
        return None
    names = [
        name
        for name, values in request.GET.lists()
        if NUL in name or any(NUL in value for value in values)
    ]
    return {name: [IN_VALUE] for name in names} or None


def _in_headers(request) -> dict | None:
    for key, value in request.META.items():
        is_header = key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
        if is_header and NUL in str(value):
            return {
                "detail": f"The {_header_name(key)} header contains a null "
                "character (%00)."
            }
    return None


def null_character_problem(request) -> dict | None:
    """Where the request carries a NUL, as an API error body; None if nowhere."""
    return _in_path(request) or _in_query(request) or _in_headers(request)


def _sentences(problem: dict) -> list[str]:
    """The problem in words for the HTML page, naming each parameter."""
    if "detail" in problem:
        return [problem["detail"]]
    return [
        f"The value of '{name}' in the address contains a null character (%00)."
        for name in problem
    ]


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = null_character_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(problem, status=400)
        return render(
            request, "400.html", {"problems": _sentences(problem)}, status=400
        )
