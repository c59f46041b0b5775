"""Site-wide settings editors change in the admin (Settings > Site settings)."""

from django.db import models
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField

from cms.blocks import MenuItemBlock, SocialLinkBlock


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """The imprint, footer, contact address, social links and main menu.

    UK election law (Elections Act 2022) requires a digital imprint on campaign
    material: who promoted it and on whose behalf, with their addresses. The site
    prints it in the footer of every page."""

    imprint_promoter = models.CharField(
        "promoted by",
        max_length=200,
        blank=True,
        help_text="The person or organisation promoting the material.",
    )
    imprint_promoter_address = models.CharField(
        "promoter's address", max_length=300, blank=True
    )
    imprint_on_behalf_of = models.CharField(
        "on behalf of",
        max_length=200,
        blank=True,
        help_text="Left empty when the promoter publishes on their own behalf.",
    )
    imprint_on_behalf_of_address = models.CharField(
        "their address",
        max_length=300,
        blank=True,
        help_text="Left empty when it is the promoter's address.",
    )
    data_controller = models.CharField(
        "data controller",
        max_length=200,
        blank=True,
        help_text=(
            "Who decides what personal data the site collects and why: the "
            "organisation's legal name. The privacy notice names it."
        ),
    )
    data_controller_address = models.CharField(
        "data controller's address", max_length=300, blank=True
    )
    data_protection_email = models.EmailField(
        "data protection contact",
        blank=True,
        help_text="Where people send requests about their data. Defaults to the "
        "contact email.",
    )
    ico_registration = models.CharField(
        "ICO registration number",
        max_length=20,
        blank=True,
        help_text="The controller's entry in the ICO's register of fee payers.",
    )
    footer_text = RichTextField(blank=True, features=["bold", "italic", "link"])
    contact_email = models.EmailField(blank=True)
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    main_menu = StreamField(
        [("item", MenuItemBlock())],
        blank=True,
        help_text="The links across the top of every page, in order.",
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("imprint_promoter"),
                            FieldPanel("imprint_promoter_address"),
                            FieldPanel("imprint_on_behalf_of"),
                            FieldPanel("imprint_on_behalf_of_address"),
                        ],
                        heading="Digital imprint",
                    ),
                    FieldPanel("footer_text"),
                    FieldPanel("contact_email"),
                    FieldPanel("social_links"),
                ],
                heading="Footer",
            ),
            ObjectList([FieldPanel("main_menu")], heading="Main menu"),
            ObjectList(
                [
                    FieldPanel("data_controller"),
                    FieldPanel("data_controller_address"),
                    FieldPanel("data_protection_email"),
                    FieldPanel("ico_registration"),
                ],
                heading="Data protection",
            ),
        ]
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    @property
    def imprint(self) -> str:
        """The imprint sentence, or an empty string until the promoter is filled in."""
        if not self.imprint_promoter:
            return ""
        text = f"Promoted by {self.imprint_promoter}"
        if self.imprint_promoter_address:
            text += f", {self.imprint_promoter_address}"
        if self.imprint_on_behalf_of:
            text += f", on behalf of {self.imprint_on_behalf_of}"
            if self.imprint_on_behalf_of_address:
                text += f", {self.imprint_on_behalf_of_address}"
        return text + "."
