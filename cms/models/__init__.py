"""The campaign site's models: pages, events and registrations, site settings."""

from cms.models.events import (
    EventHost,
    EventIndexPage,
    EventPage,
    Registration,
    RegistrationState,
    RegistrationStatus,
)
from cms.models.pages import (
    HomePage,
    SitePage,
    StandardPage,
    StatementIndexPage,
    StatementPage,
    StatementPageTag,
    StatementSignatory,
)
from cms.models.settings import SiteSettings

__all__ = [
    "EventHost",
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "Registration",
    "RegistrationState",
    "RegistrationStatus",
    "SitePage",
    "SiteSettings",
    "StandardPage",
    "StatementIndexPage",
    "StatementPage",
    "StatementPageTag",
    "StatementSignatory",
]
