"""The shipped translations: every catalogue complete, compiled and in step with
the strings the code marks, and every public page read in every language with
no interface string left in English."""

import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache

from campaign.models import PledgeWording
from campaign.services import stance_record
from cms.services import page_translation_publish
from network.models import Area
from tests.factories import CandidacyFactory

ROOT = Path(settings.BASE_DIR)
LOCALES = ["cy", "ur", "bn", "pa"]  # en_GB only rewords libraries' English
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
NPLURALS = {"cy": 4, "ur": 2, "bn": 2, "pa": 2}


def catalogue(language) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


# ---------------------------------------------------------------- catalogues


@pytest.mark.parametrize("language", LOCALES)
def test_every_string_is_translated_with_its_placeholders(language):
    po = catalogue(language)
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in po.header
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in range(NPLURALS[language])]
            if not all(forms):
                problems.append(f"empty plural form: {entry.msgid!r}")
            wanted = sorted(set(wanted) | set(PLACEHOLDER.findall(entry.msgid_plural)))
            # A form may leave the count out (Welsh says "one" in words).
            got = sorted({p for form in forms for p in PLACEHOLDER.findall(form)})
            if not set(got) <= set(wanted):
                problems.append(f"placeholders {got} != {wanted}: {entry.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"empty: {entry.msgid!r}")
        elif sorted(PLACEHOLDER.findall(entry.msgstr)) != wanted:
            problems.append(f"placeholders differ: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", [*LOCALES, "en_GB"])
def test_compiled_catalogues_match_their_sources(language):
    """The .mo files are committed (a checkout needs no build step): each must say
    what its .po says. After editing a .po: make compilemessages."""
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    po, mo = (
        polib.pofile(str(folder / "django.po")),
        polib.mofile(str(folder / "django.mo")),
    )

    def translations(entries):
        found = {}
        for entry in entries:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            value = (
                tuple(sorted(entry.msgstr_plural.items()))
                if entry.msgid_plural
                else entry.msgstr
            )
            if value:
                found[key(entry)] = value
        return found

    assert translations(mo) == translations(po), (
        f"locale/{language}: run `make compilemessages`"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_string_marked_in_the_code_is_in_the_catalogues(tmp_path):
    """makemessages over a copy of the code, into a fresh catalogue: a string marked
    for translation but missing from the shipped ones fails here (run `make
    messages`, translate, `make compilemessages`)."""
    for name in (
        "campaign",
        "cms",
        "updates",
        "network",
        "ops",
        "api",
        "config",
        "templates",
    ):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "ur", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "ur" / "LC_MESSAGES" / "django.po"))
    marked = {key(e) for e in fresh if e.msgid}
    for language in LOCALES:
        shipped = {key(e) for e in catalogue(language) if not e.obsolete}
        missing = sorted(marked - shipped)
        assert not missing, f"locale/{language} lacks: " + "; ".join(
            repr(m[1]) for m in missing[:20]
        )


# ---------------------------------------------------------------- pages


class TextCollector(HTMLParser):
    """What a reader sees or hears: text, and the words in alt, aria-label,
    placeholder and title attributes."""

    SKIP = {"script", "style"}
    SPOKEN = ("alt", "aria-label", "placeholder", "title")

    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.chunks.append(value.strip())

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.chunks.append(" ".join(data.split()))


def english_interface_strings(language) -> set[str]:
    """Interface strings whose translation differs from the English: seeing one
    of these on a page in ``language`` means it was not translated."""
    found = set()
    for entry in catalogue(language):
        if entry.msgid_plural or PLACEHOLDER.search(entry.msgid) or "<" in entry.msgid:
            continue
        if entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) > 2:
            found.add(entry.msgid)
    return found


def untranslated_on(html: str, language: str) -> set[str]:
    collector = TextCollector()
    collector.feed(html)
    english = english_interface_strings(language)
    return {chunk for chunk in collector.chunks if chunk in english}


@pytest.fixture
def multilingual_site(site_pages, uk_areas):
    """Home, statement and event pages in every language, and a constituency with
    a candidate asked twice."""
    cache.clear()
    for language in LOCALES:
        for page in (site_pages.home, site_pages.statement, site_pages.event):
            page_translation_publish(
                page=page,
                language=language,
                fields={"title": f"{page.title} {language}"},
            )
    seat = Area.objects.get(area_type="constituency", name="Blackburn")
    candidacy = CandidacyFactory(area=seat, person__name="Bea Backer")
    for day in (1, 15):
        stance_record(
            candidacy=candidacy,
            kind="asked",
            method="email",
            occurred_on=date(2024, 6, day),
            actor=None,
        )
    # The pledge's words in English only: translated pages show them marked as
    # English, with the page around them in the reader's language.
    PledgeWording.objects.create(
        version="2026-12", statement="I pledge.", consent="I agree."
    )
    site_pages.candidacy = candidacy
    return site_pages


def public_paths(pages) -> list[str]:
    return [
        "/",
        "/statements/",
        pages.statement.url,
        "/events/",
        pages.event.url,
        "/search/?q=peace",
        "/search/?q=zzzz",
        "/where-they-stand/",
        "/where-they-stand/?q=black",
        "/where-they-stand/?postcode=nonsense",
        "/where-they-stand/blackburn/",
        "/updates/signup/",
        "/pledge/",
        "/pledge/check-your-email/",
        f"/ask/{pages.candidacy.pk}/",
        "/no-such-page/",
    ]


