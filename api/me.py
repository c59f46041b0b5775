"""``/api/v1/me/``: the signed-in member's own profile.

For network members signed in to the site (a session, as in the browser). Partner
keys cannot use it. Reads and writes go through the same services and validation
as the member area's "Edit my profile", and every saved change is recorded in the
profile history.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from network.members import services
from network.models import ChangeSource, ContactKind, Visibility
from network.visibility import own_contacts

from .authentication import PartnerKeyAuthentication
from .parsers import PARSERS
from .permissions import IsNetworkMember
from .renderers import FormatNegotiation
from .schema import ApiAutoSchema
from .throttles import ApiRateThrottle
from .viewsets import NO_OPTIONS


class MeContactList(serializers.ListSerializer):
    """Refuses an over-long list before validating each item, with the profile
    service's limit and words (the service checks again when it saves)."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > services.MAX_CONTACTS:
            raise serializers.ValidationError([services.TOO_MANY_CONTACTS])
        return super().to_internal_value(data)


class MeContactSerializer(serializers.Serializer):
    class Meta:
        list_serializer_class = MeContactList

    id = serializers.IntegerField(
        required=False, help_text="Leave out for a new contact."
    )
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    value = serializers.CharField(max_length=500)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, help_text="Who may see this contact."
    )


class MeRoleSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    area = serializers.CharField(allow_null=True)
    area_gss = serializers.CharField(allow_null=True)
    party = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class MePartySpellSerializer(serializers.Serializer):
    party = serializers.CharField(help_text="The party's name.")
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class MeSerializer(serializers.Serializer):
    """Your profile. Roles, party history and groups are read-only here:
    coordinators keep them."""

    version = serializers.CharField(
        read_only=True,
        help_text="Send it back (or as If-Match) to say which state you edited.",
    )
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    pronouns = serializers.CharField(max_length=50, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    public_profile = serializers.BooleanField(
        required=False, help_text="Whether you appear by name on the public site."
    )
    photo_url = serializers.CharField(read_only=True, allow_null=True)
    contacts = MeContactSerializer(
        many=True,
        required=False,
        max_length=services.MAX_CONTACTS,
        help_text="The complete list: contacts left out are removed. At most "
        f"{services.MAX_CONTACTS}.",
    )
    roles = MeRoleSerializer(many=True, read_only=True)
    party_history = MePartySpellSerializer(many=True, read_only=True)
    groups = serializers.ListField(
        read_only=True, child=serializers.CharField(), help_text="Group names."
    )


class MePatchSerializer(MeSerializer):
    version = serializers.CharField(
        required=False,
        help_text="The version you edited; or send it in an If-Match header.",
    )


class StaleEditSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.CharField(
        help_text="The profile's version now (also its ETag)."
    )
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="What the newer save changed.",
    )


WRITABLE = {"pronouns", "bio", "public_profile", "contacts", "version"}


def _profile(person) -> dict:
    contacts = own_contacts(person)
    return {
        "version": services.person_version(person),
        "slug": person.slug,
        "name": person.name,
        "pronouns": person.pronouns,
        "bio": person.bio,
        "public_profile": person.public_profile,
        "photo_url": person.photo.get_rendition("max-400x400").url
        if person.photo_id
        else None,
        "contacts": [
            {
                "id": c.pk,
                "kind": c.kind,
                "value": c.value,
                "label": c.label,
                "visibility": c.visibility,
            }
            for c in contacts.order_by("sort_order", "pk")
        ],
        "roles": [
            {
                "kind": r.kind,
                "title": r.title,
                "area": r.area.name if r.area_id else None,
                "area_gss": r.area.gss_code if r.area_id else None,
                "party": r.party.name if r.party_id else None,
                "start_date": r.start_date,
                "end_date": r.end_date,
            }
            for r in person.roles.select_related("area", "party").order_by(
                "sort_order", "pk"
            )
        ],
        "party_history": [
            {
                "party": a.party.name,
                "start_date": a.start_date,
                "end_date": a.end_date,
            }
            for a in person.affiliations.select_related("party").order_by(
                "sort_order", "pk"
            )
        ],
        "groups": [
            m.group.name
            for m in person.group_memberships.select_related("group").order_by(
                "group__name"
            )
        ],
    }


