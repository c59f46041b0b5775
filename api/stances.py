"""The stances endpoint of the partner API: where candidates stand on a ceasefire,
and recording what they said.

GET lists one row per candidacy with its derived position and the evidence; POST
adds one event to a candidacy's history through ``campaign.services.stance_record``.
What a caller sees of each event is decided by
``network.visibility.stance_event_fields``; coordination notes never appear.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaign.models import AskMethod, Position, StanceEvent, StanceKind
from campaign.selectors import (
    StanceState,
    candidacies_with_stance,
    filter_by_state,
)
from campaign.services import stance_record
from network.models import (
    Area,
    AreaType,
    Election,
    Party,
    Person,
    Role,
    RoleKind,
)
from network.visibility import (
    stance_event_fields,
    visible_candidacies,
    visible_people,
)

from .authentication import is_partner
from .filters import CodeFilter, _choice
from .serializers import (
    AreaBriefSerializer,
    CandidacyStanceSerializer,
    ElectionBriefSerializer,
    EvidenceSerializer,
    PartyBriefSerializer,
    _audience,
    _base_url,
    _brief,
    _d,
)
from .viewsets import ApiViewSet

# ------------------------------------------------------------------ filters


class StanceFilter(django_filters.FilterSet):
    """Candidacies by place, election, party and where they stand."""

    constituency = CodeFilter(
        field_name="area",
        help_text="GSS code of the constituency (or ward) stood in, e.g. E14001102.",
        **_choice(
            Area,
            "gss_code",
            "constituency or ward",
            area_type__in=(AreaType.CONSTITUENCY, AreaType.WARD),
        ),
    )
    region = CodeFilter(
        method="filter_region",
        help_text="GSS code of an English region or a nation, e.g. E12000002.",
        **_choice(
            Area,
            "gss_code",
            "region",
            area_type__in=(AreaType.REGION, AreaType.NATION),
        ),
    )
    election = CodeFilter(
        field_name="election",
        help_text="Democracy Club election id, e.g. parl.2024-07-04.",
        **_choice(Election, "election_id", "election"),
    )
    party = CodeFilter(
        field_name="party",
        help_text="Slug of the party stood for, e.g. labour-party.",
        **_choice(Party, "slug", "party"),
    )
    position = django_filters.ChoiceFilter(
        method="filter_position",
        choices=StanceState.choices,
        help_text=(
            "Where they stand now: ceasefire, refuses, unclear, no_reply (asked, "
            "no answer) or not_asked."
        ),
    )

    class Meta:
        model = Role
        fields = []

    def filter_region(self, queryset, name, area):
        return queryset.filter(Q(area__region=area) | Q(area__nation=area))

    def filter_position(self, queryset, name, value):
        return filter_by_state(queryset, value)


# ------------------------------------------------------------------ shapes


class StanceEventSerializer(serializers.Serializer):
    """One event in a candidacy's history. ``asked_by`` reaches network callers
    and coordinators only."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=StanceKind.choices)
    occurred_on = serializers.DateField(help_text="When it happened.")
    method = serializers.ChoiceField(
        choices=AskMethod.choices, required=False, allow_blank=True
    )
    position = serializers.ChoiceField(
        choices=Position.choices, required=False, allow_blank=True
    )
    quote = serializers.CharField(required=False, allow_blank=True)
    evidence_url = serializers.URLField(required=False, allow_blank=True)
    asked_by = serializers.CharField(
        required=False, allow_blank=True, help_text="Network and coordinators only."
    )

    def to_representation(self, event):
        fields = stance_event_fields(_audience(self))
        data = {"id": event.pk}
        for name in fields:
            value = getattr(event, name)
            data[name] = _d(value) if name == "occurred_on" else value
        return data


class CandidateSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="Their /people/ entry, when this caller may see it.",
    )


class StanceSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField(
        read_only=True, help_text="The candidacy's id: send it to record an event."
    )
    candidate = CandidateSerializer(read_only=True)
    party = PartyBriefSerializer(read_only=True, allow_null=True)
    election = ElectionBriefSerializer(read_only=True)
    constituency = AreaBriefSerializer(read_only=True)
    region = AreaBriefSerializer(read_only=True, allow_null=True)
    position = serializers.ChoiceField(
        choices=StanceState.choices,
        read_only=True,
        help_text="ceasefire, refuses, unclear, no_reply or not_asked.",
    )
    asked_count = serializers.IntegerField(
        read_only=True, help_text="Times asked or chased."
    )
    last_asked_on = serializers.DateField(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(
        read_only=True,
        allow_null=True,
        help_text="The event that set the current position.",
    )
    events = StanceEventSerializer(many=True, read_only=True)
    page_url = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="The constituency's public page (none for wards).",
    )

    def to_representation(self, role):
        base = _base_url(self)
        site = base.removesuffix("api/v1/")
        person = role.person
        visible = getattr(role, "person_listed", False)
        events = StanceEventSerializer(context=self.context)
        return {
            "candidacy": role.pk,
            "candidate": {
                "name": person.name,
                "url": f"{base}people/{person.slug}/" if visible else None,
            },
            "party": _brief(PartyBriefSerializer, role.party),
            "election": _brief(ElectionBriefSerializer, role.election),
            "constituency": _brief(AreaBriefSerializer, role.area),
            "region": _brief(AreaBriefSerializer, role.area.region),
            # position, asked_count, last_asked_on, evidence: as on people.
            **CandidacyStanceSerializer().to_representation(role),
            "events": [events.to_representation(e) for e in role.stance_events.all()],
            "page_url": (
                f"{site}where-they-stand/{role.area.slug}/"
                if role.area.area_type == AreaType.CONSTITUENCY
                else None
            ),
        }


