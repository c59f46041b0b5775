"""Top-level URLs: the Wagtail admin, documents, and the campaign site's pages."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from network.members.views import AdminLoginView, frontend_login
from ops import views as ops_views

handler500 = ops_views.server_error

urlpatterns = [
    # The admin's sign-in is allauth's, so the second factor applies there too.
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    # Ahead of Wagtail's own front-end sign-in (in wagtail_urls), which would take
    # a password alone and skip the second factor and the rate limits.
    path("_util/login/", frontend_login, name="frontend_login"),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.members.urls")),
    path("where-they-stand/", include("campaign.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    path("updates/", include("updates.urls")),
    path("", include("campaign.pressure_urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
# Image files from local media, in development too: the view serves only the
# public image folders, never documents or profile photos.
if settings.DEBUG or settings.SERVE_MEDIA_IMAGES:
    urlpatterns += [path("media/<path:path>", ops_views.media_image)]

# Wagtail's page serving comes last: it answers every path not matched above.
urlpatterns += [path("", include(wagtail_urls))]
