"""The two pages a newcomer opens first."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_responds_with_the_campaign_call(client, uk_areas):
    call_command("seed_demo", verbosity=0)
    response = client.get("/")
    assert response.status_code == 200
    assert b"No ceasefire, no vote" in response.content


def test_admin_login_page_responds(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"password" in response.content.lower()
