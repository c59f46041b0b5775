"""People in the directory and what they are: roles, party history, contacts, groups.

A Person is edited in the Wagtail admin with their contacts, roles and party
history inline, so those child records hang off the person by ParentalKey and are
saved (and kept in revisions) together with it.
"""

import re
import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from .areas import Area, AreaType
from .validation import normalise_contact_value


class Visibility(models.TextChoices):
    """Who may see a contact detail. network/visibility.py applies these."""

    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network members and network partners")
    COORDINATORS = "coordinators", _("Coordinators only")


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


def unique_slug(model, name: str, *, exclude_pk=None) -> str:
    """A slug from the name, numbered when another record already has it."""
    base = slugify(name)[:240] or "item"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_date_range(start, end, *, end_field="end_date"):
    if start and end and end < start:
        raise ValidationError({end_field: "The end date is before the start date."})


# ------------------------------------------------------------------ parties & elections


class Party(TimestampedModel):
    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    ec_id = models.CharField(
        "Electoral Commission id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^PP\d+$", "Looks like PP53.")],
        help_text="The register number, e.g. PP53, when the party is registered.",
    )
    is_independent = models.BooleanField(
        default=False, help_text="Standing without a party (e.g. 'Independent')."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["ec_id"],
                condition=~models.Q(ec_id=""),
                name="unique_party_ec_id",
            )
        ]

    def __str__(self):
        return self.name


class ElectionKind(models.TextChoices):
    PARLIAMENTARY = "parl", "UK Parliament"
    LOCAL = "local", "Local council"
    MAYORAL = "mayor", "Mayoral"
    SCOTTISH_PARLIAMENT = "sp", "Scottish Parliament"
    SENEDD = "senedd", "Senedd"
    NI_ASSEMBLY = "nia", "Northern Ireland Assembly"
    GLA = "gla", "London Assembly"
    PCC = "pcc", "Police and crime commissioner"


ELECTION_ID_RE = re.compile(
    r"^(?P<kind>[a-z]+)(\.[a-z0-9-]+)*\.(?P<date>\d{4}-\d{2}-\d{2})$"
)


