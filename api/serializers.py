"""The shapes the partner API returns.

The fields declared here are the contract (they make the OpenAPI document); the
hand-written ``to_representation`` methods fill them straight from the prefetched
rows, because DRF's generic field machinery costs more than the database for a
page of people. tests/api/test_schema.py checks every response against the
declared shapes.

What a caller may see comes from network/visibility.py: contacts arrive already
narrowed by the queryset, and fields it restricts are left out.
"""

from datetime import date, datetime

from rest_framework import serializers

from campaign.selectors import StanceState, state_for
from network.models import Area, Election, Group, Party
from network.visibility import Audience, may_see_field


def _dt(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _audience(serializer) -> Audience:
    return serializer.context.get("audience", Audience.PUBLIC)


def _base_url(serializer) -> str:
    """The API's absolute root, worked out once per request."""
    context = serializer.context
    base = context.get("_api_base")
    if base is None:
        request = context.get("request")
        base = request.build_absolute_uri("/api/v1/") if request else "/api/v1/"
        context["_api_base"] = base
    return base


# ------------------------------------------------------------------ brief shapes


class AreaBriefSerializer(serializers.Serializer):
    gss_code = serializers.CharField(read_only=True, help_text="ONS GSS code.")
    name = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(
        choices=Area._meta.get_field("area_type").choices, read_only=True
    )

    def to_representation(self, area):
        return {"gss_code": area.gss_code, "name": area.name, "type": area.area_type}


class ElectionBriefSerializer(serializers.Serializer):
    election_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)

    def to_representation(self, election):
        return {
            "election_id": election.election_id,
            "name": election.name,
            "date": _d(election.date),
        }


class PartyBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)

    def to_representation(self, party):
        return {"slug": party.slug, "name": party.name}


class GroupBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)

    def to_representation(self, group):
        return {"slug": group.slug, "name": group.name}


def _brief(serializer_class, obj):
    return None if obj is None else serializer_class.to_representation(None, obj)


# ------------------------------------------------------------------ people


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField(
        read_only=True, help_text="replied, changed or correction."
    )
    occurred_on = serializers.DateField(read_only=True)
    quote = serializers.CharField(read_only=True, help_text="The candidate's words.")
    evidence_url = serializers.CharField(
        read_only=True, help_text="Where anyone can check the quote."
    )


class CandidacyStanceSerializer(serializers.Serializer):
    """Where a candidate stands on a ceasefire, derived from the events recorded
    on the candidacy (details and history: /api/v1/stances/)."""

    position = serializers.ChoiceField(
        choices=StanceState.choices,
        read_only=True,
    )
    asked_count = serializers.IntegerField(
        read_only=True, help_text="Times asked or chased."
    )
    last_asked_on = serializers.DateField(read_only=True, allow_null=True)
    evidence = EvidenceSerializer(
        read_only=True,
        allow_null=True,
        help_text="The quote and link behind the current position.",
    )

    def to_representation(self, role):
        return {
            "position": state_for(role.current_position, role.asked_count).value,
            "asked_count": role.asked_count,
            "last_asked_on": _d(role.last_asked_on),
            "evidence": (
                {
                    "kind": role.position_kind,
                    "occurred_on": _d(role.position_on),
                    "quote": role.position_quote,
                    "evidence_url": role.position_evidence_url,
                }
                if role.current_position
                else None
            ),
        }


# The roles whose stance a person's answer carries: candidacies, and sitting MPs
# (asked between elections too).
STANCE_KINDS = ("candidate", "mp")


def _candidacy_stance(role):
    if role.kind not in STANCE_KINDS or not hasattr(role, "asked_count"):
        return None
    return CandidacyStanceSerializer.to_representation(None, role)


