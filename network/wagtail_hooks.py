"""The "Directory" menu in the Wagtail admin: people, groups, areas, elections, parties
and coordination notes.

Each viewset says what its listing shows, filters, searches and exports. Person is
edited with its contacts, roles and party history inline, with revisions and
history. Areas come from ``manage.py load_areas`` and are read-only here.
"""

import django_filters
from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from network.members.admin_hooks import PersonEditView
from network.members.forms import PersonAdminForm
from network.models import (
    Area,
    AreaType,
    CouncilType,
    Election,
    Group,
    GroupKind,
    NetworkStatus,
    Party,
    Person,
    PersonStatus,
    RoleKind,
)
from network.models.people import NETWORK_STATUSES
from network.notes_admin import (
    CoordinationNoteViewSet,
    MyFollowUpsPanel,
    PersonNotesPanel,
)
from network.selectors import areas_within

COUNCIL_TYPES = (AreaType.COUNTY, AreaType.LOCAL_AUTHORITY)


def regions_and_nations(request=None):
    return Area.objects.filter(
        area_type__in=(AreaType.REGION, AreaType.NATION)
    ).order_by("name")


def councils(request=None):
    return Area.objects.filter(area_type__in=COUNCIL_TYPES).order_by("name")


# ------------------------------------------------------------------ people

NETWORK_FILTER_CHOICES = [
    ("network", "The network"),
    ("tracked", "Tracked by the campaign"),
    ("all", "Everyone"),
]


class PersonFilterSet(WagtailFilterSet):
    network = django_filters.ChoiceFilter(
        label="Network",
        choices=NETWORK_FILTER_CHOICES,
        empty_label=None,
        method="filter_network",
        help_text=(
            "The network by default; tracked people are the candidates and "
            "representatives the campaign presses."
        ),
    )
    network_status = django_filters.ChoiceFilter(
        label="In the network as",
        choices=NetworkStatus.choices,
        help_text="Member, organiser, ally or tracked.",
    )
    status = django_filters.ChoiceFilter(
        choices=PersonStatus.choices, help_text="How active they are."
    )
    public_profile = django_filters.BooleanFilter(
        label="Agreed to a public profile",
        help_text="Only these may appear by name on the public site.",
    )
    role = django_filters.ChoiceFilter(
        field_name="roles__kind",
        choices=RoleKind.choices,
        distinct=True,
        help_text="People holding (or having held) a role of this kind.",
    )
    council = django_filters.ModelChoiceFilter(
        label="Council",
        queryset=councils,
        method="filter_council",
        help_text="Councillors of its wards and candidates in seats it overlaps.",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=regions_and_nations,
        method="filter_region",
        help_text="People with a role in an area in this region or nation.",
    )

    class Meta:
        model = Person
        fields = [
            "network", "network_status", "status", "public_profile", "role",
            "council", "region",
        ]  # fmt: skip

    def __init__(self, data=None, *args, **kwargs):
        # Without a choice, the listing shows the network, not the people the
        # campaign only tracks.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("network") not in dict(NETWORK_FILTER_CHOICES):
            data["network"] = "network"
        super().__init__(data, *args, **kwargs)

    def filter_network(self, queryset, name, value):
        if value == "tracked":
            return queryset.tracked()
        if value == "all":
            return queryset
        return queryset.in_network()

    def filter_council(self, queryset, name, council):
        if not council:
            return queryset
        inside = areas_within(council, include_overlapping=True)
        return queryset.filter(roles__area__in=inside).distinct()

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(roles__area__in=areas_within(area)).distinct()


class PersonViewSet(SnippetViewSet):
    model = Person
    edit_view_class = PersonEditView  # records which fields coordinators changed
    icon = "user"
    menu_label = "People"
    list_display = [
        "name",
        Column("roles_summary", label="Roles"),
        "network_status",
        "status",
        BooleanColumn("public_profile", label="Public profile"),
        UpdatedAtColumn(),
    ]
    list_export = [
        "name", "slug", "pronouns", "network_status", "status", "public_profile",
        "roles_summary",
        "updated_at",
    ]  # fmt: skip
    export_headings = {"roles_summary": "Roles"}
    export_filename = "people"
    filterset_class = PersonFilterSet
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        # Roles and their areas are shown per row: fetch them in two queries.
        return Person.objects.prefetch_related("roles__area").order_by("name")

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("pronouns")]),
                    FieldPanel("slug"),
                    MultiFieldPanel(
                        [FieldPanel("photo_upload"), FieldPanel("photo_remove")],
                        heading="Photo",
                    ),
                    FieldPanel("bio"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [FieldPanel("network_status"), FieldPanel("status")]
                            ),
                            FieldPanel("public_profile"),
                            FieldPanel("public_profile_agreed_at"),
                        ],
                        heading="Status and consent",
                    ),
                ],
                heading="Profile",
            ),
            ObjectList(
                [InlinePanel("roles", label="Role", heading="Roles")],
                heading="Roles",
            ),
            ObjectList(
                [
                    InlinePanel(
                        "affiliations", label="Party spell", heading="Party history"
                    )
                ],
                heading="Party history",
            ),
            ObjectList(
                [InlinePanel("contacts", label="Contact", heading="Contact details")],
                heading="Contacts",
            ),
            ObjectList([PersonNotesPanel(heading="Notes")], heading="Notes"),
        ],
        base_form_class=PersonAdminForm,
    )


