"""Every public and member form, and allauth's sign-in pages, follow one pattern
(templates/includes/forms/): labels without colons, hints under their labels and
named by the control's aria-describedby, an error summary first in the form with a
link to each field in error, the error beside the field too, and the privacy
notice linked beside every consent box."""

import re

import pytest
from allauth.account.internal.flows.login import record_authentication
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory

from network.members import services as member_services
from network.roles import COORDINATOR_GROUP
from tests.conftest import enrol_mfa, sign_in_with_mfa, totp_code
from tests.factories import PersonFactory, build_site_pages

pytestmark = pytest.mark.django_db

CONTROLS = "input:not([type=hidden]):not([type=submit]), select, textarea"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the forms' rate limits count in the cache
    yield
    cache.clear()


def forms_in(html: str) -> tuple[BeautifulSoup, list]:
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    assert main is not None
    # The header's search box is the site's, not the page's form.
    return soup, main.find_all("form")


def assert_pattern(html: str, *, errors: bool = False) -> BeautifulSoup:
    """The page's forms follow the pattern; with ``errors``, the first form in
    error shows its summary first, each link leading to a field in error."""
    soup, forms = forms_in(html)
    assert forms, "no form on the page"
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert len(ids) == len(soup.find_all(id=True)), "an id is used twice"
    for form in forms:
        for label in form.find_all(["label", "legend"]):
            text = label.get_text(" ", strip=True)
            assert text and not text.endswith(":"), f"label {text!r}"
            if label.name == "label" and "hp" not in (label.parent.get("class") or []):
                assert label.get("for") in ids, f"label {text!r} names no control"
        for control in form.select(CONTROLS):
            if control.find_parent(class_="hp"):
                continue  # the honeypot, hidden from people
            labelled = soup.find("label", attrs={"for": control.get("id")})
            assert labelled, f"{control.get('name')} has no label"
            assert not control.get("placeholder"), control.get("name")
            for described in (control.get("aria-describedby") or "").split():
                assert described in ids, f"{control.get('name')}: no #{described}"
        for hint in form.select(".form-hint[id]"):
            describers = soup.select(f'[aria-describedby~="{hint["id"]}"]')
            assert describers, f"hint #{hint['id']} describes nothing"
    summaries = soup.select(".error-summary")
    if not errors:
        assert not summaries
        return soup
    assert len(summaries) == 1
    summary = summaries[0]
    form = summary.find_parent("form")
    first = [
        child
        for child in form.find_all(recursive=False)
        if not (child.name == "input" and child.get("type") == "hidden")
    ][0]
    assert first is summary, "the error summary is not first in its form"
    assert summary.has_attr("data-error-summary") and summary["tabindex"] == "-1"
    assert summary.get("role") == "alert"
    assert summary.find(["h2", "h3"]).get_text(strip=True) == "There is a problem"
    links = summary.select("a[href^='#']")
    assert links, "the summary links to no field"
    for link in links:
        target = soup.find(id=link["href"][1:])
        assert target is not None, f"summary link {link['href']} leads nowhere"
        assert target.name in ("input", "select", "textarea"), link["href"]
        assert target.find_parent("form") is form
        assert target.get("aria-invalid") == "true", link["href"]
        # The same words beside the field, named by its description.
        error_id = f"{target['id'].removesuffix('_0')}_error"
        inline = soup.find(id=error_id)
        assert inline is not None, f"no inline error #{error_id}"
        assert link.get_text(strip=True) in inline.get_text(" ", strip=True)
        describer = (
            target if target.get("aria-describedby") else target.find_parent("fieldset")
        )
        assert error_id in describer["aria-describedby"].split()
    return soup


def assert_privacy_beside_consent(soup, consent_name: str):
    box = soup.find("input", attrs={"name": consent_name})
    group = box.find_parent(class_="form-consent")
    assert group is not None, "the consent box is not in the consent pattern"
    link = group.find("a", href="/privacy/")
    assert link and "privacy notice" in link.get_text()


# ------------------------------------------------------------------ public forms


