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

from campaign.models import (
    STANCE_ROLE_KINDS,
    ConstituentAsk,
    Pledge,
    PledgeInvalidation,
    PledgeRule,
    PledgeStatus,
    PledgeWording,
    Position,
    StanceEvent,
    StanceKind,
)
from campaign.selectors import StanceState, candidacies_with_stance, filter_by_state
from campaign.services import pledges_invalidate, stance_record
from network.models import Area, AreaType, Election, Party, Role, RoleKind
from network.selectors import areas_within


def regions_and_nations(request=None):
    return Area.objects.filter(
        area_type__in=(AreaType.REGION, AreaType.NATION)
    ).order_by("name")


def candidacy_label(role: Role) -> str:
    party = f", {role.label}" if role.label else ""
    if role.kind == RoleKind.CANDIDATE and role.election_id:
        when = role.election.name
    else:  # a seat held: asked between elections too
        when = f"sitting {role.get_kind_display()}"
    where = role.area.name if role.area_id else ""
    return f"{role.person.name} - {where}{party} ({when})"


# ------------------------------------------------------------------ candidacies

# The listing holds candidacies and sitting MPs (councillors' seats are asked from
# the stance event form, by name).
LISTED_KINDS = (RoleKind.CANDIDATE, RoleKind.MP)


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
            Role.objects.filter(kind__in=LISTED_KINDS).select_related(
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
            queryset=Role.objects.filter(kind__in=STANCE_ROLE_KINDS)
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


# ------------------------------------------------------------------ pledge and asks


class PledgeFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=PledgeStatus.choices, help_text="Waiting, confirmed or invalidated."
    )
    held = django_filters.BooleanFilter(
        help_text="Held: over a rate limit or blocked, so not counted."
    )
    email_domain = django_filters.CharFilter(
        lookup_expr="iexact", help_text="The email address's domain."
    )
    constituency = django_filters.ModelChoiceFilter(
        queryset=Area.objects.filter(area_type=AreaType.CONSTITUENCY).order_by("name"),
        help_text="Pledges counted in this constituency.",
    )

    class Meta:
        model = Pledge
        fields = ["status", "held", "email_domain", "constituency"]


class PledgeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Pledge.objects.select_related("constituency", "invalidation")


class PledgeViewSet(ModelViewSet):
    """Pledges for spotting fraud: where, when, from which domain and network.
    Names and email addresses are not shown: checking a flood needs neither."""

    model = Pledge
    name = "pledges"
    icon = "tick"
    menu_label = "Pledges"
    index_view_class = PledgeIndexView
    filterset_class = PledgeFilterSet
    search_fields = None
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        Column("constituency", label="Constituency"),
        "status",
        "held",
        "hold_reason",
        "email_domain",
        "client_network",
        DateColumn("created_at", label="Made", sort_key="created_at"),
        Column("invalidation", label="Invalidated by"),
    ]
    list_export = [
        "constituency", "status", "held", "hold_reason", "email_domain",
        "client_network", "created_at", "confirmed_at", "invalidated_at",
    ]  # fmt: skip
    export_filename = "pledges"
    form_fields = ["status"]


class PledgeWordingViewSet(ModelViewSet):
    model = PledgeWording
    name = "pledge_wordings"
    icon = "doc-full"
    menu_label = "Pledge wording"
    copy_view_enabled = True
    list_display = [
        "version",
        "language",
        "title",
        DateColumn("created_at", label="Added"),
    ]
    list_filter = ["language"]
    # A translation: copy the English wording, choose the language, keep its
    # version and translate the words.
    form_fields = ["version", "language", "title", "statement", "consent"]


class PledgeRuleViewSet(ModelViewSet):
    model = PledgeRule
    name = "pledge_rules"
    icon = "warning"
    menu_label = "Blocked and allowed"
    list_display = ["value", "kind", "action", "note"]
    list_filter = ["kind", "action"]
    form_fields = ["kind", "action", "value", "note"]


class PledgeInvalidationForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        if not (
            data.get("email_domain")
            or data.get("network")
            or data.get("made_from")
            or data.get("made_until")
        ):
            raise forms.ValidationError("Choose a domain, a network or a time window.")
        return data


class PledgeInvalidationCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        batch = pledges_invalidate(
            reason=data["reason"],
            actor=self.request.user,
            email_domain=data.get("email_domain") or "",
            network=data.get("network") or "",
            made_from=data.get("made_from"),
            made_until=data.get("made_until"),
            constituency=data.get("constituency"),
        )
        log(instance=batch, action="wagtail.create", user=self.request.user)
        return batch

    def get_success_message(self, instance):
        return (
            f"{instance.pledges_invalidated} pledges invalidated; "
            f"{instance.counted_removed} taken off the counts."
        )


class PledgeInvalidationViewSet(ModelViewSet):
    model = PledgeInvalidation
    name = "pledge_invalidations"
    icon = "cross"
    menu_label = "Invalidations"
    add_view_class = PledgeInvalidationCreateView
    copy_view_enabled = False
    list_display = [
        "reason",
        "email_domain",
        "network",
        "pledges_invalidated",
        "counted_removed",
        DateColumn("created_at", label="Made"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("reason"),
            FieldRowPanel([FieldPanel("email_domain"), FieldPanel("network")]),
            FieldRowPanel([FieldPanel("made_from"), FieldPanel("made_until")]),
            FieldPanel("constituency"),
        ],
        base_form_class=PledgeInvalidationForm,
    )


class ConstituentAskViewSet(ModelViewSet):
    """Asks by status and candidate: who wrote, and what, stays with the candidate
    they wrote to."""

    model = ConstituentAsk
    name = "constituent_asks"
    icon = "mail"
    menu_label = "Constituents' asks"
    copy_view_enabled = False
    list_display = [
        Column("candidacy", label="Candidate"),
        "status",
        "held",
        DateColumn("created_at", label="Written"),
        DateColumn("sent_at", label="Sent"),
        "last_error",
    ]
    list_filter = ["status", "held"]
    form_fields = ["status"]


class PledgeAdminPolicy(ModelPermissionPolicy):
    """Pledges and asks are written by the public and changed only by services
    (confirming, invalidating): the admin lists them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class InvalidationPolicy(ModelPermissionPolicy):
    """An invalidation is a record: made once, never changed or deleted."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Pledge, PledgeAdminPolicy(Pledge))
register_permission_policy(ConstituentAsk, PledgeAdminPolicy(ConstituentAsk))
register_permission_policy(PledgeInvalidation, InvalidationPolicy(PledgeInvalidation))


class CampaignViewSetGroup(ModelViewSetGroup):
    menu_label = "Campaign"
    menu_icon = "pick"
    menu_order = 160
    items = (
        CandidacyViewSet,
        StanceEventViewSet,
        PledgeWordingViewSet,
        PledgeViewSet,
        PledgeRuleViewSet,
        PledgeInvalidationViewSet,
        ConstituentAskViewSet,
    )


@hooks.register("register_admin_viewset")
def register_campaign_viewsets():
    return CampaignViewSetGroup()