@pytest.mark.django_db
def test_every_public_page_reads_in_every_language(client, multilingual_site):
    english_paths = public_paths(multilingual_site)
    # The check sees English interface strings where they are: on English pages.
    english_home = client.get("/").content.decode()
    assert "Skip to main content" in untranslated_on(english_home, "ur")

    for language in LOCALES:
        direction = "rtl" if language == "ur" else "ltr"
        for path in english_paths:
            localised = f"/{language}{path}"
            response = client.get(localised)
            expected = 404 if "no-such-page" in path else 200
            assert response.status_code == expected, localised
            html = response.content.decode()
            assert f'<html lang="{language}" dir="{direction}">' in html, localised
            left = untranslated_on(html, language)
            assert not left, f"{localised} shows in English: {sorted(left)}"


@pytest.mark.django_db
def test_a_form_with_errors_reads_in_the_language(client, multilingual_site):
    response = client.post("/ur/updates/signup/", {"email": "not an address"})
    html = response.content.decode()
    assert "ایک مسئلہ ہے" in html  # "There is a problem"
    assert not untranslated_on(html, "ur")
    assert 'dir="rtl"' in html


# ---------------------------------------------------------------- sign-in pages


def allauth_english() -> set[str]:
    """django-allauth's English, as its catalogue and our en_GB rewording write
    it: seen on a page in another language, one of its strings was missed
    (network/members/allauth_words.py lists those the sign-in pages show)."""
    import allauth

    source = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    found = set()
    for entry in polib.pofile(str(source / "django.po")):
        if entry.msgid and not entry.msgid_plural and len(entry.msgid) > 2:
            if not PLACEHOLDER.search(entry.msgid) and "<" not in entry.msgid:
                found.add(entry.msgid)
    found |= {e.msgstr for e in catalogue("en_GB") if e.msgstr}
    return found


def signed_out_reader_paths() -> list[str]:
    return [
        "/accounts/login/",
        "/accounts/login/code/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-set-password/",
        "/network/join/",
        "/network/join/thanks/",
        "/network/invitation/not-a-valid-link/",
    ]


def signed_in_reader_paths(member) -> list[str]:
    slug = member.person.slug
    return [
        "/network/",
        "/network/directory/",
        f"/network/people/{slug}/",
        f"/network/people/{slug}/edit/",
        "/network/delete-account/",
        "/accounts/logout/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
    ]


@pytest.mark.django_db
def test_sign_in_and_member_pages_read_in_the_readers_language(
    client, site_pages, make_member
):
    """The member area and sign-in have one address: the reader's choice (the
    switcher's cookie) picks the language. No English left, neither the site's
    nor allauth's."""
    allauth_words = allauth_english()
    english_login = client.get("/accounts/login/").content.decode()
    collector = TextCollector()
    collector.feed(english_login)
    assert "Forgot your password?" in set(collector.chunks) & allauth_words

    member = make_member(name="Mina Member")
    for language in LOCALES:
        direction = "rtl" if language == "ur" else "ltr"
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for signed_in, paths in (
            (False, signed_out_reader_paths()),
            (True, signed_in_reader_paths(member)),
        ):
            if signed_in:
                client.force_login(member)
            for path in paths:
                response = client.get(path)
                expected = 404 if "not-a-valid-link" in path else 200
                assert response.status_code == expected, (language, path)
                html = response.content.decode()
                assert f'<html lang="{language}" dir="{direction}">' in html, path
                left = untranslated_on(html, language)
                collector = TextCollector()
                collector.feed(html)
                left |= set(collector.chunks) & allauth_words
                assert not left, f"{language} {path} shows in English: {sorted(left)}"


@pytest.mark.django_db
def test_a_sign_in_error_reads_in_the_readers_language(client, make_member):
    make_member(email="mina@example.org")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.post(
        "/accounts/login/", {"login": "mina@example.org", "password": "wrong one"}
    )
    html = response.content.decode()
    assert "درست نہیں" in html  # "not correct"
    assert "not correct" not in html


# ---------------------------------------------------------------- scripts

JS_STRING = re.compile(r"""(["'`])((?:\\.|(?!\1).)*)\1""")
JS_WRITES_TEXT = re.compile(
    r"""(?:textContent|innerText|innerHTML|placeholder|title|alt)\s*=\s*["'`]"""
    r"""[^"'`]*[A-Za-z]"""
    r"""|createTextNode\(\s*["'`][^"'`]*[A-Za-z]|setAttribute\(\s*["']"""
    r"""(?:aria-label|title|placeholder|alt)["']\s*,\s*["'`]"""
)


def prose_in_script(source: str) -> list[str]:
    """Words a reader would see, written into a script: a string literal with a
    space and a capital letter or a sentence's punctuation ("Add ", "No area
    matches that name."), and any text set straight from a literal. Class names
    ("button button-small"), selectors and header values are not prose."""
    found = []
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    code = "\n".join(re.sub(r"(^|\s)//.*$", "", line) for line in code.splitlines())
    for _quote, text in JS_STRING.findall(code):
        if " " in text and re.search(r"[A-Za-z]{2,}", text):
            if re.search(r"[A-Z]", text) or re.search(r"[.?!:,]( |$)", text):
                found.append(text)
    found += [m.group(0) for m in JS_WRITES_TEXT.finditer(code)]
    return found


def test_the_prose_check_sees_english_in_a_script():
    assert prose_in_script('li.textContent = "No area matches that name.";')
    assert prose_in_script('button.textContent = "Add " + area.label;')
    assert not prose_in_script('button.className = "button button-secondary";')
    assert not prose_in_script('button.textContent = root.dataset.add + " " + x;')
    assert not prose_in_script('list.textContent = "";')


@pytest.mark.parametrize(
    "script",
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "static").rglob("*.js")),
)
def test_scripts_carry_no_english_of_their_own(script):
    """A script's words come from the page (data attributes rendered by a
    translated template), so a reader of another language never meets English
    a script wrote."""
    found = prose_in_script((ROOT / script).read_text(encoding="utf-8"))
    assert not found, f"{script} writes English: {found}"
