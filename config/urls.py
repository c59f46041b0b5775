"""Top-level URLs: the Wagtail admin, documents, and the campaign site's pages."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from network.members.views import AdminLoginView

urlpatterns = [
    # The admin's sign-in is allauth's, so the second factor applies there too.
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.members.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("api.urls")),
    path("updates/", include("cms.updates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it answers every path not matched above.
urlpatterns += [path("", include(wagtail_urls))]
