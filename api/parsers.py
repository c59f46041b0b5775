"""The API's JSON parser: DRF's, plus a 400 for bodies no view could handle.

- Nesting deeper than ``MAX_DEPTH``: no request of this API nests more than a few
  levels, and a body nested 100,000 deep made the decoder raise RecursionError
  (a 500) before any view saw it.
- A NUL character or a lone surrogate (``"\\ud800"``) in any string or name:
  PostgreSQL cannot store a NUL, and a lone surrogate cannot be written as UTF-8,
  so an error message quoting one back could not be sent either.

Errors name the place in the body, as the views do (``contacts.0.kind``).
"""

import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

MAX_DEPTH = 32
# Keep an error answer short whatever the body holds.
MAX_PROBLEMS = 20
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

TOO_DEEP = f"The JSON body is nested more than {MAX_DEPTH} levels deep."


def _shown(text: str) -> str:
    """``text`` with each NUL or lone surrogate written as its escape, so the name
    can appear in an answer."""
    return UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _what(text: str) -> str:
    character = UNSTORABLE.search(text).group()
    if character == "\x00":
        return "a null character (\\u0000), which cannot be stored"
    return (
        f"a lone surrogate (\\u{ord(character):04x}), which is not a character "
        "and cannot be stored"
    )


def unstorable_strings(data) -> dict[str, list[str]]:
    """Each place in ``data`` holding a string or a name that cannot be stored.
    Raises ParseError when ``data`` is nested more than ``MAX_DEPTH`` deep.
    Walks with a list, not recursion, so depth cannot exhaust the stack."""
    problems: dict[str, list[str]] = {}
    pending = [(data, (), 0)]
    while pending and len(problems) < MAX_PROBLEMS:
        value, path, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ParseError(TOO_DEEP)
            if isinstance(value, dict):
                items = list(value.items())
            else:
                items = [(str(index), item) for index, item in enumerate(value)]
            for name, item in reversed(items):
                place = (*path, _shown(name))
                if UNSTORABLE.search(name):
                    problems[".".join(place)] = [f"This name contains {_what(name)}."]
                else:
                    pending.append((item, place, depth + 1))
        elif isinstance(value, str) and UNSTORABLE.search(value):
            problems[".".join(path) or "detail"] = [
                f"This value contains {_what(value)}."
            ]
    return problems


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        problems = unstorable_strings(data)
        if problems:
            raise ParseError(problems)
        return data


# What every endpoint of the API reads: DRF's defaults, with this JSON parser.
PARSERS = [StrictJSONParser, FormParser, MultiPartParser]