class RecordedSerializer(serializers.Serializer):
    event = StanceEventSerializer(read_only=True)
    stance = StanceSerializer(read_only=True)


class StanceEventInput(StanceEventSerializer):
    candidacy = serializers.IntegerField(
        help_text="The candidacy's id, from this list or from /roles/."
    )


# ------------------------------------------------------------------ the endpoint


class StanceViewSet(ApiViewSet):
    """Where every candidate stands on a ceasefire, one row per candidacy.

    `position` is derived from the candidacy's history: the latest reply, change
    or correction that states a position; with none, `no_reply` once they were
    asked and `not_asked` before. `evidence` is the quote and the link behind that
    position; `events` is the whole history, with who asked only for network keys
    and signed-in members. Every candidacy is listed (candidacies are public
    record), whether or not the person has a public profile.

    Filter by `constituency`, `region`, `election`, `party` and `position`.

    POST records one event on a candidacy: `candidacy` (its id), `kind` (asked,
    chased, replied, changed, correction), `occurred_on`, and for asking a
    `method`, for a reply or change a `position`, a `quote` and an `evidence_url`
    (both required), for a correction the candidate's own words in `quote`.
    Allowed for coordinators signed in to the site and for keys of organisations
    with the stances write scope; the answer is 201 with the event and the
    candidacy's updated stance, or 400 naming each field at fault.
    """

    summaries = {
        "list": "List candidacies with where each candidate stands",
        "create": "Record a stance event on a candidacy",
    }
    serializer_class = StanceSerializer
    filterset_class = StanceFilter
    # Writes: coordinators, and keys of organisations holding the "stances"
    # write scope (api/permissions.py).
    partner_write_scope = "stances"
    csv_columns = [
        ("candidacy", lambda r: r["candidacy"]),
        ("candidate", lambda r: r["candidate"]["name"]),
        ("party", lambda r: (r["party"] or {}).get("name", "")),
        ("election", lambda r: r["election"]["election_id"]),
        ("constituency_code", lambda r: r["constituency"]["gss_code"]),
        ("constituency", lambda r: r["constituency"]["name"]),
        ("position", lambda r: r["position"]),
        ("asked_count", lambda r: r["asked_count"]),
        ("last_asked_on", lambda r: r["last_asked_on"]),
        ("quote", lambda r: (r["evidence"] or {}).get("quote", "")),
        ("evidence_url", lambda r: (r["evidence"] or {}).get("evidence_url", "")),
    ]
    csv_help = {
        "candidacy": "The candidacy's id: send it to record an event.",
        "constituency_code": "GSS code of the constituency (or ward).",
        "election": "Election id, e.g. `parl.2024-07-04`.",
        "position": "ceasefire, refuses, unclear, no_reply or not_asked.",
        "asked_count": "Times asked or chased.",
        "quote": "The words behind the current position.",
        "evidence_url": "Where anyone can check the quote.",
    }

    def get_queryset(self):
        candidacies = visible_candidacies(
            Role.objects.filter(kind=RoleKind.CANDIDATE), self.audience
        )
        return (
            candidacies_with_stance(candidacies)
            .annotate(
                # Whether the caller may look the person up in /people/.
                person_listed=Exists(
                    visible_people(
                        Person.objects.filter(pk=OuterRef("person_id")), self.audience
                    )
                )
            )
            .select_related("person", "party", "election", "area__region")
            .prefetch_related(
                Prefetch(
                    "stance_events",
                    queryset=StanceEvent.objects.order_by("occurred_on", "pk"),
                )
            )
            .order_by("area__name", "person__name", "pk")
        )

    @extend_schema(
        request=StanceEventInput,
        responses={
            201: RecordedSerializer,
            403: OpenApiResponse(
                description=(
                    "Signed in without coordinator rights, or a key whose "
                    "organisation lacks the stances write scope."
                )
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = StanceEventInput(data=request.data, context={"audience": self.audience})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        candidacy = (
            Role.objects.filter(kind=RoleKind.CANDIDATE, pk=values.pop("candidacy"))
            .select_related("person")
            .first()
        )
        if candidacy is None:
            raise ValidationError({"candidacy": ["No candidacy has this id."]})
        actor = None if is_partner(request) else request.user
        try:
            event = stance_record(
                candidacy=candidacy,
                actor=actor,
                **{k: v for k, v in values.items() if v is not None},
            )
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages}
            ) from error
        stance = self.get_queryset().get(pk=candidacy.pk)
        context = self.get_serializer_context()
        return Response(
            {
                "event": StanceEventSerializer(context=context).to_representation(
                    event
                ),
                "stance": StanceSerializer(context=context).to_representation(stance),
            },
            status=status.HTTP_201_CREATED,
        )
