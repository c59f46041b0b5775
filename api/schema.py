"""OpenAPI document tweaks: only the partner API, its key scheme, and the error
answers every operation can give."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .filters import CodeFilter

ERROR_ANSWERS = {
    "400": "A parameter is unknown or has a value that matches nothing; the "
    "answer names it.",
    "401": "The key is wrong, revoked or expired.",
    "404": "Nothing has that identifier (or you may not see it).",
    "429": "Too many requests: wait the seconds in `Retry-After`.",
}


def only_partner_api(endpoints):
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "`detail` for a general error, else one entry per parameter.",
        "additionalProperties": True,
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, text in ERROR_ANSWERS.items():
                responses.setdefault(
                    code,
                    {
                        "description": text,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"}
                            }
                        },
                    },
                )
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
