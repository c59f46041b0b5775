"""Pages of the campaign site, edited in the Wagtail admin."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
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

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        FieldPanel("call_to_action_text"),
        FieldPanel("call_to_action_link"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