class PersonRoleSerializer(serializers.Serializer):
    kind = serializers.CharField(
        read_only=True, help_text="councillor, mp, candidate, organiser, campaigner"
    )
    title = serializers.CharField(read_only=True)
    area = AreaBriefSerializer(read_only=True, allow_null=True)
    election = ElectionBriefSerializer(read_only=True, allow_null=True)
    affiliation = PartyBriefSerializer(
        read_only=True, allow_null=True, help_text="The label the role is held under."
    )
    group = GroupBriefSerializer(read_only=True, allow_null=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    stance = CandidacyStanceSerializer(
        read_only=True,
        allow_null=True,
        help_text="For candidacies and sitting MPs: where they stand on a ceasefire.",
    )

    def to_representation(self, role):
        return {
            "kind": role.kind,
            "title": role.title,
            "area": _brief(AreaBriefSerializer, role.area),
            "election": _brief(ElectionBriefSerializer, role.election),
            "affiliation": _brief(PartyBriefSerializer, role.party),
            "group": _brief(GroupBriefSerializer, role.group),
            "start_date": _d(role.start_date),
            "end_date": _d(role.end_date),
            "stance": _candidacy_stance(role),
        }


class PartyHistorySerializer(serializers.Serializer):
    party = PartyBriefSerializer(read_only=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    statement_url = serializers.CharField(
        read_only=True, help_text="Their own public statement about leaving, if any."
    )
    reason_for_leaving = serializers.CharField(
        required=False,
        help_text="Network and coordinator callers only.",
    )


class GroupMembershipSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    role_title = serializers.CharField(read_only=True)


class ContactSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text="email, phone, website...")
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    visibility = serializers.ChoiceField(
        choices=["public", "network", "coordinators"],
        read_only=True,
        help_text="Who may see it; you only ever get what your access allows.",
    )


class PersonSerializer(serializers.Serializer):
    """A person with their current roles, party history, groups and the contact
    details the caller may see."""

    id = serializers.UUIDField(
        read_only=True,
        help_text="Never changes, whatever happens to the name or slug. Key your "
        "copy on it: the change feed names removed people by it alone.",
    )
    slug = serializers.SlugField(read_only=True)
    url = serializers.URLField(read_only=True)
    name = serializers.CharField(read_only=True)
    pronouns = serializers.CharField(read_only=True)
    bio = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="active, inactive, left")
    network = serializers.BooleanField(
        read_only=True,
        help_text="true for the network's own people; false for candidates and "
        "representatives of other parties whose stance the campaign tracks.",
    )
    modified = serializers.DateTimeField(read_only=True)
    roles = PersonRoleSerializer(many=True, read_only=True, help_text="Current roles.")
    party_history = PartyHistorySerializer(many=True, read_only=True)
    groups = GroupMembershipSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    public_profile = serializers.BooleanField(
        required=False, help_text="Coordinators only."
    )
    public_profile_agreed_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Coordinators only."
    )

    def to_representation(self, person):
        audience = _audience(self)
        show_reason = may_see_field("reason_for_leaving", audience)
        history = []
        for spell in person.affiliations.all():
            item = {
                "party": _brief(PartyBriefSerializer, spell.party),
                "start_date": _d(spell.start_date),
                "end_date": _d(spell.end_date),
                "statement_url": spell.statement_url,
            }
            if show_reason:
                item["reason_for_leaving"] = spell.reason_for_leaving
            history.append(item)
        data = {
            "id": str(person.public_id),
            "slug": person.slug,
            "url": f"{_base_url(self)}people/{person.slug}/",
            "name": person.name,
            "pronouns": person.pronouns,
            "bio": person.bio,
            "status": person.status,
            "network": person.in_network,
            "modified": _dt(person.updated_at),
            "roles": [
                PersonRoleSerializer.to_representation(None, role)
                for role in person.current_roles
            ],
            "party_history": history,
            "groups": [
                {
                    "slug": m.group.slug,
                    "name": m.group.name,
                    "role_title": m.role_title,
                }
                for m in person.group_memberships.all()
            ],
            "contacts": [
                {
                    "kind": c.kind,
                    "value": c.value,
                    "label": c.label,
                    "visibility": c.visibility,
                }
                for c in person.visible_contacts
            ],
        }
        if may_see_field("public_profile", audience):
            data["public_profile"] = person.public_profile
            data["public_profile_agreed_at"] = _dt(person.public_profile_agreed_at)
        return data


