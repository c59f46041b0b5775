"""The load benchmark's data: UK-scale, fictional, made once per database.

- every UK area (`load_areas`: 650 constituencies, 382 councils, 8,396 wards);
- the demo network and campaign site (`seed_demo`);
- on top, a fictional independent slate at UK scale: two candidates in each of the
  650 constituencies at the 2024 general election and a councillor in every third
  ward (about 4,100 people with public profiles, each with one role).

`prepare()` returns the paths load.py measures. Run inside Django (load.py does).
"""

import random
from datetime import UTC, date, datetime

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from network.models import Area, AreaType, Election, Party, Person, Role, RoleKind

SLUG_PREFIX = "loadtest-"
CANDIDATES_PER_SEAT = 2
WARD_STEP = 3
FIRST = ["Amal", "Bea", "Cai", "Dara", "Efa", "Femi", "Gwen", "Hana", "Idris", "Jo"]
LAST = ["Ashby", "Brack", "Carrow", "Dunmore", "Elsey", "Fenwick", "Garth", "Hollin"]


def _people_wanted() -> int:
    seats = Area.objects.filter(area_type=AreaType.CONSTITUENCY).count()
    wards = Area.objects.filter(area_type=AreaType.WARD).count()
    return seats * CANDIDATES_PER_SEAT + len(range(0, wards, WARD_STEP))


@transaction.atomic
def build_people() -> int:
    """Create the UK-scale slate unless it is there. Returns people created."""
    if Person.objects.filter(slug__startswith=SLUG_PREFIX).count() >= _people_wanted():
        return 0
    Person.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    rng = random.Random(8)  # noqa: S311 - repeatable fictional data
    general = Election.objects.get(election_id="parl.2024-07-04")
    independent = Party.objects.get(name="Independent")
    agreed = datetime(2024, 1, 15, 10, tzinfo=UTC)
    seats = list(Area.objects.filter(area_type=AreaType.CONSTITUENCY).order_by("pk"))
    wards = list(Area.objects.filter(area_type=AreaType.WARD).order_by("pk"))
    wards = wards[::WARD_STEP]

    plan = [(seat, RoleKind.CANDIDATE) for seat in seats for _ in range(2)]
    plan += [(ward, RoleKind.COUNCILLOR) for ward in wards]
    people = [
        Person(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}",
            slug=f"{SLUG_PREFIX}{number:05d}",
            bio="Fictional profile made for the load benchmark.",
            public_profile=True,
            public_profile_agreed_at=agreed,
        )
        for number in range(len(plan))
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    roles = []
    for person, (area, kind) in zip(people, plan, strict=True):
        if kind == RoleKind.CANDIDATE:
            roles.append(
                Role(
                    person=person,
                    kind=kind,
                    area=area,
                    election=general,
                    party=independent,
                    start_date=date(2024, 5, 30),
                    end_date=date(2024, 7, 4),
                )  # fmt: skip
            )
        else:
            roles.append(
                Role(
                    person=person,
                    kind=kind,
                    area=area,
                    party=independent,
                    start_date=date(2023, 11, 1),
                )  # fmt: skip
            )
    Role.objects.bulk_create(roles, batch_size=1000)
    return len(people)


def _event_path() -> str | None:
    try:
        from cms.models import EventPage
    except ImportError:
        return None
    event = EventPage.objects.live().public().order_by("pk").first()
    return event.url if event else None


def _constituency_path() -> str | None:
    try:
        seat = (
            Area.objects.filter(
                area_type=AreaType.CONSTITUENCY, name="Bristol Central"
            ).first()
        ) or Area.objects.filter(area_type=AreaType.CONSTITUENCY).order_by("pk").first()
        return reverse("stances:constituency", kwargs={"slug": seat.slug})
    except Exception:  # the public stance pages are not installed
        return None


def _people_api() -> tuple[str, str] | tuple[None, None]:
    """The people endpoint and a partner key whose rate the benchmark cannot hit."""
    try:
        from api.models import PartnerOrganisation
        from api.services import partner_key_create
    except ImportError:
        return None, None
    organisation, _ = PartnerOrganisation.objects.update_or_create(
        name="Load benchmark (fictional)",
        defaults={
            "contact_email": "bench@example.org",
            "rate_limit": "1000000/minute",
        },
    )
    _, raw = partner_key_create(organisation=organisation, name="bench run")
    return reverse("api:person-list"), f"Api-Key {raw}"


def vacuum_analyze() -> None:
    """Fresh statistics for the planner and a fresh visibility map (which lets
    a count be read from an index alone), as autovacuum would give a database
    that has lived a while: rows just loaded have neither."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def prepare() -> dict:
    # The demo's stance seeding walks every general-election candidacy, so it runs
    # before the slate exists, on the first preparation only.
    if not Person.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        call_command("seed_demo", verbosity=0)
    else:
        from cms.demo import seed_site

        seed_site()  # pages added to the demo since the first preparation
    created = build_people()
    # The slate is made with bulk_create, which sends no signals: its stored API
    # documents (and those of a database prepared before they existed) come here.
    from api.documents import documents_missing, documents_rebuild

    missing = documents_missing()
    for start in range(0, len(missing), 1000):
        documents_rebuild(missing[start : start + 1000])
    vacuum_analyze()
    targets = {"trivial view (baseline)": {"path": "/bench/trivial/"}}
    targets["home page"] = {"path": "/"}
    event = _event_path()
    if event:
        targets["event page"] = {"path": event}
    seat = _constituency_path()
    if seat:
        targets["constituency page"] = {"path": seat}
    api_path, authorization = _people_api()
    if api_path:
        targets["people API"] = {"path": api_path, "authorization": authorization}
    return {
        "targets": targets,
        "people": Person.objects.count(),
        "people_created": created,
        "areas": Area.objects.count(),
    }
