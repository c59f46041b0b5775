"""Signing in: email as the login, verification, emailed codes, MFA for the admin,
rate limits, no account enumeration, sessions ended by password changes."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from network.roles import COORDINATOR_GROUP, EDITOR_GROUP, MEMBER_GROUP
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


def make_in_group(django_user_model, group, email):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.add(AuthGroup.objects.get(name=group))
    return user


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = reverse("admin_login") if next_url is None else reverse("account_login")
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


# ------------------------------------------------------------------ roles


def test_the_three_roles_are_created_with_their_permissions():
    def perms(name):
        return set(
            AuthGroup.objects.get(name=name).permissions.values_list(
                "codename", flat=True
            )
        )

    editor, coordinator, member = (
        perms(EDITOR_GROUP),
        perms(COORDINATOR_GROUP),
        perms(MEMBER_GROUP),
    )
    assert {"access_admin", "add_image", "add_document"} <= editor
    assert "change_person" not in editor
    assert {
        "access_admin",
        "change_person",
        "add_invitation",
        "change_joinrequest",
        "view_profilechange",
        "add_coordinationnote",
        "add_partnerkey",
        "change_partnerorganisation",
    } <= coordinator
    assert {"add_mailing", "send_mailing"} <= editor
    assert member == {"edit_own_profile", "view_network_directory"}
    from wagtail.models import GroupPagePermission

    editor_pages = set(
        GroupPagePermission.objects.filter(group__name=EDITOR_GROUP).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= editor_pages


# ------------------------------------------------------------------ MFA gate


@pytest.mark.parametrize("group", [EDITOR_GROUP, COORDINATOR_GROUP])
def test_editors_and_coordinators_cannot_reach_the_admin_before_enrolling(
    client, django_user_model, enrol_totp, group
):
    user = make_in_group(django_user_model, group, f"{group.lower()}@example.org")
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    # Not just the dashboard: every admin page.
    response = client.get("/admin/snippets/network/person/")
    assert response.url.startswith(reverse("mfa_activate_totp"))

    secret = enrol_totp(user)
    # Enrolled since this session began, so the admin asks for a code first.
    response = client.get(reverse("wagtailadmin_home"))
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    client.post(response.url, {"code": totp_code(secret)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_members_are_not_asked_to_enrol_and_the_admin_stays_closed(client, make_member):
    client.force_login(make_member())
    response = client.get(reverse("wagtailadmin_home"))
    # Wagtail's own refusal (to its sign-in), not an invitation to enrol.
    assert response.status_code == 302
    assert not response.url.startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("members:dashboard")).status_code == 200


def test_admin_sign_in_asks_for_the_second_factor(client, django_user_model):
    user = make_in_group(django_user_model, COORDINATOR_GROUP, "co@example.org")
    from tests.conftest import enrol_mfa

    secret = enrol_mfa(user)
    response = sign_in(client, "co@example.org")
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Password alone does not open the admin.
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, django_user_model):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.conftest import enrol_mfa

    user = make_in_group(django_user_model, EDITOR_GROUP, "ed@example.org")
    enrol_mfa(user)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    sign_in(client, "ed@example.org")
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.url == reverse("wagtailadmin_home")

    other = Client()
    sign_in(other, "ed@example.org")
    response = other.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session


def test_ensure_admin_login_gets_a_fresh_operator_in_after_enrolling(
    client, monkeypatch
):
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    printed = out.getvalue()
    assert "admin@example.org" in printed
    assert "authenticator app" in printed

    response = sign_in(client, "admin@example.org")
    assert response.url == reverse("wagtailadmin_home")  # no second factor yet
    response = client.get(reverse("wagtailadmin_home"))
    assert response.url.startswith(reverse("mfa_activate_totp"))
    # Adding a second factor asks for the password once more (allauth's default).
    response = client.get(response.url)
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert client.get(response.url).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    # This session signed in before there was a second factor: the admin asks for
    # the app's code once.
    response = client.get(reverse("wagtailadmin_home"))
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    response = client.post(response.url, {"code": totp_code(secret)})
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    # Running it again keeps the account and says how to sign in.
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "admin@example.org" in out.getvalue()
    assert "authenticator app" not in out.getvalue()
    call_command("ensure_admin", "--reset-mfa", stdout=StringIO())
    assert not Authenticator.objects.filter(user__username="admin").exists()


# ------------------------------------------------------------------ sign-in


def test_email_is_the_login_and_must_be_verified(client, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        username="unverified", email="new@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email="new@example.org", verified=False)
    response = sign_in(client, "new@example.org", next_url="/network/")
    assert "_auth_user_id" not in client.session
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert "new@example.org" in mail.outbox[0].to
    # The username is not a login.
    cache.clear()
    response = client.post(
        reverse("account_login"), {"login": "unverified", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_in_by_emailed_code(client, make_member):
    make_member(email="coded@example.org")
    response = client.post(
        reverse("account_request_login_code"), {"email": "coded@example.org"}
    )
    assert response.status_code == 302
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.M)[1]
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("members:dashboard")).status_code == 200


def test_failed_sign_ins_are_rate_limited(client, make_member):
    make_member(email="target@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"),
            {"login": "target@example.org", "password": "wrong-guess-123"},
        )
    assert b"Too many failed" not in response.content
    response = client.post(
        reverse("account_login"),
        {"login": "target@example.org", "password": PASSWORD},
    )
    # Even the right password is refused until the window passes.
    assert "_auth_user_id" not in client.session
    assert b"Too many failed" in response.content or response.status_code == 429


def test_reset_and_sign_in_do_not_reveal_whether_an_account_exists(client, make_member):
    make_member(email="known@example.org")
    known = client.post(
        reverse("account_reset_password"), {"email": "known@example.org"}
    )
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)

    known = client.post(
        reverse("account_request_login_code"), {"email": "known@example.org"}
    )
    unknown = client.post(
        reverse("account_request_login_code"), {"email": "nobody@example.org"}
    )
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)

    cache.clear()
    client = Client()  # no sign-in by code under way
    known = client.post(
        reverse("account_login"),
        {"login": "known@example.org", "password": "wrong-guess-123"},
    )
    unknown = client.post(
        reverse("account_login"),
        {"login": "nobody@example.org", "password": "wrong-guess-123"},
    )
    errors = known.context["form"].non_field_errors()
    assert errors == unknown.context["form"].non_field_errors()


@pytest.mark.parametrize("password", ["Short-pw-1", "password1234", "123456789012345"])
def test_short_and_common_passwords_are_refused(client, make_member, password):
    user = make_member()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_ends_other_sessions(make_member):
    user = make_member()
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    new = "another-long-Passphrase-7"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert here.get(reverse("members:dashboard")).status_code == 200
    assert elsewhere.get(reverse("members:dashboard")).status_code == 302


def test_disabling_an_account_ends_its_sessions(client, make_member):
    user = make_member()
    client.force_login(user)
    assert client.get(reverse("members:dashboard")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_nobody_signs_up_without_an_invitation(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert b"closed" in response.content.lower()
    from network.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_sign_in_by_code_still_asks_staff_for_the_second_factor(
    client, django_user_model
):
    from tests.conftest import enrol_mfa

    user = make_in_group(django_user_model, COORDINATOR_GROUP, "code@example.org")
    secret = enrol_mfa(user)
    client.post(reverse("account_request_login_code"), {"email": "code@example.org"})
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.M)[1]
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
