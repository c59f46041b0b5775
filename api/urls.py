"""The partner API at /api/v1/. Add an endpoint with one ``router.register`` line."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from . import me, viewsets
from .pledges import PledgeCountViewSet
from .stances import StanceViewSet
from .throttles import ApiRateThrottle
from .webhooks import views as webhooks

app_name = "api"

router = SimpleRouter()
# Addresses work with or without the final slash; the OpenAPI document names
# them without (the form linters and client generators expect).
router.trailing_slash = "/?"
router.register("people", viewsets.PersonViewSet, basename="person")
router.register(
    r"areas/(?P<area_gss>[^/.]+)/people",
    viewsets.AreaPeopleViewSet,
    basename="area-people",
)
router.register("areas", viewsets.AreaViewSet, basename="area")
router.register("roles", viewsets.RoleViewSet, basename="role")
router.register("elections", viewsets.ElectionViewSet, basename="election")
router.register("parties", viewsets.PartyViewSet, basename="party")
router.register("groups", viewsets.GroupViewSet, basename="group")
router.register("stances", StanceViewSet, basename="stance")
router.register("pledges", PledgeCountViewSet, basename="pledge")
router.register(
    r"webhooks/(?P<webhook_id>[^/.]+)/deliveries",
    webhooks.WebhookDeliveryViewSet,
    basename="webhook-deliveries",
)
router.register(
    r"webhooks/(?P<webhook_id>[^/.]+)/replays",
    webhooks.WebhookReplayViewSet,
    basename="webhook-replays",
)
router.register(
    r"webhooks/(?P<webhook_id>[^/.]+)/secrets",
    webhooks.WebhookSecretViewSet,
    basename="webhook-secrets",
)
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")

# The schema and its documentation page are public on purpose, and throttled
# like everything else.
OPEN = {
    "authentication_classes": [],
    "permission_classes": [AllowAny],
    "throttle_classes": [ApiRateThrottle],
}

# Views outside the router, by their path in the OpenAPI document.
VIEWS = {"/me": me.MeView}

urlpatterns = [
    path("", viewsets.ApiIndex.as_view(router=router, views=VIEWS), name="index"),
    path("schema/", SpectacularAPIView.as_view(**OPEN), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", **OPEN),
        name="docs",
    ),
    re_path(r"^me/?$", me.MeView.as_view(), name="me"),
    *router.urls,
    re_path(r"^.*$", viewsets.UnknownAddress.as_view(), name="unknown"),
]
