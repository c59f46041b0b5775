"""Top-level URLs: the Wagtail admin, documents, and the campaign site's pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from campaign.sitemaps import StancesSitemap
from cms import views as cms_views
from cms.sitemaps import LocalisedSitemap
from network.members.views import AdminLoginView, frontend_login
from ops import views as ops_views
from ops.i18n import choose_language

handler500 = ops_views.server_error

urlpatterns = [
    # The admin's sign-in is allauth's, so the second factor applies there too.
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    # Ahead of Wagtail's own front-end sign-in (in wagtail_urls), which would take
    # a password alone and skip the second factor and the rate limits.
    path("_util/login/", frontend_login, name="frontend_login"),
    # The member area and sign-in have one address for every language: they are
    # shown in the reader's chosen language (ops.i18n.ReaderLanguageMiddleware).
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.members.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    # Feeds and files for machines: one address each, in English.
    path("events.ics", cms_views.events_ics, name="events_ics"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("favicon.ico", cms_views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": LocalisedSitemap, "stances": StancesSitemap}},
        name="sitemap",
    ),
    # The language switcher's links: remember the choice, go to the page.
    path("language/<str:code>/", choose_language, name="choose_language"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
# Image files from local media, in development too: the view serves only the
# public image folders, never documents or profile photos.
if settings.DEBUG or settings.SERVE_MEDIA_IMAGES:
    urlpatterns += [path("media/<path:path>", ops_views.media_image)]

# The public site in every language: English without a prefix (so the addresses
# it always had keep working), the others under /cy/, /ur/, /bn/, /pa/. Wagtail's
# page serving comes last: it answers every path not matched above.
urlpatterns += i18n_patterns(
    path("where-they-stand/", include("campaign.urls")),
    path("updates/", include("updates.urls")),
    path("", include("campaign.pressure_urls")),
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