class PersonTombstoneSerializer(serializers.Serializer):
    """A person who left the caller's view, by id only: their name and slug are
    not repeated, since a tombstone outlives an erasure."""

    id = serializers.UUIDField(read_only=True, help_text="The person's `id`.")
    removed = serializers.DateTimeField(read_only=True)

    def to_representation(self, tombstone):
        return {"id": str(tombstone.public_id), "removed": _dt(tombstone.removed_at)}


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)

    def to_representation(self, person):
        return {
            "id": str(person.public_id),
            "slug": person.slug,
            "name": person.name,
            "url": f"{_base_url(self)}people/{person.slug}/",
        }


# ------------------------------------------------------------------ roles


class RoleSerializer(PersonRoleSerializer):
    person = PersonBriefSerializer(read_only=True)
    current = serializers.BooleanField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)

    def to_representation(self, role):
        data = super().to_representation(role)
        data["person"] = PersonBriefSerializer.to_representation(self, role.person)
        data["current"] = role.is_current
        data["modified"] = _dt(role.updated_at)
        return data


# ------------------------------------------------------------------ reference data


class AreaSerializer(serializers.Serializer):
    gss_code = serializers.CharField(read_only=True, help_text="ONS GSS code.")
    url = serializers.URLField(read_only=True)
    name = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(
        choices=Area._meta.get_field("area_type").choices, read_only=True
    )
    council_type = serializers.CharField(
        read_only=True, help_text="For councils: UA, NMD, MD, LBO, CTY..."
    )
    parent = AreaBriefSerializer(read_only=True, allow_null=True)
    region = AreaBriefSerializer(read_only=True, allow_null=True)
    nation = AreaBriefSerializer(read_only=True, allow_null=True)
    people_url = serializers.URLField(
        read_only=True, help_text="The people with current roles in or inside it."
    )

    def to_representation(self, area):
        url = f"{_base_url(self)}areas/{area.gss_code}/"
        return {
            "gss_code": area.gss_code,
            "url": url,
            "name": area.name,
            "type": area.area_type,
            "council_type": area.council_type,
            "parent": _brief(AreaBriefSerializer, area.parent),
            "region": _brief(AreaBriefSerializer, area.region),
            "nation": _brief(AreaBriefSerializer, area.nation),
            "people_url": f"{url}people/",
        }


class ElectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Election
        fields = ["election_id", "name", "date", "kind"]
        read_only_fields = fields


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["slug", "name", "ec_id", "is_independent"]
        read_only_fields = fields


class GroupSerializer(serializers.ModelSerializer):
    area = AreaBriefSerializer(read_only=True, allow_null=True)
    website = serializers.CharField(
        read_only=True, help_text="Web address, or empty when there is none."
    )

    class Meta:
        model = Group
        fields = ["slug", "name", "kind", "area", "description", "website"]
        read_only_fields = fields


# ------------------------------------------------------------------ the index


class ApiOperationSerializer(serializers.Serializer):
    method = serializers.CharField(read_only=True, help_text="GET, POST or PATCH.")
    path = serializers.CharField(
        read_only=True, help_text="As in the OpenAPI document, e.g. `/people/{slug}`."
    )
    url = serializers.CharField(
        read_only=True,
        help_text="The full address, with `{placeholders}` for identifiers "
        "(an RFC 6570 URI template).",
    )
    summary = serializers.CharField(read_only=True)


class ApiIndexSerializer(serializers.Serializer):
    docs = serializers.URLField(
        read_only=True, help_text="The guide and the reference, for people."
    )
    schema = serializers.URLField(
        read_only=True, help_text="The OpenAPI 3.1 document, for programs."
    )
    operations = ApiOperationSerializer(many=True, read_only=True)
