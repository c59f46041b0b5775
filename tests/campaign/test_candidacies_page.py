"""The Candidacies page in the admin reads as what its menu item says, and the
candidates' names stay whole in its table."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import sign_in_as_staff
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


def test_candidacies_page_is_titled_candidacies(client, superuser, uk_areas):
    CandidacyFactory(person__name="Oluwaseun Adebayo-Whitfield")
    sign_in_as_staff(client, superuser)
    html = client.get(reverse("candidacies:index")).content.decode()
    assert re.search(r"<title>\s*Candidacies", html)
    assert re.search(r"<h1[^>]*>\s*Candidacies\s*</h1>", html)
    assert (
        "Roles" not in re.sub(r"<td.*?</td>", "", html, flags=re.S).split("<main", 1)[1]
    )


def test_candidate_names_do_not_break_inside_a_word(client, superuser, uk_areas):
    CandidacyFactory(person__name="Oluwaseun Adebayo-Whitfield")
    sign_in_as_staff(client, superuser)
    html = client.get(reverse("candidacies:index")).content.decode()
    cell = re.search(r'<td class="([^"]*)title">\s*<div class="title-wrapper">\s*'
                     r"<a[^>]*>\s*Oluwaseun", html)  # fmt: skip
    assert cell and "keep-words" in cell.group(1)
    assert "css/admin.css" in html
    css = open(finders.find("css/admin.css")).read()  # noqa: SIM115
    rule = css[css.index("td.keep-words .title") :]
    assert "word-break: normal" in rule and "overflow-wrap: normal" in rule
