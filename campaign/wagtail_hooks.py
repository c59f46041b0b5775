"""The "Campaign" menu in the Wagtail admin: candidacies and where they stand, and
stance events.

Views stay thin: listings read through ``campaign.selectors``, stance events are
written with ``campaign.services.stance_record``.
"""

import django_filters
from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from campaign.models import Position, StanceEvent, StanceKind
from campaign.selectors import StanceState, candidacies_with_stance, filter_by_state
from campaign.services import stance_record
from network.models import Area, AreaType, Election, Party, Role, RoleKind
from network.selectors import areas_within


def regions_and_nations(request=None):
    return Area.objects.filter(
        area_type__in=(AreaType.REGION, AreaType.NATION)
    ).order_by("name")


def candidacy_label(role: Role) -> str:
    party = f", {role.party.name}" if role.party_id else ""
    return f"{role.person.name} - {role.area.name}{party} ({role.election.name})"


# ------------------------------------------------------------------ candidacies


class CandidacyFilterSet(WagtailFilterSet):
    election = django_filters.ModelChoiceFilter(
        queryset=Election.objects.order_by("-date"),
        help_text="Candidates standing at this election.",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=regions_and_nations,
        method="filter_region",
        help_text="Candidates in seats in this region or nation.",
    )
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.order_by("name"), help_text="Standing for this party."
    )
    state = django_filters.ChoiceFilter(
        label="Where they stand",
        choices=StanceState.choices,
        method="filter_state",
        help_text="Their current position, or whether they were asked yet.",
    )

    class Meta:
        model = Role
        fields = ["election", "region", "party", "state"]

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(area__in=areas_within(area))

    def filter_state(self, queryset, name, state):
        return filter_by_state(queryset, state) if state else queryset


class CandidacyIndexView(generic.IndexView):
    # The model is Role; the page is about candidacies, as its menu item says.
    page_title = "Candidacies"

    def get_base_queryset(self):
        return candidacies_with_stance(
            Role.objects.filter(kind=RoleKind.CANDIDATE).select_related(
                "person", "area", "party", "election"
            )
        )


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Candidacies are listed here; they are edited on the person."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Candidacies are edited on the person, so through Role's own admin views nobody
# adds, changes or deletes.
register_permission_policy(Role, ReadOnlyPolicy(Role))


class StateColumn(Column):
    def get_value(self, role):
        state = StanceState(
            role.current_position or ("no_reply" if role.asked_count else "not_asked")
        )
        return state.label


class RecordColumn(Column):
    def get_value(self, role):
        url = reverse("stance_events:add") + f"?candidacy={role.pk}"
        return format_html(
            '<a href="{}">Record an event<span class="w-sr-only"> for {}</span></a>',
            url,
            role.person.name,
        )


def person_edit_url(role):
    return reverse("wagtailsnippets_network_person:edit", args=[role.person_id])


class CandidacyViewSet(ModelViewSet):
    model = Role
    name = "candidacies"
    icon = "user"
    menu_label = "Candidacies"
    index_view_class = CandidacyIndexView
    filterset_class = CandidacyFilterSet
    search_fields = ["person__name", "area__name"]
    search_backend_name = None
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["kind"]  # never shown: nobody may add or edit here
    list_display = [
        TitleColumn(
            "person",
            label="Candidate",
            get_url=person_edit_url,
            classname="keep-words",
        ),
        Column("area", label="Constituency or ward", classname="keep-words"),
        Column("party", label="Party"),
        Column("election", label="Election"),
        StateColumn("state", label="Where they stand"),
        Column("asked_count", label="Times asked", sort_key="asked_count"),
        DateColumn("last_asked_on", label="Last asked", sort_key="last_asked_on"),
        RecordColumn("record", label="Stance"),
    ]
    list_export = [
        "person", "area", "party", "election", "current_position", "asked_count",
        "last_asked_on",
    ]  # fmt: skip
    export_filename = "candidacies"


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


# ------------------------------------------------------------------ stance events


class CandidacyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role):
        return candidacy_label(role)


class StanceEventForm(WagtailAdminModelForm):
    """Candidacies listed by constituency with the candidate's name and party."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidacy"]
        self.fields["candidacy"] = CandidacyChoiceField(
            queryset=Role.objects.filter(kind=RoleKind.CANDIDATE)
            .select_related("person", "area", "party", "election")
            .order_by("area__name", "person__name"),
            help_text=field.help_text,
            initial=field.initial,
        )


class StanceEventFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=StanceKind.choices, help_text="Asked, chased, replied, ..."
    )
    position = django_filters.ChoiceFilter(
        choices=Position.choices, help_text="The position a reply took."
    )
    election = django_filters.ModelChoiceFilter(
        field_name="candidacy__election",
        queryset=Election.objects.order_by("-date"),
        help_text="Events about candidates at this election.",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region or nation",
        queryset=regions_and_nations,
        method="filter_region",
        help_text="Events about candidates in this region or nation.",
    )

    class Meta:
        model = StanceEvent
        fields = ["kind", "position", "election", "region"]

    def filter_region(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(candidacy__area__in=areas_within(area))


class StanceEventIndexView(generic.IndexView):
    def get_base_queryset(self):
        return StanceEvent.objects.select_related(
            "candidacy__person", "candidacy__area", "recorded_by"
        )


STANCE_FORM_FIELDS = [
    "candidacy", "kind", "occurred_on", "method", "asked_by", "position", "quote",
    "evidence_url",
]  # fmt: skip


class StanceEventCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        candidacy = self.request.GET.get("candidacy", "")
        if candidacy.isdigit():
            initial["candidacy"] = int(candidacy)
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        event = stance_record(
            actor=self.request.user,
            **{name: data.get(name) or "" for name in STANCE_FORM_FIELDS},
        )
        log(instance=event, action="wagtail.create", user=self.request.user)
        return event


class StanceEventViewSet(ModelViewSet):
    model = StanceEvent
    name = "stance_events"
    icon = "list-ul"
    menu_label = "Stance events"
    add_view_class = StanceEventCreateView
    index_view_class = StanceEventIndexView
    filterset_class = StanceEventFilterSet
    search_fields = ["candidacy__person__name", "candidacy__area__name", "quote"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "candidacy",
        Column("candidate", accessor="candidacy.person", label="Candidate"),
        "kind",
        DateColumn("occurred_on", label="Date", sort_key="occurred_on"),
        "position",
        Column("recorded_by", label="Recorded by"),
    ]
    list_export = [
        "candidacy", "kind", "occurred_on", "method", "asked_by", "position",
        "quote", "evidence_url",
    ]  # fmt: skip
    export_filename = "stance-events"
    edit_handler = ObjectList(
        [
            FieldPanel("candidacy"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("occurred_on")]),
            FieldRowPanel([FieldPanel("method"), FieldPanel("asked_by")]),
            FieldPanel("position"),
            FieldPanel("quote"),
            FieldPanel("evidence_url"),
        ],
        base_form_class=StanceEventForm,
    )


class CampaignViewSetGroup(ModelViewSetGroup):
    menu_label = "Campaign"
    menu_icon = "pick"
    menu_order = 160
    items = (CandidacyViewSet, StanceEventViewSet)


@hooks.register("register_admin_viewset")
def register_campaign_viewsets():
    return CampaignViewSetGroup()
