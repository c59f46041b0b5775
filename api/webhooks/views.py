"""The partners' own webhook endpoints, under /api/v1/webhooks/. A key manages
its organisation's endpoints only; coordinators manage every organisation's in
the admin (Partner API > Webhook endpoints)."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..permissions import IsPartnerKey
from ..schema import ApiAutoSchema
from ..viewsets import ApiViewSet, DetailMixin
from . import services
from .models import DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint


def _dt(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def _own(queryset, public_id: str) -> WebhookEndpoint:
    """The endpoint with this id among the caller's; 404 for anything else,
    an id that is not a UUID included."""
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(queryset, public_id=wanted)


def _drf_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"detail": " ".join(error.messages)})


# ------------------------------------------------------------------ shapes


class WebhookEndpointSerializer(serializers.Serializer):
    """An endpoint: where events go, and which."""

    id = serializers.UUIDField(read_only=True)
    url = serializers.URLField(
        max_length=500,
        help_text="Where events are posted: https, on a public address (not a "
        "private, loopback or link-local network).",
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        required=False,
        help_text="The events to send; every type when left out.",
    )
    enabled = serializers.BooleanField(
        required=False,
        help_text="False stops sending; events wait, and go out when it is true "
        "again. The site sets it to false after days of failed deliveries.",
    )
    disabled_reason = serializers.CharField(read_only=True)
    failing_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When deliveries began failing with no success since.",
    )
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)

    def to_representation(self, endpoint):
        return {
            "id": str(endpoint.public_id),
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": list(endpoint.event_types),
            "enabled": endpoint.enabled,
            "disabled_reason": endpoint.disabled_reason,
            "failing_since": _dt(endpoint.failing_since),
            "created": _dt(endpoint.created_at),
            "modified": _dt(endpoint.updated_at),
        }


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_...`). Shown this once: keep it.",
    )


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(
        read_only=True, help_text="The new signing secret. Shown this once."
    )
    previous_secret_expires = serializers.DateTimeField(
        read_only=True,
        help_text="Until then deliveries carry a signature with the old secret "
        "too, so your receiver can switch over without missing one.",
    )


class WebhookDeliverySerializer(serializers.Serializer):
    """One event sent (or to be sent) to one endpoint."""

    id = serializers.CharField(
        read_only=True,
        help_text="The `webhook-id` header: the same on every attempt and replay.",
    )
    type = serializers.ChoiceField(choices=EventType.choices, read_only=True)
    person_id = serializers.UUIDField(
        read_only=True, allow_null=True, help_text="The person it is about, if any."
    )
    status = serializers.ChoiceField(
        choices=DeliveryStatus.choices,
        read_only=True,
        help_text="`skipped`: nothing in it your access may see.",
    )
    attempts = serializers.IntegerField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    last_attempt = serializers.DateTimeField(read_only=True, allow_null=True)
    next_attempt = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="While waiting or retrying."
    )
    delivered = serializers.DateTimeField(read_only=True, allow_null=True)
    response_status = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Your receiver's last answer."
    )
    last_error = serializers.CharField(read_only=True)

    def to_representation(self, delivery):
        waiting = delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.RETRY)
        return {
            "id": delivery.message_id,
            "type": delivery.event.type,
            "person_id": (
                str(delivery.event.person_public_id)
                if delivery.event.person_public_id
                else None
            ),
            "status": delivery.status,
            "attempts": delivery.attempts,
            "created": _dt(delivery.created_at),
            "last_attempt": _dt(delivery.last_attempt_at),
            "next_attempt": _dt(delivery.next_attempt_at) if waiting else None,
            "delivered": _dt(delivery.delivered_at),
            "response_status": delivery.response_status,
            "last_error": delivery.last_error,
        }


class ReplayInput(serializers.Serializer):
    deliveries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=500,
        help_text="The ids (`msg_...`) of the deliveries to send again.",
    )
    status = serializers.ChoiceField(
        choices=[DeliveryStatus.FAILED, DeliveryStatus.RETRY],
        required=False,
        help_text="Or: every delivery of this endpoint in this state.",
    )

    def validate(self, attrs):
        if bool(attrs.get("deliveries")) == bool(attrs.get("status")):
            raise ValidationError(
                {"detail": "Send either `deliveries` or `status`, not both."}
            )
        return attrs


class ReplayedSerializer(serializers.Serializer):
    replayed = WebhookDeliverySerializer(many=True, read_only=True)


# ------------------------------------------------------------------ views


class WebhookSchema(ApiAutoSchema):
    """Partner keys only: anyone else gets 403 (or 401 without credentials)."""

    def _error_codes(self):
        codes = super()._error_codes()
        if "{" in self.path and "404" not in codes:
            codes.append("404")  # not one of your endpoints
        if "403" not in codes:
            codes.append("403")  # signed in, but not with a partner key
        if not getattr(self.view, "reads_body", True):
            codes.remove("415")  # the body is not read
        return codes

    def get_auth(self):
        return [{"PartnerKey": []}]


class PartnerOwnedViewSet(ApiViewSet):
    permission_classes = [IsPartnerKey]
    renderer_classes = [JSONRenderer]
    schema = WebhookSchema()

    def endpoints(self):
        if getattr(self, "swagger_fake_view", False):  # building the document
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(
            organisation=self.request.auth.organisation
        )


class WebhookViewSet(DetailMixin, PartnerOwnedViewSet):
    """Your organisation's webhook endpoints: addresses the site posts events to
    as they happen, so your copy stays current without polling.

    Events: `person.created`, `person.updated`, `person.removed` (deleted, or out
    of your view), `stance.recorded`, `pledge.counts_changed`. Each carries what
    your key may read and nothing more. Deliveries follow the Standard Webhooks
    specification: verify the `webhook-signature` header with the secret you get
    when creating the endpoint, and use `webhook-id` to ignore a delivery you
    have already handled (a delivery can arrive twice, never with a new id).
    Only partner keys may use these operations."""

    summaries = {
        "list": "List your webhook endpoints",
        "create": "Register a webhook endpoint",
        "retrieve": "Read one webhook endpoint",
        "partial_update": "Change a webhook endpoint",
        "destroy": "Delete a webhook endpoint",
    }
    http_method_names = ["get", "post", "patch", "delete", "head"]
    serializer_class = WebhookEndpointSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"

    def get_queryset(self):
        return self.endpoints().order_by("created_at", "pk")

    def get_object(self):
        return _own(self.get_queryset(), self.kwargs["id"])

    @extend_schema(
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = WebhookEndpointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            endpoint, secret = services.endpoint_create(
                organisation=request.auth.organisation,
                url=values["url"],
                event_types=values.get("event_types"),
                description=values.get("description", ""),
            )
        except DjangoValidationError as error:
            raise _drf_errors(error) from error
        if values.get("enabled") is False:
            services.endpoint_update(endpoint=endpoint, data={"enabled": False})
        body = {**WebhookEndpointSerializer().to_representation(endpoint)}
        body["secret"] = secret
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=WebhookEndpointSerializer)
    def partial_update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        data = WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        try:
            services.endpoint_update(endpoint=endpoint, data=data.validated_data)
        except DjangoValidationError as error:
            raise _drf_errors(error) from error
        return Response(WebhookEndpointSerializer().to_representation(endpoint))

    @property
    def reads_body(self) -> bool:
        return self.action != "destroy"

    def destroy(self, request, *args, **kwargs):
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


WEBHOOK_ID = OpenApiParameter(
    "webhook_id",
    str,
    OpenApiParameter.PATH,
    description="The endpoint's `id`.",
)


class EndpointChildMixin:
    def endpoint(self) -> WebhookEndpoint:
        if not hasattr(self, "_endpoint"):
            self._endpoint = _own(self.endpoints(), self.kwargs["webhook_id"])
        return self._endpoint


class DeliveryStatusFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            WEBHOOK_ID,
            OpenApiParameter(
                "status",
                str,
                enum=DeliveryStatus.values,
                description="Only deliveries in this state.",
            ),
        ]
    )
)
class WebhookDeliveryViewSet(EndpointChildMixin, PartnerOwnedViewSet):
    """The delivery log of one endpoint, newest first: each event sent (or
    waiting), how many attempts it took, and your receiver's last answer.
    Failed deliveries can be sent again through `replays`."""

    summaries = {"list": "List an endpoint's deliveries"}
    http_method_names = ["get", "head"]
    serializer_class = WebhookDeliverySerializer
    filter_backends = []

    def get_queryset(self):
        queryset = (
            WebhookDelivery.objects.filter(endpoint=self.endpoint())
            .select_related("event")
            .order_by("-created_at", "-pk")
        )
        wanted = DeliveryStatusFilter(data=self.request.query_params)
        wanted.is_valid(raise_exception=True)
        if wanted.validated_data.get("status"):
            queryset = queryset.filter(status=wanted.validated_data["status"])
        return queryset


def _delivery_ids(values: list[str]) -> list:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value.removeprefix("msg_")))
        except ValueError:
            raise ValidationError(
                {"deliveries": [f"Not a delivery id: {value[:40]}"]}
            ) from None
    return found


@extend_schema_view(create=extend_schema(parameters=[WEBHOOK_ID]))
class WebhookReplayViewSet(EndpointChildMixin, PartnerOwnedViewSet):
    """Send deliveries again, with their original `webhook-id`: the ones you
    name, or every failed one (`{"status": "failed"}`) once your receiver works
    again. Answers 202: they are queued, not yet sent."""

    summaries = {"create": "Replay deliveries"}
    http_method_names = ["post"]

    @extend_schema(request=ReplayInput, responses={202: ReplayedSerializer})
    def create(self, request, *args, **kwargs):
        endpoint = self.endpoint()  # 404 before any complaint about the body
        data = ReplayInput(data=request.data)
        data.is_valid(raise_exception=True)
        deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
        if data.validated_data.get("status"):
            chosen = deliveries.filter(status=data.validated_data["status"])
        else:
            ids = _delivery_ids(data.validated_data["deliveries"])
            chosen = deliveries.filter(public_id__in=ids)
            if chosen.count() != len(set(ids)):
                raise ValidationError(
                    {"deliveries": ["Some ids name no delivery of this endpoint."]}
                )
        replayed = [
            services.delivery_replay(delivery=delivery)
            for delivery in chosen.select_related("event").order_by("pk")[:500]
        ]
        return Response(
            {
                "replayed": [
                    WebhookDeliverySerializer().to_representation(d) for d in replayed
                ]
            },
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema_view(create=extend_schema(parameters=[WEBHOOK_ID]))
class WebhookSecretViewSet(EndpointChildMixin, PartnerOwnedViewSet):
    """Rotate an endpoint's signing secret. The answer holds the new secret,
    shown this once; for a grace period deliveries are signed with the old and
    the new secret, so switch your receiver over within it."""

    summaries = {"create": "Rotate the signing secret"}
    http_method_names = ["post"]
    reads_body = False

    @extend_schema(request=None, responses={201: WebhookSecretSerializer})
    def create(self, request, *args, **kwargs):
        endpoint = self.endpoint()
        secret = services.endpoint_rotate_secret(endpoint=endpoint)
        response = Response(
            {
                "secret": secret,
                "previous_secret_expires": _dt(endpoint.previous_secret_expires_at),
            },
            status=status.HTTP_201_CREATED,
        )
        response["Cache-Control"] = "no-store"
        return response
