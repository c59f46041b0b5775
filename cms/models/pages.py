"""Pages of the campaign site, edited in the Wagtail admin: the home page, statements
and standard pages. Events live in ``events.py``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import page_handlers
from cms.blocks import BodyBlock, HomePageBlock, StandardBodyBlock
from network.visibility import Audience, may_see_person
from ops.siteurl import CanonicalPageURLMixin


class SitePage(CanonicalPageURLMixin, Page):
    """What every page of the site shares: an optional picture for social sharing.

    Title, description and canonical address come from Wagtail's own fields (the
    Promote tab); ``templates/includes/seo.html`` turns them into meta tags."""

    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (1200 x 630 is best).",
    )

    promote_panels = [*Page.promote_panels, FieldPanel("share_image")]
    og_type = "website"  # OpenGraph type

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_handlers.extra_context(self, request))
        return context


class HomePage(SitePage):
    """The front page: the campaign's headline call and what to do next."""

    headline = models.CharField(
        max_length=255,
        default="No ceasefire, no vote",
        help_text="The campaign's call, shown large at the top.",
    )
    intro = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="A short paragraph."
    )
    call_to_action_text = models.CharField(max_length=80, blank=True)
    call_to_action_link = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        HomePageBlock(),
        blank=True,
        help_text="Sections shown below the latest statements and upcoming events.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("call_to_action_text"), FieldPanel("call_to_action_link")],
            heading="Call to action",
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("headline"),
        index.SearchField("intro"),
    ]

    # Shared without a picture of its own, the home page shows the national card
    # drawn by the server (campaign.cards).
    social_card_alt = (
        "How many candidates call for a ceasefire in Gaza, refuse, are unclear, "
        "did not reply or were not asked yet."
    )

    def social_card_path(self) -> str:
        return reverse("stances:card")

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]


class StandardPage(SitePage):
    """A plain page: the privacy notice, about the network, and the like."""

    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(StandardBodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]


class StatementIndexPage(RoutablePageMixin, SitePage):
    """Lists the campaign's statements, newest first, with an Atom feed."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StatementPage"]
    max_count = 1

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        return page_handlers.respond(self, "feed", request)

    def feed_url(self):
        return self.url + self.reverse_subpage("feed")


class IllustratedPage(SitePage):
    """A page with a picture at its top (statements, events). The picture is a
    Wagtail image, served as renditions sized for the screen (``srcset``), with
    alt text written for this page: it is required with the picture."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the page and on its card in listings.",
    )
    image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it.",
    )

    image_panels = [
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")], heading="Picture"
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the picture for people who cannot see it."}
            )


class StatementPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.StatementPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StatementPage(IllustratedPage):
    """A statement of the campaign, with the people and groups who signed it."""

    date = models.DateField("statement date", default=timezone.localdate)
    summary = models.TextField(
        max_length=500, blank=True, help_text="One or two sentences for listings."
    )
    body = StreamField(BodyBlock())
    tags = ClusterTaggableManager(through=StatementPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        *IllustratedPage.image_panels,
        FieldPanel("body"),
        InlinePanel(
            "signatories",
            heading="Signatories",
            help_text="People and groups from the directory who signed.",
        ),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.StatementIndexPage"]
    subpage_types = []
    og_type = "article"


class DirectoryPersonOrGroup(Orderable):
    """One person or one group from the directory, named on a public page.

    Only people who agreed to a public profile may be named; the pages check again
    when they render, so a withdrawn consent takes effect at once.
    """

    # How the page names them, for the error message ("signatory", "host").
    named_as = "name"

    person = models.ForeignKey(
        "network.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.ForeignKey(
        "network.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("person"), FieldPanel("group")]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        if bool(self.person_id) == bool(self.group_id):
            raise ValidationError("Choose one person or one group.")
        if self.person_id and not may_see_person(self.person, Audience.PUBLIC):
            raise ValidationError(
                {
                    "person": (
                        f"{self.person} has not agreed to a public profile, so the "
                        f"site cannot name them as a {self.named_as}."
                    )
                }
            )

    def __str__(self):
        return str(self.person or self.group)


class StatementSignatory(DirectoryPersonOrGroup):
    """A person or a group from the directory who signed a statement."""

    named_as = "signatory"

    page = ParentalKey(
        StatementPage, on_delete=models.CASCADE, related_name="signatories"
    )