class Election(TimestampedModel):
    election_id = models.CharField(
        max_length=255,
        unique=True,
        help_text=(
            "Democracy Club style id: parl.2024-07-04, "
            "local.blackburn-with-darwen.2026-05-07."
        ),
    )
    name = models.CharField(max_length=255)
    date = models.DateField(db_index=True)
    kind = models.CharField(max_length=10, choices=ElectionKind.choices)

    class Meta:
        ordering = ["-date", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        match = ELECTION_ID_RE.match(self.election_id or "")
        if not match:
            raise ValidationError(
                {
                    "election_id": (
                        "Use a Democracy Club style id: kind, optional parts, then "
                        "the date, e.g. local.burnley.2026-05-07."
                    )
                }
            )
        if match["kind"] != self.kind:
            raise ValidationError(
                {"kind": f"The id says '{match['kind']}' but the kind is {self.kind}."}
            )
        if self.date and match["date"] != self.date.isoformat():
            raise ValidationError(
                {"date": f"The id says {match['date']}; the date must match it."}
            )


# ------------------------------------------------------------------ people


class PersonStatus(models.TextChoices):
    """How active someone is; whether they are in the network at all is
    ``NetworkStatus``."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    LEFT = "left", "Left the network"


class NetworkStatus(models.TextChoices):
    """Whether a person belongs to the network or is someone the campaign presses.

    The directory holds both: the network's own councillors, candidates,
    organisers and allies, and the candidates and representatives of other parties
    whose stance the campaign tracks. Only the first are "the network"; the others
    are never members, whatever their ``status``."""

    MEMBER = "member", _("Member of the network")
    ORGANISER = "organiser", _("Organiser")
    ALLY = "ally", _("Ally")
    TRACKED = "tracked", _("Tracked: pressed by the campaign, not in the network")


# The statuses that make a person part of the network.
NETWORK_STATUSES = (NetworkStatus.MEMBER, NetworkStatus.ORGANISER, NetworkStatus.ALLY)


class PersonQuerySet(models.QuerySet):
    def in_network(self):
        return self.filter(network_status__in=NETWORK_STATUSES)

    def tracked(self):
        return self.filter(network_status=NetworkStatus.TRACKED)


class Person(RevisionMixin, index.Indexed, TimestampedModel, ClusterableModel):
    name = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=255,
        unique=True,
        blank=True,
        help_text="Used in web addresses. Left empty, it is made from the name.",
    )
    pronouns = models.CharField(max_length=50, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField("short bio", max_length=2000, blank=True)
    status = models.CharField(
        max_length=10,
        choices=PersonStatus.choices,
        default=PersonStatus.ACTIVE,
        db_index=True,
    )
    network_status = models.CharField(
        "in the network",
        max_length=10,
        choices=NetworkStatus.choices,
        default=NetworkStatus.MEMBER,
        db_index=True,
        help_text=(
            "Member, organiser or ally: part of the network. Tracked: a candidate "
            "or representative of another party whose stance the campaign follows; "
            "never shown as a member."
        ),
    )
    public_profile = models.BooleanField(
        "agreed to a public profile",
        default=False,
        help_text=(
            "Only people who agreed may appear by name on the public site. "
            "Record when they agreed below."
        ),
    )
    public_profile_agreed_at = models.DateTimeField("agreed on", null=True, blank=True)
    public_id = models.UUIDField(
        "public id",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=(
            "How the API names this person to partners, and how it tells them "
            "the person was removed: random, so it reveals nothing about them, "
            "and it never changes, so it outlives a new name or slug."
        ),
    )
    democracy_club_id = models.CharField(
        "Democracy Club person id",
        max_length=20,
        blank=True,
        help_text="Set by import_candidates; a re-import matches on it.",
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="person")

    objects = PersonQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("status"),
        index.FilterField("network_status"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        permissions = [
            ("edit_own_profile", "Can edit their own profile in the member area"),
            ("view_network_directory", "Can see the network directory"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["democracy_club_id"],
                condition=~models.Q(democracy_club_id=""),
                name="unique_person_democracy_club_id",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def in_network(self) -> bool:
        return self.network_status in NETWORK_STATUSES

    @property
    def roles_summary(self) -> str:
        """'Councillor, Darwen South; Candidate, Blackburn', for listings."""
        return "; ".join(str(role) for role in self.roles.all())

    def clean(self):
        if not self.slug and self.name:
            self.slug = unique_slug(Person, self.name, exclude_pk=self.pk)
        if self.public_profile and not self.public_profile_agreed_at:
            raise ValidationError(
                {"public_profile_agreed_at": "Record when they agreed."}
            )


class ContactKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    WEBSITE = "website", _("Website")
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    TIKTOK = "tiktok", "TikTok"
    ADDRESS = "address", _("Postal address")


class ContactDetail(TimestampedModel, Orderable):
    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = models.TextField(max_length=500)
    label = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'Council office', 'Campaign'."
    )
    visibility = models.CharField(
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.COORDINATORS,
        db_index=True,
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("visibility")]),
        FieldPanel("value"),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "contact detail"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        if self.kind and self.value is not None:
            self.value = normalise_contact_value(self.kind, self.value)


# ------------------------------------------------------------------ groups


class GroupKind(models.TextChoices):
    LOCAL_NETWORK = "local_network", "Local network"
    PARTNER = "partner", "Partner organisation"
    COUNCIL_GROUP = "council_group", "Group of councillors"
    CAMPAIGN = "campaign", "Campaign group"


class Group(index.Indexed, TimestampedModel, ClusterableModel):
    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="groups"
    )
    description = models.TextField(max_length=2000, blank=True)
    website = models.URLField(blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupMembership(TimestampedModel, Orderable):
    group = ParentalKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role_title = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'Convenor', 'Treasurer'."
    )

    panels = [FieldPanel("person"), FieldPanel("role_title")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"], name="unique_group_member"
            )
        ]

    def __str__(self):
        return f"{self.person} in {self.group}"


# ------------------------------------------------------------------ roles & history


class RoleKind(models.TextChoices):
    COUNCILLOR = "councillor", _("Councillor")
    MP = "mp", _("MP")
    CANDIDATE = "candidate", _("Candidate")
    ORGANISER = "organiser", _("Organiser")
    CAMPAIGNER = "campaigner", _("Campaigner")


class Role(TimestampedModel, Orderable):
    """What a person is, where and when: a seat, a candidacy, or an organising role."""

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=12, choices=RoleKind.choices, db_index=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    election = models.ForeignKey(
        Election,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="For candidacies: the election stood in.",
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="For organisers and campaigners working in a group.",
    )
    party = models.ForeignKey(
        Party,
        verbose_name="affiliation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="The party or label this role is held under, e.g. Independent.",
    )
    party_description = models.CharField(
        "description on the ballot",
        max_length=255,
        blank=True,
        help_text=(
            "How the ballot paper describes them when it is not the party's name, "
            "e.g. 'Labour and Co-operative Party', 'Speaker seeking re-election'."
        ),
    )
    title = models.CharField(
        max_length=100, blank=True, help_text="Optional, e.g. 'Group leader'."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
        FieldPanel("area"),
        FieldRowPanel([FieldPanel("election"), FieldPanel("party")]),
        FieldPanel("party_description"),
        FieldPanel("group"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta(Orderable.Meta):
        indexes = [models.Index(fields=["kind", "area"])]

    def __str__(self):
        where = self.area.name if self.area_id else (self.group or "")
        return f"{self.get_kind_display()}, {where}".rstrip(", ")

    @property
    def label(self) -> str:
        """What they stand or sit under, as the ballot put it."""
        if self.party_description:
            return self.party_description
        return self.party.name if self.party_id else ""

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()

    def clean(self):
        check_date_range(self.start_date, self.end_date)
        area_type = self.area.area_type if self.area_id else None
        if self.kind == RoleKind.COUNCILLOR and area_type not in (
            AreaType.WARD,
            AreaType.LOCAL_AUTHORITY,
            AreaType.COUNTY,
        ):
            raise ValidationError({"area": "A councillor sits for a ward."})
        if self.kind == RoleKind.CANDIDATE:
            if not self.election_id:
                raise ValidationError({"election": "A candidacy needs an election."})
            if area_type not in (AreaType.CONSTITUENCY, AreaType.WARD):
                raise ValidationError(
                    {"area": "A candidate stands in a constituency or ward."}
                )
        if self.kind == RoleKind.MP and area_type != AreaType.CONSTITUENCY:
            raise ValidationError({"area": "An MP sits for a constituency."})
        if (
            self.kind in (RoleKind.ORGANISER, RoleKind.CAMPAIGNER)
            and not self.area_id
            and not self.group_id
        ):
            raise ValidationError("An organiser or campaigner needs an area or group.")


class Affiliation(TimestampedModel, Orderable):
    """A spell of party membership: records who left Labour, when and why."""

    person = ParentalKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="affiliations"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    reason_for_leaving = models.TextField(max_length=2000, blank=True)
    statement_url = models.URLField(
        "public statement",
        blank=True,
        help_text="Link to their own public statement about leaving.",
    )

    panels = [
        FieldPanel("party"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason_for_leaving"),
        FieldPanel("statement_url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "party history"
        verbose_name_plural = "party history"

    def __str__(self):
        return f"{self.person} - {self.party}"

    def clean(self):
        check_date_range(self.start_date, self.end_date)
        if self.reason_for_leaving and not self.end_date:
            raise ValidationError(
                {"end_date": "Give the date they left along with the reason."}
            )
