"""The OpenAPI document of the partner API: what each operation answers, errors
included, so that a strict validator accepts every real response and a client
generated from the document needs no hand edits.

- ``ApiAutoSchema`` (every view of the API uses it) adds the error answers each
  operation can give, declares CSV answers as text with their columns, and the
  ETag / 304 of conditional GETs.
- ``finish_document`` (a post-processing hook) gives paths without a trailing
  slash (the API answers both forms), marks every object closed
  (``additionalProperties: false``: a field that is not declared is never sent),
  and puts the partner's guide (templates/api/partner_guide.md) at the top.
"""

import copy

from django.conf import settings
from django.template.loader import render_to_string
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_basic_type,
    build_parameter_type,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .filters import CodeFilter
from .models import PartnerOrganisation
from .pagination import MAX_PAGE_SIZE
from .permissions import ReadOrWrite

# ------------------------------------------------------------------ error shapes

ERROR = {
    "type": "object",
    "description": "A problem that is not about one parameter or field.",
    "properties": {"detail": {"type": "string", "description": "What went wrong."}},
    "required": ["detail"],
}

FIELD_ERRORS = {
    "description": (
        "The messages for one parameter or field: a message, a list of messages, "
        "or an object: for a list, its items at fault by position "
        '(`{"1": {"value": ["..."]}}`); for an object, its fields\' messages.'
    ),
    "oneOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}},
        {"type": "object"},
    ],
}

VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "One entry per parameter or field at fault, named as you sent it "
        '(`{"area": ["No area has the gss code \'X\'."]}`, `contacts.1.value`), '
        "or `detail` when the problem is the request as a whole."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"$ref": "#/components/schemas/FieldErrors"},
}

# status: (what it means, the component its body follows; None: plain text)
ERRORS = {
    "400": (
        "A parameter or field is unknown or has a value that matches nothing, or "
        "a key was sent in the address: the answer names each one.",
        "ValidationError",
    ),
    "401": (
        "The key is wrong, revoked or expired, or the operation needs you to be "
        "signed in.",
        "Error",
    ),
    "403": (
        "Your key or account may not do this (see the operation's description).",
        "Error",
    ),
    "404": ("Nothing has that identifier, or your access does not reach it.", "Error"),
    "406": (
        "The `Accept` header asks for a format this operation does not give.",
        "Error",
    ),
    "413": (
        "The body is larger than the site takes from you (keys get less room "
        "than signed-in users). Refused before any of it is read, in plain text.",
        None,
    ),
    "415": (
        "The body is not JSON (`Content-Type: application/json`), a form or multipart.",
        "Error",
    ),
    "429": (
        "Too many requests for your rate: wait the seconds in `Retry-After`.",
        "Error",
    ),
}
ERROR_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "description": "`Api-Key`: the scheme to send the key with.",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "required": True,
            "schema": {"type": "integer"},
        }
    },
}
COMPONENTS = {
    "Error": ERROR,
    "ValidationError": VALIDATION_ERROR,
    "FieldErrors": FIELD_ERRORS,
}

ETAG_HEADERS = {
    "ETag": {
        "description": "A hash of this answer; send it back as `If-None-Match`. "
        "Every answer has one but a CSV list, which is streamed as it is read.",
        "required": False,
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the newest row in this answer last changed, if known.",
        "required": False,
        "schema": {"type": "string"},
    },
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": (
        "The `ETag` of an answer you kept: if nothing changed, the answer is "
        "304 Not Modified with no body."
    ),
    "schema": {"type": "string"},
}

