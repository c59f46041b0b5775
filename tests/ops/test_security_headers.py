"""The headers that keep the public site, the API and the admin safe in a browser."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, set[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def test_public_pages_get_the_strict_policy(client, home_page):
    response = client.get("/")
    csp = policy(response)
    assert csp["default-src"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["object-src"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_admin_gets_only_the_relaxations_it_needs(client):
    csp = policy(client.get("/admin/login/"))
    assert csp["script-src"] == {"'self'", "'unsafe-inline'"}
    assert csp["style-src"] == {"'self'", "'unsafe-inline'"}
    # Still no other host, no plugins, no framing by other sites.
    assert csp["default-src"] == {"'self'"}
    assert csp["object-src"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'self'"}
    assert "'unsafe-eval'" not in csp["script-src"]


def test_previews_may_be_framed_by_the_admin_and_keep_the_strict_policy(home_page):
    # Wagtail renders a preview (the editor's preview panel, a revision, a page
    # awaiting moderation) through a made-up request for the page's own address,
    # and the admin shows it in a frame of its own.
    csp = policy(home_page.make_preview_request())
    assert csp["frame-ancestors"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}
    assert csp["default-src"] == {"'self'"}


def test_documents_keep_wagtails_no_content_policy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(
        title="Briefing", file=ContentFile(b"<script>alert(1)</script>", "brief.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_local_media_serves_images_but_never_documents(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Rally", file=ContentFile(buffer.getvalue(), "rally.png")
    )
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"

    document = get_document_model().objects.create(
        title="Minutes", file=ContentFile(b"private minutes", "minutes.txt")
    )
    assert (tmp_path / document.file.name).exists()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get("/media/images/../documents/minutes.txt").status_code == 404


def test_uploads_over_the_limits_are_refused(settings):
    from wagtail.documents.forms import get_document_form
    from wagtail.images.forms import get_image_form

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form_class = get_document_form(get_document_model())
    form = form_class(
        data={"title": "Too big"},
        files={"file": ContentFile(b"x" * 2048, "big.txt")},
        user=None,
    )
    assert not form.is_valid()
    assert "This file is too big" in str(form.errors["file"])

    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    form_class = get_image_form(get_image_model())
    form = form_class(
        data={"title": "Too many pixels"},
        files={"file": ContentFile(buffer.getvalue(), "big.png")},
        user=None,
    )
    assert not form.is_valid()
    assert "This file has too many pixels" in str(form.errors["file"])


def test_the_admin_calls_no_other_host(admin_client_for, superuser):
    # Gravatar would receive a hash of each editor's address; the release check
    # would tell wagtail.org who runs the admin.
    response = admin_client_for(superuser).get("/admin/")
    assert response.status_code == 200
    assert b"gravatar.com" not in response.content
    # The release check is a script the dashboard mounts on this controller.
    assert b'data-controller="w-upgrade' not in response.content
