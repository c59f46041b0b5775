"""Conference sessions and meetings, and the registrations people make for them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import page_handlers
from cms.blocks import BodyBlock
from cms.models.pages import DirectoryPersonOrGroup, IllustratedPage, SitePage


class EventIndexPage(SitePage):
    """Lists upcoming events first, then past ones."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count = 1


class RegistrationState(models.TextChoices):
    """Whether an event's registration form is shown, and if not, why."""

    OPEN = "open", _("Registration is open")
    NOT_TAKEN = "not_taken", _("This event does not take registrations.")
    NOT_YET_OPEN = "not_yet_open", _("Registration has not opened yet.")
    CLOSED = "closed", _("Registration has closed.")
    PAST = "past", _("This event has finished.")


class EventPage(RoutablePageMixin, IllustratedPage):
    """A conference session or meeting. Times are UK time (Europe/London)."""

    start = models.DateTimeField(help_text="UK time.")
    end = models.DateTimeField(help_text="UK time.")
    summary = models.TextField(
        max_length=500, blank=True, help_text="One or two sentences for listings."
    )
    venue_name = models.CharField(max_length=200)
    venue_address = models.TextField(
        max_length=500, help_text="Street address and postcode, one part a line."
    )
    map_url = models.URLField(
        "link to a map",
        blank=True,
        help_text="For example the venue on OpenStreetMap.",
    )
    access_information = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Step-free access, toilets, quiet room, hearing loop, travel.",
    )
    body = StreamField(BodyBlock(), blank=True)
    takes_registrations = models.BooleanField(default=True)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Places available. Left empty: no limit. Once full, people join "
        "the waiting list.",
    )
    registration_opens = models.DateTimeField(
        null=True, blank=True, help_text="Left empty: as soon as the page is published."
    )
    registration_closes = models.DateTimeField(
        null=True, blank=True, help_text="Left empty: when the event starts."
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading="When"),
        FieldPanel("summary"),
        *IllustratedPage.image_panels,
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("map_url"),
                FieldPanel("access_information"),
            ],
            heading="Where",
        ),
        InlinePanel("hosts", heading="Hosts", help_text="From the directory."),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("takes_registrations"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens"),
                        FieldPanel("registration_closes"),
                    ]
                ),
            ],
            heading="Registration",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("venue_name"),
        index.SearchField("venue_address"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    class Meta:
        indexes = [models.Index(fields=["start"])]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The event must end after it starts."})
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            raise ValidationError(
                {"registration_closes": "Registration must close after it opens."}
            )

    def registration_state(self, now=None) -> RegistrationState:
        now = now or timezone.now()
        if self.end <= now:
            return RegistrationState.PAST
        if not self.takes_registrations:
            return RegistrationState.NOT_TAKEN
        if self.registration_opens and now < self.registration_opens:
            return RegistrationState.NOT_YET_OPEN
        closes = self.registration_closes or self.start
        if now >= closes:
            return RegistrationState.CLOSED
        return RegistrationState.OPEN

    def next_registration_change(self, now=None):
        """When :meth:`registration_state` next changes by the clock alone, or None."""
        now = now or timezone.now()
        moments = [
            self.registration_opens,
            self.registration_closes or self.start,
            self.end,
        ]
        return min((m for m in moments if m and m > now), default=None)

    def registration_url(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        # In the page's language, so the form's answers and emails are in it.
        with translation.override(self.locale.language_code):
            return reverse("cms:event_register", args=[self.pk])

    @property
    def venue_address_line(self) -> str:
        """The address on one line, parts separated by commas."""
        return ", ".join(
            line.strip() for line in self.venue_address.splitlines() if line.strip()
        )

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    # What each address answers (the registration form, its thank-you step, the
    # calendar file) is cms.views', registered in cms.page_handlers.
    @path("")
    def index(self, request):
        return page_handlers.respond(self, "index", request)

    @path("thank-you/")
    def thank_you(self, request):
        return page_handlers.respond(self, "thank_you", request)

    @path("calendar/")
    def ics(self, request):
        return page_handlers.respond(self, "ics", request)

    def ics_url(self):
        return self.url + self.reverse_subpage("ics")


class EventHost(DirectoryPersonOrGroup):
    """A person or a group from the directory hosting an event."""

    named_as = "host"

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="hosts")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "Waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(models.Model):
    """One person's registration for an event.

    Says that someone plans to attend a political event and may describe their
    access needs (health data): editors with the registration permissions see it,
    nobody else. The consent fields record what the person agreed to, when, where
    and with which wording."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(help_text="Stored in lower case.")
    organisation = models.CharField(max_length=200, blank=True)
    area = models.ForeignKey(
        "network.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The council area the person gave, if any.",
    )
    access_needs = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
        db_index=True,
    )
    consent_to_contact = models.BooleanField(
        "agreed to be contacted about the event", default=False
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=100, blank=True)
    consent_wording_version = models.CharField(max_length=40, blank=True)
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=(
            "The language of the page they registered on: their emails use it. "
            "Empty: English."
        ),
    )
    attended = models.BooleanField(default=False)
    attended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), name="cms_registration_one_per_email"
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.name} ({self.event.title})"