# ------------------------------------------------------------------ groups


class GroupFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=GroupKind.choices, help_text="Local network, partner, ..."
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=regions_and_nations,
        method="filter_region",
        help_text="Groups whose area lies in this region or nation.",
    )

    class Meta:
        model = Group
        fields = ["kind", "region"]

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(
            Q(area=area) | Q(area__region=area) | Q(area__nation=area)
        )


class GroupViewSet(SnippetViewSet):
    model = Group
    icon = "group"
    menu_label = "Groups"
    list_display = [
        "name",
        "kind",
        "area",
        Column("member_count", label="Members", sort_key="member_count"),
        UpdatedAtColumn(),
    ]
    export_headings = {"member_count": "Members"}
    list_export = ["name", "slug", "kind", "area", "website", "member_count"]
    export_filename = "groups"
    filterset_class = GroupFilterSet
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("slug"),
        FieldPanel("area"),
        FieldPanel("description"),
        FieldPanel("website"),
        InlinePanel("memberships", label="Member", heading="Members"),
    ]

    def get_queryset(self, request):
        return (
            Group.objects.select_related("area")
            .annotate(member_count=Count("memberships"))
            .order_by("name")
        )


# ------------------------------------------------------------------ areas


class AreaFilterSet(WagtailFilterSet):
    area_type = django_filters.ChoiceFilter(
        label="Type", choices=AreaType.choices, help_text="Ward, council, ..."
    )
    council_type = django_filters.ChoiceFilter(
        choices=CouncilType.choices, help_text="For councils only."
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=regions_and_nations,
        method="filter_region",
        help_text="Areas in this region or nation.",
    )
    council = django_filters.ModelChoiceFilter(
        label="Council",
        queryset=councils,
        method="filter_council",
        help_text="The council and its wards (and districts, for a county).",
    )

    class Meta:
        model = Area
        fields = ["area_type", "council_type", "region", "council"]

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(pk__in=areas_within(area).values("pk"))

    def filter_council(self, queryset, name, council):
        if not council:
            return queryset
        return queryset.filter(pk__in=areas_within(council).values("pk"))


class AreaPermissionPolicy(ModelPermissionPolicy):
    """Areas are reference data kept by load_areas: nobody adds or deletes them here,
    and only superusers may correct one."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        if action == "change":
            return user.is_active and user.is_superuser
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Area, AreaPermissionPolicy(Area))


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    menu_label = "Areas"
    list_display = ["name", "gss_code", "area_type", "council_type", "parent"]
    list_export = [
        "gss_code", "name", "area_type", "council_type", "parent", "region",
        "nation", "valid_from",
    ]  # fmt: skip
    export_filename = "areas"
    filterset_class = AreaFilterSet
    search_fields = ["name", "gss_code"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [FieldPanel("name"), FieldPanel("valid_from")]

    def get_queryset(self, request):
        return Area.objects.select_related("parent", "region", "nation").order_by(
            "name"
        )


# ------------------------------------------------------------------ elections, parties


class ElectionViewSet(SnippetViewSet):
    model = Election
    icon = "date"
    menu_label = "Elections"
    list_display = ["name", "election_id", "date", "kind"]
    list_export = ["election_id", "name", "date", "kind"]
    list_filter = ["kind"]
    export_filename = "elections"
    search_fields = ["name", "election_id"]
    search_backend_name = None
    ordering = ["-date"]
    copy_view_enabled = False
    panels = [
        FieldPanel("election_id"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
    ]


class PartyViewSet(SnippetViewSet):
    model = Party
    icon = "tag"
    menu_label = "Parties"
    list_display = ["name", "ec_id", "is_independent"]
    list_export = ["name", "slug", "ec_id", "is_independent"]
    list_filter = ["is_independent"]
    export_filename = "parties"
    search_fields = ["name", "ec_id"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("ec_id"), FieldPanel("is_independent")]),
    ]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = "Directory"
    menu_icon = "group"
    menu_order = 150
    items = (
        PersonViewSet,
        GroupViewSet,
        AreaViewSet,
        ElectionViewSet,
        PartyViewSet,
        CoordinationNoteViewSet,
    )


register_snippet(DirectoryViewSetGroup)


# ------------------------------------------------------------------ notes
# The notes listing is in the menu above; the rest: network/notes_admin.py.


class PeopleSummaryItem(SummaryItem):
    """On the admin dashboard: how many people are in the network, and how many
    candidates and representatives the campaign tracks (two counts, one query)."""

    order = 150
    template_name = "network/admin/people_summary.html"

    def is_shown(self):
        return self.request.user.has_perm("network.view_person")

    def get_context_data(self, parent_context=None):
        counts = Person.objects.aggregate(
            in_network=Count("pk", filter=Q(network_status__in=NETWORK_STATUSES)),
            tracked=Count("pk", filter=Q(network_status=NetworkStatus.TRACKED)),
        )
        listing = reverse("wagtailsnippets_network_person:list")
        return {
            **counts,
            "network_url": listing,
            "tracked_url": f"{listing}?network=tracked",
        }


@hooks.register("construct_homepage_summary_items")
def add_people_summary(request, items):
    items.append(PeopleSummaryItem(request))


@hooks.register("construct_homepage_panels")
def add_my_follow_ups(request, panels):
    panels.append(MyFollowUpsPanel(request))
