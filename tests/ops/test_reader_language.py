"""The member area and sign-in pages have one address for every language: they
are shown in the reader's earlier choice, else their browser's language, else
English, and so are the sign-in code and password-reset emails they send
(ops/i18n.py ReaderLanguageMiddleware)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_the_browsers_language_is_used_without_a_choice(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="ur" dir="rtl">'
    assert "Sign in" not in BeautifulSoup(response.content, "html.parser").h1.text
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
    assert response["Content-Language"] == "ur"


def test_an_earlier_choice_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="ur")
    assert html_tag(response) == '<html lang="cy" dir="ltr">'
    assert "Mewngofnodi" in response.content.decode()


def test_english_otherwise_and_for_an_unknown_choice(client):
    assert html_tag(client.get(LOGIN)) == '<html lang="en-GB" dir="ltr">'
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="fr, de")
    assert html_tag(response) == '<html lang="en-GB" dir="ltr">'


def test_the_switcher_on_a_sign_in_page_changes_its_language(client):
    soup = BeautifulSoup(client.get(LOGIN).content, "html.parser")
    welsh = soup.select_one('.language-switcher a[hreflang="cy"]')["href"]
    assert welsh.startswith("/language/cy/?next=")
    response = client.get(welsh)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert html_tag(client.get(LOGIN)) == '<html lang="cy" dir="ltr">'
    # One address for every language: no hreflang alternates name it.
    assert not soup.select('link[rel="alternate"][hreflang]')


def test_the_member_area_and_join_page_follow_the_reader(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    response = client.get("/network/join/")
    assert html_tag(response) == '<html lang="bn" dir="ltr">'
    assert "Ask to join the network" not in response.content.decode()


def test_public_pages_still_take_their_language_from_the_address(client, site_pages):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    response = client.get("/updates/signup/", HTTP_ACCEPT_LANGUAGE="ur")
    assert html_tag(response) == '<html lang="en-GB" dir="ltr">'


def test_the_sign_in_code_email_is_in_the_readers_language(client, django_user_model):
    django_user_model.objects.create_user(
        username="member", email="member@example.org", password="a long password 1"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.post("/accounts/login/code/", {"email": "member@example.org"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert "سائن اِن کوڈ" in message.subject
    assert "Your sign-in code" not in message.body
    assert "نیچے ہے" in message.body


def test_the_password_reset_email_is_in_the_readers_language(client, django_user_model):
    django_user_model.objects.create_user(
        username="member", email="member@example.org", password="a long password 1"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.post("/accounts/password/reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert "Dewiswch gyfrinair newydd" in message.subject
    assert message.body.startswith("Helo gan No Ceasefire No Vote.")