def test_event_registration_form(client):
    site = build_site_pages()
    soup = assert_pattern(client.get(site.event.url).content.decode())
    assert_privacy_beside_consent(soup, "consent_to_contact")
    response = client.post(
        site.event.registration_url(), {"name": "", "email": "not-an-address"}
    )
    soup = assert_pattern(response.content.decode(), errors=True)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    assert "Enter your name" in summary
    assert "Enter an email address like name@example.org" in summary
    assert soup.title.get_text().startswith("Error: ")


def test_signup_form_on_its_page_and_on_other_pages(client):
    soup = assert_pattern(client.get("/updates/signup/").content.decode())
    assert_privacy_beside_consent(soup, "consent")
    response = client.post("/updates/signup/", {"email": "nope"})
    assert response.status_code == 400
    soup = assert_pattern(response.content.decode(), errors=True)
    summary = soup.select_one(".error-summary")
    # The consent's error: a full sentence in the summary and above the box,
    # not squeezed beside it.
    link = summary.find("a", href="#id_consent")
    assert link.get_text(strip=True) == "Tick the box to agree, or we cannot email you."
    error = soup.find(id="id_consent_error")
    assert error.find_next_sibling(class_="form-choice").find(id="id_consent")
    # The block editors put on other pages is the same form.
    site = build_site_pages()
    site.home.body = '[{"type": "signup", "value": {"heading": "Hear from us"}}]'
    site.home.save_revision().publish()
    soup = assert_pattern(client.get(site.home.url).content.decode())
    assert_privacy_beside_consent(soup, "consent")


def test_postcode_search_on_where_they_stand(client, uk_areas):
    assert_pattern(client.get("/where-they-stand/").content.decode())
    response = client.get("/where-they-stand/", {"postcode": "not a postcode"})
    soup = assert_pattern(response.content.decode(), errors=True)
    assert soup.select_one(".error-summary a")["href"] == "#id_postcode"
    response = client.get("/where-they-stand/", {"postcode": ""})
    soup = assert_pattern(response.content.decode(), errors=True)
    assert "Enter your postcode" in soup.select_one(".error-summary").get_text()


def test_join_form(client, uk_areas):
    soup = assert_pattern(client.get("/network/join/").content.decode())
    assert soup.find("a", href="/privacy/"), "the join form links the privacy notice"
    area = soup.find("input", attrs={"name": "area"})
    assert area["type"] == "text" and area["list"] == "join-area-suggestions"
    assert not soup.find("select"), "the area is a search, not a long list"
    response = client.post("/network/join/", {"email": "nope", "area": "Xyzzyshire"})
    soup = assert_pattern(response.content.decode(), errors=True)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    for message in (
        "Enter your name",
        "Enter an email address like name@example.org",
        "Choose what you are",
        "No council or constituency matches “Xyzzyshire”",
        "Tell us why you want to join",
    ):
        assert message in summary


def test_the_join_forms_question_about_an_area_it_cannot_tell(client, uk_areas):
    data = {
        "name": "Ada Example",
        "email": "ada@example.org",
        "role": "organiser",
        "statement": "I run the vigil.",
        "area": "Bristol",
    }
    response = client.post("/network/join/", data)
    soup = assert_pattern(response.content.decode(), errors=True)
    assert soup.select_one(".error-summary a")["href"] == "#id_area_choice_0"
    assert soup.find("legend", string="Which one do you mean?")


# ------------------------------------------------------------------ member forms


