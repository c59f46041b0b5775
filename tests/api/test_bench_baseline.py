"""The API benchmark compares each people endpoint with a baseline that builds
the same document by hand. If the two drift apart (a field added to the API and
not to the baseline), the benchmark's ratios compare different work; this runs
the benchmark's own check on a small directory, so the drift fails CI."""

import pytest
from django.test import Client, override_settings

from api.models import PartnerOrganisation
from api.services import partner_key_create
from bench import api, api_dataset
from network.models import Role, RoleKind
from tests.factories import StanceEventFactory


@pytest.fixture
def bench_client(uk_areas):
    api_dataset.build(60)
    candidacies = Role.objects.filter(
        kind=RoleKind.CANDIDATE, person__slug__startswith=api_dataset.PREFIX
    ).order_by("pk")
    first, second = candidacies[:2]
    StanceEventFactory(candidacy=first, kind="asked")
    StanceEventFactory(
        candidacy=second,
        kind="replied",
        position="ceasefire",
        quote="A fictional reply.",
        evidence_url="https://example.org/reply",
    )
    organisation = PartnerOrganisation.objects.create(
        name="Benchmark check", contact_email="bench@example.org", scope="network"
    )
    _, raw = partner_key_create(organisation=organisation, name="check")
    with override_settings(ROOT_URLCONF="bench.api_urls"):
        yield Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")


def test_every_benchmark_target_answers_as_its_baseline(bench_client):
    slug = f"{api_dataset.PREFIX}00000"  # a candidate, with a stance
    names = []
    # Pages smaller than the directory, so `next` links are compared too.
    for name, api_path, base_path in api.targets(slug, size=20):
        api.assert_same(bench_client, name, api_path, base_path)
        names.append(name)
    assert len(names) == 3


def test_the_api_answers_as_the_stored_document_limit(bench_client):
    api.assert_same(bench_client, *api.limit_target(size=20))


def test_the_check_fails_when_the_baseline_differs(bench_client):
    slug = f"{api_dataset.PREFIX}00000"
    with pytest.raises(AssertionError, match="differ"):
        api.assert_same(
            bench_client,
            "mismatch",
            f"/api/v1/people/{slug}/",
            f"/bench/people/{api_dataset.PREFIX}00001/",
        )