MULTI_VALUE = "Columns holding several values separate them with `; `."


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's operation builder, with the answers it cannot see."""

    def get_summary(self):
        """``summaries`` on the view, by action (viewsets) or method (views)."""
        action = getattr(self.view, "action", None) or self.method.lower()
        return super().get_summary() or getattr(self.view, "summaries", {}).get(action)

    def _conditional(self) -> bool:
        """GETs of the viewsets answer with an ETag and honour If-None-Match."""
        return self.method == "GET" and hasattr(self.view, "conditional")

    def _component(self, name: str) -> dict:
        """A reference to an error shape, registered on first use."""
        needs = [name, "FieldErrors"] if name == "ValidationError" else [name]
        for each in needs:
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=each,
                    type=ResolvedComponent.SCHEMA,
                    schema=copy.deepcopy(COMPONENTS[each]),
                    object=f"api-error-{each}",
                )
            )
        return {"$ref": f"#/components/schemas/{name}"}

    def _error_codes(self) -> list[str]:
        """What the operation can answer besides success, whoever asks;
        extend_schema adds an operation's own (me: 403, 404, 409, 412)."""
        codes = ["400", "401", "406", "429"]
        if self._conditional():
            codes.append("404")  # no such record, or a page past the last
        if self.method != "GET":
            codes += ["403", "413", "415"]
        return codes

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method != "GET":  # writes answer JSON, whatever is asked for
            parameters = [p for p in parameters if p["name"] != "format"]
        for parameter in parameters:
            if parameter["name"] == "format":
                parameter["description"] = (
                    "`csv` for CSV (or send `Accept: text/csv`); JSON otherwise."
                )
        if self._conditional():
            parameters.append(IF_NONE_MATCH)
        return parameters

    def _csv_schema(self) -> dict:
        view = self.view
        columns = "\n".join(
            f"- `{name}`: {view.csv_help[name]}"
            if name in view.csv_help
            else f"- `{name}`"
            for name, _ in view.csv_columns
        )
        rows = (
            "every matching row, not a page" if self._is_list_view() else "this one row"
        )
        return {
            "type": "string",
            "description": (
                f"CSV in UTF-8: a header line, then {rows}. {MULTI_VALUE} Cells "
                "that a spreadsheet would run as a formula start with `'`. "
                f"Columns:\n\n{columns}"
            ),
        }

    def _success_text(self, code: str, content: dict) -> str:
        if code == "201":
            return "Created."
        if self.method != "GET" or not hasattr(self.view, "conditional"):
            return "OK."
        csv = "text/csv" in content
        if self._is_list_view():
            return "A page of rows" + (
                ", or every matching row as CSV." if csv else "."
            )
        return "The record" + (", or its one row as CSV." if csv else ".")

    def get_auth(self):
        """Reads are open to callers without a key or session, at a lower rate
        and with less to see (an empty requirement says so)."""
        auth = super().get_auth()
        reads_for_all = ReadOrWrite in getattr(self.view, "permission_classes", [])
        if self.method == "GET" and reads_for_all and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET" and self._is_list_view():
            for serializer in getattr(self._get_paginator(), "schema_components", ()):
                self.resolve_serializer(serializer, "response")
        for code, response in responses.items():
            content = response.get("content", {})
            if "text/csv" in content:
                if self.method == "GET" and code == "200":
                    content["text/csv"] = {"schema": self._csv_schema()}
                else:  # errors and writes are JSON whatever was asked for
                    del content["text/csv"]
            if code < "300" and not response.get("description"):
                response["description"] = self._success_text(code, content)
        if self._conditional():
            responses["200"]["headers"] = {
                **responses["200"].get("headers", {}),
                **ETAG_HEADERS,
            }
            responses["304"] = {
                "description": "Not Modified: the `If-None-Match` you sent is the "
                "current `ETag`. No body.",
                "headers": {"ETag": {**ETAG_HEADERS["ETag"], "required": True}},
            }
        for code in self._error_codes():
            text = ERRORS[code][0]
            if code == "404" and self._conditional() and self._is_list_view():
                text = "`page` is past the last page" + (
                    ", or nothing has the identifier in the address."
                    if "{" in self.path
                    else "."
                )
            responses.setdefault(code, {"description": text})
        for code, response in responses.items():
            if code < "400":
                continue
            if "content" not in response:
                shape = ERRORS.get(code, (None, "Error"))[1]
                response["content"] = (
                    {"application/json": {"schema": self._component(shape)}}
                    if shape
                    else {"text/plain": {"schema": {"type": "string"}}}
                )
            if code in ERROR_HEADERS:
                response["headers"] = {
                    **response.get("headers", {}),
                    **ERROR_HEADERS[code],
                }
        return dict(sorted(responses.items()))


# ------------------------------------------------------------------ the document


def only_partner_api(endpoints):
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


def _close_objects(schema) -> None:
    """``additionalProperties: false`` on every object that lists its properties
    and says nothing else about extra ones."""
    if isinstance(schema, list):
        for item in schema:
            _close_objects(item)
        return
    if not isinstance(schema, dict):
        return
    types = schema.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if is_object and "properties" in schema:
        schema.setdefault("additionalProperties", False)
    for value in schema.values():
        if isinstance(value, dict | list):
            _close_objects(value)


def _guide(request) -> str:
    """The partner's guide, with this site's rates and contact. Rendered without
    the request's context processors: the document never needs the database."""
    return render_to_string(
        "api/partner_guide.md",
        {
            "contact": settings.API_CONTACT_EMAIL,
            "anon_rate": settings.API_THROTTLE_ANON,
            "user_rate": settings.API_THROTTLE_USER,
            "key_rate": PartnerOrganisation._meta.get_field("rate_limit").default,
            "settle_seconds": settings.API_SYNC_SETTLE_SECONDS,
            "max_page_size": MAX_PAGE_SIZE,
            "base": request.build_absolute_uri("/api/v1") if request else "/api/v1",
        },
    ).strip()


def finish_document(result, generator, request, public):
    paths = result.get("paths", {})
    result["paths"] = {
        (path.rstrip("/") or "/"): operations for path, operations in paths.items()
    }
    _close_objects(result.get("components", {}).get("schemas", {}))
    info = result.setdefault("info", {})
    info["description"] = _guide(request)
    if settings.API_CONTACT_EMAIL:
        info["contact"] = {
            "name": "The network's coordinators",
            "email": settings.API_CONTACT_EMAIL,
        }
    info["license"] = {
        "name": "GNU Affero General Public License v3.0 or later",
        "identifier": "AGPL-3.0-or-later",
    }
    return result


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <your key>`. Keys in the address are refused.",
        }


class ApiFilters(DjangoFilterExtension):
    """Records named by a code or slug are strings in the address, whatever their
    primary key is."""

    target_class = "api.filters.StrictFilterBackend"
    priority = 1

    def resolve_filter_field(
        self, auto_schema, model, filterset_class, field_name, filter_field
    ):
        if isinstance(filter_field, CodeFilter):
            return [
                build_parameter_type(
                    name=field_name,
                    required=False,
                    location=OpenApiParameter.QUERY,
                    description=filter_field.extra.get("help_text", ""),
                    schema=build_basic_type(OpenApiTypes.STR),
                )
            ]
        return super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
