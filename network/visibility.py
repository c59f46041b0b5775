"""The one place that decides what each viewer may see of the directory.

Pages, the API, CSV exports and the admin all ask here; none decides for itself.
A viewer is reduced to an ``Audience``:

- ``PUBLIC``: anonymous visitors, partner keys with the ``public`` scope, and signed-in
  users who are neither members nor coordinators;
- ``NETWORK``: network members (the "Member" group) and partner keys with the
  ``network`` scope;
- ``COORDINATORS``: coordinators (the "Coordinator" group) and superusers.

People who have not agreed to a public profile are invisible to the ``PUBLIC``
audience: being listed in this directory says something about a person's political
opinions, which UK GDPR treats as special-category data.
"""

from enum import IntEnum

from django.db.models import QuerySet

from network.models import NoteVisibility, Role, Visibility

COORDINATOR_GROUP = "Coordinator"
MEMBER_GROUP = "Member"
EDITOR_GROUP = "Editor"


class Audience(IntEnum):
    PUBLIC = 0
    NETWORK = 1
    COORDINATORS = 2


# Which contact visibilities each audience may see.
CONTACT_LEVELS: dict[Audience, tuple[str, ...]] = {
    Audience.PUBLIC: (Visibility.PUBLIC,),
    Audience.NETWORK: (Visibility.PUBLIC, Visibility.NETWORK),
    Audience.COORDINATORS: (
        Visibility.PUBLIC,
        Visibility.NETWORK,
        Visibility.COORDINATORS,
    ),
}


def audience_for_user(user) -> Audience:
    """The audience a signed-in (or anonymous) user belongs to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Audience.PUBLIC
    if user.is_superuser:
        return Audience.COORDINATORS
    cached = getattr(user, "_network_audience", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    if COORDINATOR_GROUP in groups:
        audience = Audience.COORDINATORS
    elif MEMBER_GROUP in groups:
        audience = Audience.NETWORK
    else:
        audience = Audience.PUBLIC
    user._network_audience = audience  # one query per request, not per check
    return audience


def contact_levels(audience: Audience) -> tuple[str, ...]:
    return CONTACT_LEVELS[audience]


def may_see_contact(contact, audience: Audience) -> bool:
    return contact.visibility in CONTACT_LEVELS[audience]


def visible_contacts(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Narrow a ContactDetail queryset to what the audience may see."""
    return queryset.filter(visibility__in=CONTACT_LEVELS[audience])


def own_contacts(person) -> QuerySet:
    """A member sees, and edits, every one of their own contacts, whatever its
    level: the profile form and ``/api/v1/me/`` treat this as the whole list."""
    return person.contacts.order_by("sort_order", "pk")