def _etag(version: str) -> str:
    return f'"{version}"'


def _if_match(request) -> str | None:
    header = request.headers.get("If-Match")
    if not header:
        return None
    return header.strip().removeprefix("W/").strip('"')


IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the profile you edited. A newer profile gets 412.",
)
CONFLICT = {
    401: OpenApiResponse(
        description="Not signed in (or a wrong, revoked or expired key)."
    ),
    403: OpenApiResponse(
        description="A partner key, or an account that is not a network member's "
        "or may not edit a profile."
    ),
    404: OpenApiResponse(description="Your account has no directory entry."),
}


class MeView(APIView):
    """Your own profile, for a network member signed in to the site.

    `GET` returns it with an `ETag`. `PATCH` changes pronouns, bio, public profile
    and contacts (the complete list; each with its visibility). Say which version
    you edited, either as `If-Match: "<version>"` (a newer profile answers 412
    Precondition Failed) or as `version` in the body (a newer profile answers 409
    Conflict); nothing is written then. Errors name the field, e.g.
    `contacts.1.value`. Partner keys cannot use this endpoint.
    """

    authentication_classes = [PartnerKeyAuthentication, SessionAuthentication]
    permission_classes = [IsNetworkMember]
    throttle_classes = [ApiRateThrottle]
    parser_classes = PARSERS
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    http_method_names = NO_OPTIONS
    schema = ApiAutoSchema()
    summaries = {"get": "Read your own profile", "patch": "Change your own profile"}

    def _person(self, request):
        if not request.user.has_perm("network.edit_own_profile"):
            raise PermissionDenied("Your account may not edit a profile.")
        person = request.user.person
        if person is None:
            raise NotFound("Your account is not linked to a directory entry.")
        return person

    def _answer(self, person, code=status.HTTP_200_OK):
        data = _profile(person)
        response = Response(data, status=code)
        response["ETag"] = _etag(data["version"])
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses={200: MeSerializer, **CONFLICT})
    def get(self, request):
        return self._answer(self._person(request))

    @extend_schema(
        request=MePatchSerializer,
        parameters=[IF_MATCH],
        responses={
            200: MeSerializer,
            **CONFLICT,
            409: OpenApiResponse(
                StaleEditSerializer,
                description="`version` names an older version: someone saved "
                "since. Nothing was saved.",
            ),
            412: OpenApiResponse(
                StaleEditSerializer,
                description="If-Match names an older version: someone saved since. "
                "Nothing was saved.",
            ),
        },
    )
    def patch(self, request):
        person = self._person(request)
        if not isinstance(request.data, dict):
            return Response(
                {"detail": "Send a JSON object."}, status=status.HTTP_400_BAD_REQUEST
            )
        unknown = sorted(set(request.data) - WRITABLE)
        if unknown:
            return Response(
                {name: ["This field cannot be changed here."] for name in unknown},
                status=status.HTTP_400_BAD_REQUEST,
            )
        serializer = MePatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if_match = _if_match(request)
        version = data.pop("version", None)
        if if_match is None and version is None:
            return Response(
                {
                    "version": [
                        "Say which version you edited: send `version` from GET, "
                        "or an If-Match header with its ETag."
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if "contacts" in data:
            data["contacts"] = [dict(item) for item in data["contacts"]]
        try:
            person = services.profile_update(
                person=person,
                data=data,
                actor=request.user,
                expected_version=if_match if if_match is not None else version,
                source=ChangeSource.MEMBER,
                channel="api",
            )
        except services.StaleEdit as stale:
            code = (
                status.HTTP_412_PRECONDITION_FAILED
                if if_match is not None
                else status.HTTP_409_CONFLICT
            )
            response = Response(
                {
                    "detail": "Someone else saved this profile after the version "
                    "you edited. Nothing was saved: fetch it again and reapply "
                    "your changes.",
                    "current_version": stale.current_version,
                    "changed_fields": stale.changed_fields,
                },
                status=code,
            )
            response["ETag"] = _etag(stale.current_version)
            return response
        except ValidationError as error:
            detail = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"detail": error.messages}
            )
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return self._answer(person)
