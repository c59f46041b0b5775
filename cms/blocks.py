"""StreamField blocks editors build page bodies from.

Each block renders with its own template in ``templates/blocks/``. Nothing here loads
content from another host: the "embed" block shows a link card instead of an iframe,
so a statement can point at a video without the page pulling in a third party's
scripts or trackers.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from updates.models import SignupBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subheading")],
        default="h2",
        help_text="Use subheadings only inside a section.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    """A button that sends the reader to a page of the site or another address."""

    text = blocks.CharBlock(max_length=80, help_text="Say what happens: 'Register'.")
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Only when no page is chosen.")

    class Meta:
        icon = "link"
        template = "blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "Choose a page or give an address, not both."
                    )
                }
            )
        return value


class ExternalMediaBlock(blocks.StructBlock):
    """A video, post or document elsewhere, shown as a link so nothing loads from
    another host until the reader chooses to follow it."""

    url = blocks.URLBlock(help_text="The address of the video, post or document.")
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False, max_length=500)

    class Meta:
        icon = "media"
        label = "Embed (as a link)"
        template = "blocks/external_media.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["host"] = urlsplit(value["url"]).hostname or ""
        return context


class BodyBlock(blocks.StreamBlock):
    """The body of statements, events and standard pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    quote = QuoteBlock()
    image = ImageBlock()
    embed = ExternalMediaBlock()
    call_to_action = CallToActionBlock()


class ProcessingBlock(blocks.StructBlock):
    """One use of personal data, as the UK GDPR asks a privacy notice to set out:
    what is held, why, on which lawful basis, how long, and who receives it."""

    title = blocks.CharBlock(max_length=120, help_text="For example 'Signing up'.")
    data = blocks.TextBlock(label="What we hold", max_length=1500)
    purpose = blocks.TextBlock(label="Why", max_length=1500)
    lawful_basis = blocks.TextBlock(
        label="Lawful basis",
        max_length=800,
        help_text="The UK GDPR article 6 basis, in plain words: consent, "
        "legitimate interests, ...",
    )
    special_category = blocks.TextBlock(
        label="Article 9 condition",
        required=False,
        max_length=800,
        help_text="Only for special category data (health, political opinions, "
        "...): the UK GDPR article 9 condition relied on.",
    )
    retention = blocks.TextBlock(label="How long we keep it", max_length=800)
    recipients = blocks.TextBlock(label="Who receives it", max_length=800)

    class Meta:
        icon = "lock"
        label = "Processing of personal data"
        template = "blocks/processing.html"


class DataControllerBlock(blocks.StaticBlock):
    """Who the data controller is and how to reach them, from the site settings
    (Settings > Site settings > Data protection), so the notice never goes stale."""

    class Meta:
        icon = "user"
        label = "Data controller (from site settings)"
        admin_text = "Shows the data controller and contact from the site settings."
        template = "blocks/data_controller.html"


class StandardBodyBlock(BodyBlock):
    """A standard page's body: the privacy notice is one, so it may set out each
    processing and name the data controller."""

    processing = ProcessingBlock()
    data_controller = DataControllerBlock()


class HomePageBlock(blocks.StreamBlock):
    """Sections editors add below the home page's headline, statements and events,
    among them the sign-up form for updates (``updates``)."""

    signup = SignupBlock()
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    quote = QuoteBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()


class MenuItemBlock(blocks.StructBlock):
    """One entry of the main menu: a page of the site or another address."""

    label = blocks.CharBlock(
        max_length=40, required=False, help_text="Left empty: the page's title."
    )
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Only when no page is chosen.")

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "Choose a page or give an address, not both."
                    )
                }
            )
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "label": ValidationError("A link to another site needs a label.")
                }
            )
        return value


SOCIAL_PLATFORMS = [
    ("bluesky", "Bluesky"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("mastodon", "Mastodon"),
    ("tiktok", "TikTok"),
    ("x", "X (Twitter)"),
    ("youtube", "YouTube"),
    ("other", "Other"),
]


class SocialLinkValue(blocks.StructValue):
    def display_label(self) -> str:
        return self.get("label") or dict(SOCIAL_PLATFORMS).get(self.get("platform"), "")


class SocialLinkBlock(blocks.StructBlock):
    platform = blocks.ChoiceBlock(choices=SOCIAL_PLATFORMS)
    url = blocks.URLBlock()
    label = blocks.CharBlock(
        max_length=40, required=False, help_text="Left empty: the platform's name."
    )

    class Meta:
        icon = "link"
        value_class = SocialLinkValue
