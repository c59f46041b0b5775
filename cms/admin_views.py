"""Admin views for running an event on the day: counts, waiting list, access needs,
and the attendance register."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from cms import selectors, services
from cms.models import EventPage, Registration, RegistrationStatus


def _require(request, codename: str):
    if not request.user.has_perm(f"cms.{codename}_registration"):
        raise PermissionDenied


def event_overview(request):
    """Every event with its registration counts, newest first, in one query."""
    _require(request, "view")
    events = EventPage.objects.annotate(
        confirmed=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
        ),
        waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
        attended_count=Count("registrations", filter=Q(registrations__attended=True)),
    ).order_by("-start")
    return TemplateResponse(
        request, "cms/admin/attendance_index.html", {"events": events}
    )


def registration_promote(request, event_id: int, registration_id: int):
    """POST: give a place to someone on the event's waiting list."""
    _require(request, "change")
    registration = get_object_or_404(
        Registration, pk=registration_id, event_id=event_id
    )
    if request.method == "POST":
        try:
            services.registration_promote(registration=registration, actor=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            counts = selectors.registration_counts(event=registration.event)
            capacity = registration.event.capacity
            over = capacity is not None and counts.confirmed > capacity
            messages.success(
                request,
                f"{registration.name} has a place and has been emailed."
                + (
                    f" The event now has {counts.confirmed} places taken of {capacity}."
                    if over
                    else ""
                ),
            )
    return redirect("cms_attendance", event_id=event_id)


def event_registrations(request, event_id: int):
    """One event: counts, confirmed places with attendance boxes, the waiting list,
    access needs; POST saves the attendance register."""
    _require(request, "view")
    event = get_object_or_404(EventPage, pk=event_id)
    if request.method == "POST":
        _require(request, "change")
        attended_ids = {
            int(value) for value in request.POST.getlist("attended") if value.isdigit()
        }
        changed = services.attendance_mark(
            event=event, attended_ids=attended_ids, actor=request.user
        )
        messages.success(request, f"Attendance saved ({changed} changed).")
        return redirect("cms_attendance", event_id=event.pk)
    registrations = list(
        Registration.objects.filter(event=event)
        .select_related("area")
        .order_by("created_at", "pk")
    )
    export_url = reverse("registrations:index") + f"?event={event.pk}&export="
    return TemplateResponse(
        request,
        "cms/admin/attendance.html",
        {
            "event": event,
            "counts": selectors.registration_counts(event=event),
            "confirmed": [
                r for r in registrations if r.status == RegistrationStatus.CONFIRMED
            ],
            "waiting": [
                r for r in registrations if r.status == RegistrationStatus.WAITING
            ],
            "cancelled": [
                r for r in registrations if r.status == RegistrationStatus.CANCELLED
            ],
            "with_access_needs": [
                r
                for r in registrations
                if r.access_needs and r.status != RegistrationStatus.CANCELLED
            ],
            "can_change": request.user.has_perm("cms.change_registration"),
            "export_csv_url": export_url + "csv",
            "export_xlsx_url": export_url + "xlsx",
        },
    )
