"""Query parameters of the partner API. Each filter's help_text is the partner's
documentation of it (it appears in /api/v1/docs/).

Filters only ever narrow what network/visibility.py already let the caller see,
and none of them touches contact details, so nobody can infer a hidden value by
filtering on it. A value that matches nothing known (an unknown GSS code, party or
election) answers 400 naming the parameter, never an empty list.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from network.models import (
    Area,
    AreaType,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    GroupMembership,
    Party,
    Person,
    PersonStatus,
    Role,
    RoleKind,
)
from network.selectors import areas_within

OVERLAPPING = "overlapping"


class StableOrdering(django_filters.OrderingFilter):
    """Whitelisted sort keys, then the primary key, so pages never overlap."""

    def filter(self, qs, value):
        if not value:
            return qs
        return (
            super()
            .filter(qs, value)
            .order_by(*[self.get_ordering_value(param) for param in value], "pk")
        )


class CodeFilter(django_filters.ModelChoiceFilter):
    """A record named by its code or slug in the query string."""


def current_roles_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(
        **{f"{prefix}end_date__gte": today}
    )


def _choice(model, field, what, **filters):
    queryset = model.objects.filter(**filters) if filters else model.objects.all()
    return {
        "queryset": queryset,
        "to_field_name": field,
        "error_messages": {
            "invalid_choice": f"No {what} has the {field.replace('_', ' ')} "
            f"'%(value)s'."
        },
    }


class AreaRoleFilters(django_filters.FilterSet):
    """Filters on where, when and under which label a role is held."""

    area = CodeFilter(
        method="filter_nothing",
        help_text=(
            "GSS code of an area, e.g. E06000008. Includes everything inside it: "
            "a council's wards, a county's districts and their wards, a region's "
            "or nation's councils, wards and constituencies."
        ),
        **_choice(Area, "gss_code", "area"),
    )
    include = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=[(OVERLAPPING, "overlapping")],
        help_text=(
            "With `area` set to a council: `overlapping` also takes in the "
            "Westminster constituencies that overlap the council, so their "
            "candidates appear too."
        ),
    )
    region = CodeFilter(
        method="filter_nothing",
        help_text=(
            "GSS code of an English region (E12...) or, outside England, a "
            "nation (W92..., S92..., N92...)."
        ),
        **_choice(
            Area,
            "gss_code",
            "region",
            area_type__in=(AreaType.REGION, AreaType.NATION),
        ),
    )
    nation = CodeFilter(
        method="filter_nothing",
        help_text="GSS code of a nation: E92000001, W92000004, S92000003, N92000002.",
        **_choice(Area, "gss_code", "nation", area_type=AreaType.NATION),
    )
    election = CodeFilter(
        method="filter_nothing",
        help_text="Election id, Democracy Club style, e.g. parl.2024-07-04.",
        **_choice(Election, "election_id", "election"),
    )
    affiliation = CodeFilter(
        method="filter_nothing",
        help_text=(
            "Slug of the party or label the role is held under, e.g. independent."
        ),
        **_choice(Party, "slug", "party"),
    )

    def filter_nothing(self, queryset, name, value):
        # Applied together in role_q(), so that all role conditions hold for the
        # same role ("a councillor in Burnley", not "a councillor, and something
        # in Burnley").
        return queryset

    def role_q(self, prefix: str = "") -> Q:
        data = self.form.cleaned_data
        q = Q()
        if data.get("area"):
            within = areas_within(
                data["area"], include_overlapping=data.get("include") == OVERLAPPING
            )
            q &= Q(**{f"{prefix}area__in": within.values("pk")})
        if data.get("region"):
            q &= Q(**{f"{prefix}area__region": data["region"]}) | Q(
                **{f"{prefix}area": data["region"]}
            )
        if data.get("nation"):
            q &= Q(**{f"{prefix}area__nation": data["nation"]}) | Q(
                **{f"{prefix}area": data["nation"]}
            )
        if data.get("election"):
            q &= Q(**{f"{prefix}election": data["election"]})
        if data.get("affiliation"):
            q &= Q(**{f"{prefix}party": data["affiliation"]})
        kind = data.get("kind") or data.get("role")
        if kind:
            q &= Q(**{f"{prefix}kind": kind})
        return q

    def clean_include(self):
        data = self.form.cleaned_data
        if data.get("include") and not data.get("area"):
            raise ValidationError({"include": "Use include together with area."})


class PersonFilter(AreaRoleFilters):
    """People by what they do and where. Role conditions (role, area, region,
    nation, election, affiliation) match the person's current roles, and must all
    hold for the same role."""

    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        help_text="Part of the person's name, e.g. `ahmed`.",
    )
    role = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=RoleKind.choices,
        help_text="Kind of current role: councillor, candidate, organiser, campaigner.",
    )
    group = CodeFilter(
        method="filter_group",
        help_text="Slug of a group the person belongs to or works in.",
        **_choice(Group, "slug", "group"),
    )
    network = django_filters.ChoiceFilter(
        method="filter_network",
        choices=[("true", "true"), ("false", "false")],
        help_text=(
            "`true`: only the network's own people (members, organisers, allies). "
            "`false`: only the candidates and representatives of other parties "
            "whose stance the campaign tracks. Left out: both."
        ),
    )
    current = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=[("true", "true"), ("false", "false")],
        help_text=(
            "How the role conditions (role, area, region, nation, election, "
            "affiliation) match: `true` (the default) against current roles, "
            "`false` against roles that have ended, e.g. `role=candidate&"
            "current=false` for people who stood before."
        ),
    )
    status = django_filters.ChoiceFilter(
        choices=PersonStatus.choices,
        help_text=(
            "How active they are: active, inactive or left. Whether they are in "
            "the network at all is `network`."
        ),
    )
    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_nothing",
        help_text=(
            "ISO 8601 date-time, e.g. 2026-05-01T00:00:00Z. Turns the list into a "
            "change feed: people changed after that time, oldest change first, "
            "with the people removed from your view listed under `deleted`. "
            "Follow `next` until it is null, then keep its last value to ask for "
            "the next changes."
        ),
    )
    ordering = StableOrdering(
        fields=(("name", "name"), ("updated_at", "modified")),
        help_text="Sort by `name` or `modified`; prefix `-` to reverse.",
    )

    class Meta:
        model = Person
        fields = []

    def filter_network(self, queryset, name, value):
        return queryset.in_network() if value == "true" else queryset.tracked()

    def filter_group(self, queryset, name, value):
        members = GroupMembership.objects.filter(person=OuterRef("pk"), group=value)
        workers = Role.objects.filter(person=OuterRef("pk"), group=value)
        return queryset.filter(Exists(members) | Exists(workers))

    def filter_queryset(self, queryset):
        self.clean_include()
        queryset = super().filter_queryset(queryset)
        role_q = self.role_q()
        if role_q:
            when = current_roles_q()
            if self.form.cleaned_data.get("current") == "false":
                when = ~when
            roles = Role.objects.filter(role_q, when, person=OuterRef("pk"))
            queryset = queryset.filter(Exists(roles))
        return queryset


class RoleFilter(AreaRoleFilters):
    """Seats, candidacies and organising roles."""

    kind = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=RoleKind.choices,
        help_text="councillor, candidate, organiser or campaigner.",
    )
    current = django_filters.ChoiceFilter(
        method="filter_current",
        choices=[("true", "true"), ("false", "false")],
        help_text="true: only roles not yet ended; false: only ended ones.",
    )
    group = CodeFilter(
        field_name="group",
        help_text="Slug of the group the role is held in.",
        **_choice(Group, "slug", "group"),
    )

    class Meta:
        model = Role
        fields = []

    def filter_current(self, queryset, name, value):
        if value == "true":
            return queryset.filter(current_roles_q())
        return queryset.exclude(current_roles_q())

    def filter_queryset(self, queryset):
        self.clean_include()
        queryset = super().filter_queryset(queryset)
        role_q = self.role_q()
        return queryset.filter(role_q) if role_q else queryset


class AreaFilter(django_filters.FilterSet):
    """Areas by type, place in the tree and name."""

    type = django_filters.ChoiceFilter(
        field_name="area_type",
        choices=AreaType.choices,
        help_text=("nation, region, county, local_authority, ward or constituency."),
    )
    parent = CodeFilter(
        field_name="parent",
        help_text="GSS code of the parent area, e.g. a council for its wards.",
        **_choice(Area, "gss_code", "area"),
    )
    region = CodeFilter(
        field_name="region",
        help_text="GSS code of the region (or, outside England, the nation).",
        **_choice(
            Area,
            "gss_code",
            "region",
            area_type__in=(AreaType.REGION, AreaType.NATION),
        ),
    )
    name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Part of the area's name, e.g. `darwen`."
    )
    ordering = StableOrdering(
        fields=(("name", "name"), ("gss_code", "gss_code")),
        help_text="Sort by `name` or `gss_code`; prefix `-` to reverse.",
    )

    class Meta:
        model = Area
        fields = []


class ElectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ElectionKind.choices,
        help_text="parl, local, mayor, sp, senedd, nia, gla or pcc.",
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="On or after this date."
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="On or before this date."
    )

    class Meta:
        model = Election
        fields = []


class GroupFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=GroupKind.choices,
        help_text="local_network, partner, council_group or campaign.",
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the name."
    )

    class Meta:
        model = Group
        fields = []


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for parameters the endpoint doesn't know, so a
    typo such as `?aera=` is not silently ignored."""

    always_allowed = frozenset({"format", "page", "page_size", "cursor"})

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(self.always_allowed)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {
                    name: "Unknown parameter. Known ones: "
                    + ", ".join(sorted(known))
                    + "."
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)


class AreaPeopleFilter(PersonFilter):
    """The people filters, for the area given in the address."""

    def clean_include(self):
        pass  # the area comes from the address

    def role_q(self, prefix: str = "") -> Q:
        self.form.cleaned_data["area"] = self.request.parser_context["view"].area
        return super().role_q(prefix)


del AreaPeopleFilter.base_filters["area"]
