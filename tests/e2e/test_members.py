"""A network member and a coordinator in a real browser: signing in (with the
second factor for the admin), editing one's own profile, the directory, asking to
join; axe-core's WCAG 2.2 AA checks on each page."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone

from network.models import ContactDetail, Person, User
from network.roles import COORDINATOR_GROUP, MEMBER_GROUP
from tests.conftest import enrol_mfa, totp_code
from tests.e2e.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

PASSWORD = "a-long-Passphrase-42"


def account(email, group, **person):
    who = Person.objects.create(
        name=person.pop("name", "Ira Browser"),
        slug=person.pop("slug", "ira-browser"),
        public_profile=True,
        public_profile_agreed_at=timezone.now(),
    )
    user = User.objects.create_user(
        username=who.slug, email=email, password=PASSWORD, person=who
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.add(AuthGroup.objects.get(name=group))
    return user


def sign_in(page, email):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_member_signs_in_and_edits_their_profile(page, assert_no_axe_violations):
    account("ira@example.org", MEMBER_GROUP)
    Person.objects.create(name="Jo Colleague", slug="jo-colleague")
    page.goto("/network/")
    assert "/accounts/login/" in page.url
    assert_no_axe_violations(page)
    sign_in(page, "ira@example.org")
    page.wait_for_url(re.compile(r"/network/$"))
    assert page.locator("h1").inner_text() == "Your network area"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Edit my profile").click()
    assert page.locator("h1").inner_text() == "Edit my profile"
    assert_no_axe_violations(page)
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Short bio").fill("Organiser in the valleys.")
    page.locator("[name=contacts-0-kind]").select_option("phone")
    page.locator("[name=contacts-0-value]").fill("0161 496 0999")
    page.locator("[name=contacts-0-visibility]").select_option("network")
    page.get_by_role("button", name="Save my profile").click()
    assert "Your profile is saved." in page.locator(".messages").inner_text()
    contact = ContactDetail.objects.get(person__slug="ira-browser")
    assert (contact.value, contact.visibility) == ("+441614960999", "network")

    page.goto("/network/directory/")
    assert_no_axe_violations(page)
    page.get_by_label("Name").fill("colleague")
    page.get_by_role("button", name="Filter").click()
    assert "Jo Colleague" in page.locator("main").inner_text()
    assert "Ira Browser" not in page.locator(".people").inner_text()
    page.get_by_role("link", name="Jo Colleague").click()
    assert page.locator("h1").inner_text() == "Jo Colleague"
    assert_no_axe_violations(page)


def test_coordinator_needs_the_second_factor_for_the_admin(
    page, assert_no_axe_violations
):
    user = account("kit@example.org", COORDINATOR_GROUP, name="Kit Coord", slug="kc")
    secret = enrol_mfa(user)
    page.goto("/admin/")
    assert "/admin/login/" in page.url
    sign_in(page, "kit@example.org")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "Members" in page.locator("nav").first.inner_text()


def test_asking_to_join_shows_errors_accessibly(page, assert_no_axe_violations):
    page.goto("/network/join/")
    assert_no_axe_violations(page)
    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="Send my request").click()
    assert (
        "Enter an email address like name@example.org"
        in page.locator("main").inner_text()
    )
    assert_no_axe_violations(page)