def test_invitation_form(client, make_staff, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group as AuthGroup

    coordinator = make_staff(username="coord")
    coordinator.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_send(
            person=PersonFactory(), email="new@example.org", actor=coordinator
        )
    path = re.search(r"/network/invitation/\S+/", mail.outbox[-1].body)[0]
    assert_pattern(client.get(path).content.decode())
    response = client.post(path, {"password1": "short", "password2": "other"})
    assert_pattern(response.content.decode(), errors=True)


def test_profile_and_directory_forms(client, make_member):
    user = make_member(name="Pat Member", email="pat@example.org")
    client.force_login(user)
    edit = f"/network/people/{user.person.slug}/edit/"
    html = client.get(edit).content.decode()
    assert_pattern(html)
    version = BeautifulSoup(html, "html.parser").find(attrs={"name": "version"})
    response = client.post(
        edit,
        {
            "version": version["value"],
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-kind": "email",
            "contacts-0-value": "not an address",
            "contacts-0-visibility": "members",
        },
    )
    soup = assert_pattern(response.content.decode(), errors=True)
    assert soup.select_one(".error-summary a")["href"] == "#id_contacts-0-value"
    assert_pattern(client.get("/network/directory/").content.decode())


# ------------------------------------------------------------------ allauth


def test_sign_in_pages(client, make_member):
    assert_pattern(client.get("/accounts/login/").content.decode())
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    soup = assert_pattern(response.content.decode(), errors=True)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    assert "Enter email" in summary and "Enter password" in summary
    assert "This field is required" not in summary
    for path in ("/accounts/password/reset/", "/accounts/login/code/"):
        assert_pattern(client.get(path).content.decode())
    response = client.post("/accounts/password/reset/", {"email": "nope"})
    assert_pattern(response.content.decode(), errors=True)

    user = make_member(email="signed.in@example.org")
    client.force_login(user)
    for path in (
        "/accounts/password/change/",
        "/accounts/reauthenticate/",
        "/accounts/email/",
    ):
        assert_pattern(client.get(path).content.decode())


def test_allauth_speaks_in_sentence_case(client, make_member):
    user = make_member(email="words@example.org")
    client.force_login(user)
    pages = {
        "/accounts/reauthenticate/": ["Confirm access"],
        "/accounts/2fa/": ["Two-factor authentication", "Authenticator app"],
        "/accounts/password/change/": ["Change password", "Current password"],
        "/accounts/logout/": ["Sign out"],
    }
    for path, phrases in pages.items():
        html = client.get(path).content.decode()
        for phrase in phrases:
            assert phrase in html, (path, phrase)
    for phrase in ("Confirm Access", "Two-Factor Authentication", "Change Password"):
        for path in pages:
            assert phrase not in client.get(path).content.decode(), (path, phrase)
    html = client.get("/accounts/login/").content.decode()
    assert "Remember Me" not in html


def just_gave_password(client, user):
    """The session's user typed their password a moment ago, as allauth asks
    before it shows or changes a second factor."""
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(
        request, user, "password", email=user.email, reauthenticated=True
    )
    request.session.save()


def test_recovery_codes_lead_staff_on_to_the_admin(client, make_staff, make_member):
    staff = make_staff(username="editor")
    sign_in_with_mfa(client, staff)
    just_gave_password(client, staff)
    html = client.get("/accounts/2fa/recovery-codes/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    onward = soup.select_one("main .button-row a.button")
    assert onward["href"] == "/admin/"
    assert "continue to the admin" in onward.get_text()
    assert "Recovery codes" in soup.find("h1").get_text()
    # A member without the admin goes on to the member area.
    member = make_member(email="rc@example.org")
    enrol_mfa(member)
    client.force_login(member)
    just_gave_password(client, member)
    soup = BeautifulSoup(
        client.get("/accounts/2fa/recovery-codes/").content, "html.parser"
    )
    assert soup.select_one("main .button-row a.button")["href"] == "/network/"


def test_enrolling_an_authenticator_from_the_admin_leads_to_the_codes(
    client, django_user_model
):
    """The admin sends an editor without an authenticator to set one up; once the
    app's code is accepted, allauth shows the recovery codes, which lead on."""
    editor = django_user_model.objects.create_superuser(
        username="new-editor", email="new-editor@example.org", password="pw"
    )
    client.force_login(editor)
    just_gave_password(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    page = client.get(response["Location"])
    soup = assert_pattern(page.content.decode())
    secret = soup.find(id="authenticator_secret")["value"]
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    onward = BeautifulSoup(response.content, "html.parser").select_one(
        "main .button-row a.button"
    )
    assert onward["href"] == "/admin/"
