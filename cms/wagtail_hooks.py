"""The admin for event registrations: a listing that filters and exports, and one
page per event with the counts, the waiting list, access needs and attendance."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from cms import admin_views
from cms.admin_dashboard import WaitingForYouPanel
from cms.models import EventPage, Registration

REGISTRATION_PERMISSION = "cms.view_registration"


class RegistrationFilterSet(WagtailFilterSet):
    class Meta:
        model = Registration
        fields = ["event", "status", "attended", "consent_to_contact"]


class RegistrationViewSet(ModelViewSet):
    """Every registration, filtered by event and status, exported as a spreadsheet."""

    model = Registration
    icon = "group"
    menu_label = "Registrations"
    menu_order = 250
    add_to_admin_menu = True
    filterset_class = RegistrationFilterSet
    search_fields = ["name", "email", "organisation"]
    search_backend_name = None  # plain database lookups: registrations are not indexed
    list_display = [
        "name",
        "event",
        "status",
        "organisation",
        "access_needs",
        "attended",
        "created_at",
    ]
    list_export = [
        "event",
        "name",
        "email",
        "organisation",
        "area",
        "access_needs",
        "get_status_display",
        "attended",
        "attended_at",
        "consent_to_contact",
        "consent_recorded_at",
        "consent_source",
        "consent_wording_version",
        "created_at",
    ]
    export_headings = {
        "event": "Event",
        "area": "Council area",
        "get_status_display": "Status",
    }
    export_filename = "registrations"
    ordering = ["event", "created_at"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("event"),
        FieldPanel("name"),
        FieldPanel("email"),
        FieldPanel("organisation"),
        FieldPanel("access_needs"),
        FieldPanel("status"),
        FieldPanel("attended"),
    ]

    def get_queryset(self, request):
        return Registration.objects.select_related("event", "area")


registration_viewset = RegistrationViewSet("registrations")


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return registration_viewset


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path(
            "cms/attendance/",
            admin_views.event_overview,
            name="cms_attendance_index",
        ),
        path(
            "cms/attendance/<int:event_id>/",
            admin_views.event_registrations,
            name="cms_attendance",
        ),
        path(
            "cms/attendance/<int:event_id>/promote/<int:registration_id>/",
            admin_views.registration_promote,
            name="cms_registration_promote",
        ),
    ]


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REGISTRATION_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        "Attendance",
        reverse("cms_attendance_index"),
        icon_name="tick-inverse",
        order=251,
    )


@hooks.register("register_page_listing_more_buttons")
def event_registrations_button(page, user, next_url=None):
    if page.specific_class is EventPage and user.has_perm(REGISTRATION_PERMISSION):
        yield Button(
            "Registrations and attendance",
            url=reverse("cms_attendance", args=[page.pk]),
            icon_name="group",
            priority=90,
        )


@hooks.register("construct_homepage_panels")
def add_waiting_for_you(request, panels):
    panels.append(WaitingForYouPanel(request))
