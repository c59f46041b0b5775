"""The admin's door answers (the demo home page: tests/cms/test_demo.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_page_responds(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"password" in response.content.lower()
