"""Coordination notes in the Wagtail admin: the notes listing (in the "Directory"
menu), the notes on a person's page, and my open follow-ups on the dashboard.
Imported by wagtail_hooks.

Every notes listing is narrowed by ``network.visibility.visible_notes``.
"""

from urllib.parse import urlencode

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from network.models import Area, CoordinationNote, NoteVisibility
from network.visibility import visible_notes


def note_authors(request=None):
    return get_user_model().objects.filter(coordination_notes__isnull=False).distinct()


def noted_areas(request=None):
    return Area.objects.filter(coordination_notes__isnull=False).distinct()


class NoteFilterSet(WagtailFilterSet):
    follow_ups = django_filters.ChoiceFilter(
        label="Follow-ups",
        choices=[("mine", "My open follow-ups"), ("open", "All open follow-ups")],
        method="filter_follow_ups",
        help_text="Notes with a follow-up date not yet done, overdue first.",
    )
    area = django_filters.ModelChoiceFilter(
        queryset=noted_areas,
        method="filter_area",
        help_text="Notes about this area, its people and its groups.",
    )
    author = django_filters.ModelChoiceFilter(
        queryset=note_authors, help_text="Who wrote the note."
    )
    visibility = django_filters.ChoiceFilter(
        choices=NoteVisibility.choices, help_text="Who may read it."
    )
    done = django_filters.BooleanFilter(help_text="Follow-up done or still open.")

    class Meta:
        model = CoordinationNote
        fields = ["follow_ups", "area", "author", "visibility", "done"]

    def filter_follow_ups(self, queryset, name, value):
        if not value:
            return queryset
        queryset = queryset.filter(follow_up_on__isnull=False, done=False)
        if value == "mine":
            queryset = queryset.filter(author=self.request.user)
        return queryset.order_by("follow_up_on", "pk")

    def filter_area(self, queryset, name, area):
        if not area:
            return queryset
        return queryset.filter(
            Q(area=area) | Q(person__roles__area=area) | Q(group__area=area)
        ).distinct()


class NoteCreateView(SnippetCreateView):
    def get_initial(self):
        initial = super().get_initial()
        for subject in ("person", "area", "group"):
            value = self.request.GET.get(subject, "")
            if value.isdigit():
                initial[subject] = int(value)
        return initial

    def get_initial_form_instance(self):
        return CoordinationNote(author=self.request.user)


class FollowUpColumn(Column):
    def get_value(self, note):
        if not note.follow_up_on:
            return ""
        when = date_format(note.follow_up_on, "j M Y")
        if note.is_overdue:
            return format_html("{} <strong>(overdue)</strong>", when)
        return when


class CoordinationNoteViewSet(SnippetViewSet):
    model = CoordinationNote
    icon = "comment"
    menu_label = "Coordination notes"
    add_view_class = NoteCreateView
    filterset_class = NoteFilterSet
    search_fields = ["text"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        TitleColumn(
            "excerpt",
            label="Note",
            get_url=lambda note: reverse(
                "wagtailsnippets_network_coordinationnote:edit", args=[note.pk]
            ),
        ),
        Column("subject", label="About"),
        Column("author", label="Author"),
        "visibility",
        FollowUpColumn("follow_up_on", label="Follow up on", sort_key="follow_up_on"),
        Column("done", label="Done"),
        UpdatedAtColumn(),
    ]
    list_export = ["subject", "text", "author", "visibility", "follow_up_on", "done"]
    export_filename = "coordination-notes"
    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("area"), FieldPanel("group")]),
        FieldPanel("text"),
        FieldPanel("visibility"),
        FieldRowPanel([FieldPanel("follow_up_on"), FieldPanel("done")]),
    ]

    def get_queryset(self, request):
        return visible_notes(
            CoordinationNote.objects.select_related(
                "person", "area", "group", "author"
            ),
            request.user,
        )


# ------------------------------------------------------------------ notes elsewhere


def notes_list_url(**params) -> str:
    base = reverse("wagtailsnippets_network_coordinationnote:list")
    return f"{base}?{urlencode(params)}" if params else base


def notes_add_url(**params) -> str:
    base = reverse("wagtailsnippets_network_coordinationnote:add")
    return f"{base}?{urlencode(params)}" if params else base


class PersonNotesPanel(Panel):
    """The notes about a person, on their admin page, for whoever may read them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "network/admin/person_notes_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            notes = CoordinationNote.objects.none()
            if self.instance.pk:
                notes = visible_notes(
                    self.instance.coordination_notes.select_related("author"),
                    self.request.user,
                ).order_by("-created_at")
            context["notes"] = notes
            context["add_url"] = (
                notes_add_url(person=self.instance.pk) if self.instance.pk else ""
            )
            context["edit_url_name"] = "wagtailsnippets_network_coordinationnote:edit"
            return context


class MyFollowUpsPanel(Component):
    """On the admin dashboard: my open follow-ups, overdue first."""

    name = "my_follow_ups"
    order = 90
    template_name = "network/admin/my_follow_ups_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        notes = list(
            visible_notes(CoordinationNote.objects.all(), self.request.user)
            .filter(author=self.request.user, done=False, follow_up_on__isnull=False)
            .select_related("person", "area", "group")
            .order_by("follow_up_on", "pk")[:10]
        )
        return {
            "notes": notes,
            "today": timezone.localdate(),
            "all_url": notes_list_url(follow_ups="mine"),
            "edit_url_name": "wagtailsnippets_network_coordinationnote:edit",
        }