def visible_people(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Narrow a Person queryset to the people the audience may know about."""
    if audience >= Audience.NETWORK:
        return queryset
    return queryset.filter(public_profile=True)


# ------------------------------------------------------------------ stances

# Which fields of a stance event each audience sees, on pages and in the API. Who
# asked is the network's business. Who typed an event in is shown nowhere but the
# admin's Stance events listing (behind the coordinators' permission). A
# candidate's replies and their evidence are public: that is the point of asking.
STANCE_EVENT_FIELDS: dict[Audience, tuple[str, ...]] = {
    Audience.PUBLIC: (
        "kind", "occurred_on", "method", "position", "quote", "evidence_url",
    ),
    Audience.NETWORK: (
        "kind", "occurred_on", "method", "position", "quote", "evidence_url",
        "asked_by",
    ),
    Audience.COORDINATORS: (
        "kind", "occurred_on", "method", "position", "quote", "evidence_url",
        "asked_by",
    ),
}  # fmt: skip


def stance_event_fields(audience: Audience) -> tuple[str, ...]:
    return STANCE_EVENT_FIELDS[audience]


def visible_candidacies(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Candidacies are public record: names and parties appear on the statement
    of persons nominated, so every audience sees every candidacy, and the public
    stance pages name each candidate. What else shows of the person (contacts,
    profile) is still decided by the functions above."""
    return queryset


# ------------------------------------------------------------------ coordination notes


def note_levels(audience: Audience) -> tuple[str, ...]:
    if audience == Audience.COORDINATORS:
        return (NoteVisibility.COORDINATORS, NoteVisibility.NETWORK)
    if audience == Audience.NETWORK:
        return (NoteVisibility.NETWORK,)
    return ()


def member_area_ids(user) -> set[int]:
    """The areas a member's own roles are in, with the councils holding their
    wards: 'their own area' for coordination notes."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return set()
    ids = set()
    for area_id, parent_id in Role.objects.filter(
        person_id=person_id, area__isnull=False
    ).values_list("area_id", "area__parent_id"):
        ids.add(area_id)
        if parent_id:
            ids.add(parent_id)
    return ids


def visible_notes(queryset: QuerySet, user) -> QuerySet:
    """Narrow a CoordinationNote queryset to what a signed-in user may read.

    Coordinators read every note. Members read network-visible notes about their
    own area only. Everyone else, and every partner key, reads none: notes never
    reach the public site or the API."""
    audience = audience_for_user(user)
    if audience == Audience.COORDINATORS:
        return queryset
    if audience == Audience.NETWORK:
        return queryset.filter(
            visibility__in=note_levels(audience), area_id__in=member_area_ids(user)
        )
    return queryset.none()


def may_see_note(note, user) -> bool:
    return visible_notes(type(note).objects.filter(pk=note.pk), user).exists()


# ------------------------------------------------------------------ API callers
# A partner key's organisation has a scope; each scope reads as one audience.
SCOPE_AUDIENCES: dict[str, Audience] = {
    "public": Audience.PUBLIC,
    "network": Audience.NETWORK,
}


def audience_for_scope(scope: str) -> Audience:
    """The audience of a partner key with this scope; unknown scopes get the least."""
    return SCOPE_AUDIENCES.get(scope, Audience.PUBLIC)


def audience_for_request(request) -> Audience:
    """The audience of an API request: its partner key's scope when it came with one,
    else the signed-in user (members and coordinators use their session)."""
    key = getattr(request, "auth", None)
    scope = getattr(key, "scope", None)
    if scope is not None:
        return audience_for_scope(scope)
    return audience_for_user(getattr(request, "user", None))


# Person fields that only some audiences see. Everything else a serializer offers
# is visible to every audience that may see the person at all.
RESTRICTED_PERSON_FIELDS: dict[str, Audience] = {
    # Why someone left their party is their own account of a political opinion;
    # the public gets their public statement link instead.
    "reason_for_leaving": Audience.NETWORK,
    # Consent records are for the people who keep the directory.
    "public_profile": Audience.COORDINATORS,
    "public_profile_agreed_at": Audience.COORDINATORS,
}


def may_see_field(field: str, audience: Audience) -> bool:
    return audience >= RESTRICTED_PERSON_FIELDS.get(field, Audience.PUBLIC)


def visible_tombstones(queryset: QuerySet, audience: Audience) -> QuerySet:
    """Narrow a PersonTombstone queryset to removals this audience should hear of.

    The public hears of people who were public and were deleted, or who withdrew
    their public profile; network audiences hear only of deletions (a withdrawn
    profile stays in their view). Nobody hears of a person they could never see.
    """
    if audience >= Audience.NETWORK:
        return queryset.filter(reason="deleted")
    return queryset.filter(was_public=True)


def may_hear_of_removal(*, reason: str, was_public: bool, audience: Audience) -> bool:
    """The rule of ``visible_tombstones`` for one removal (webhooks ask it)."""
    if audience >= Audience.NETWORK:
        return reason == "deleted"
    return was_public


def may_see_person(person, audience: Audience) -> bool:
    """Whether the audience may know about this one person (see visible_people)."""
    return audience >= Audience.NETWORK or bool(person.public_profile)


def may_see_photo(person, user) -> bool:
    """Whether a user may fetch a profile photo. A photo shows who is in the
    network, so it goes with the person: whoever may know about them, and they
    themselves. A photo nobody uses any more is for coordinators only. (Editors
    reach the image library, but not the directory: a private person's photo is
    not theirs to see.)"""
    audience = audience_for_user(user)
    if person is None:
        return audience == Audience.COORDINATORS
    if may_see_person(person, audience):
        return True
    return bool(user and user.is_authenticated and user.person_id == person.pk)


def shows_photo(person, audience: Audience) -> bool:
    """Whether a page for this audience shows the person's photo beside their name
    (a candidate card, a profile). Only a photo the audience may have at all:
    the public sees the photos of public profiles, and no other. A candidacy is
    public record, so a private person's name and stance still show, but their
    face does not; the photo view (``may_see_photo``) refuses the file as well."""
    if person is None or not person.photo_id:
        return False
    return may_see_person(person, audience)
