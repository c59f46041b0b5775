"""A UK-scale fictional directory for the partner API benchmark.

20,000 people spread over the real areas: every one with a current role (a
councillor in a ward, or a candidate in a constituency at the 2024 general
election), two to four contacts at mixed visibilities, party history for a third
of them, and group memberships for a tenth. Half are "active" and half
"inactive", so `?status=active` selects exactly half the rows (used to compare a
10,000-row export with a 20,000-row one). Everyone is invented.

Made once per database; a second run with the same size creates nothing.
"""

import random
from datetime import UTC, date, datetime

from django.db import transaction

from api.documents import documents_rebuild
from api.models import PersonTombstone
from network.models import (
    Affiliation,
    Area,
    AreaType,
    ContactDetail,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    GroupMembership,
    Party,
    Person,
    Role,
    RoleKind,
    Visibility,
)

PREFIX = "apibench-"
FIRST = ["Amal", "Bea", "Cai", "Dara", "Efa", "Femi", "Gwen", "Hana", "Idris", "Jo"]
LAST = ["Ashby", "Brack", "Carrow", "Dunmore", "Elsey", "Fenwick", "Garth", "Hollin"]
VISIBILITIES = [Visibility.PUBLIC, Visibility.NETWORK, Visibility.COORDINATORS]


def existing() -> int:
    people = Person.objects.filter(slug__startswith=PREFIX)
    if people.filter(api_documents__isnull=True).exists():
        return -1  # made before documents were stored: make again
    return people.count()


@transaction.atomic
def build(size: int) -> int:
    """Make sure exactly `size` benchmark people exist. Returns how many were made."""
    if existing() == size:
        return 0
    gone = list(
        Person.objects.filter(slug__startswith=PREFIX).values_list(
            "public_id", flat=True
        )
    )
    Person.objects.filter(slug__startswith=PREFIX).delete()
    PersonTombstone.objects.filter(public_id__in=gone).delete()
    rng = random.Random(20)  # repeatable fictional data
    election, _ = Election.objects.get_or_create(
        election_id="parl.2024-07-04",
        defaults={
            "name": "UK Parliament general election 2024",
            "date": date(2024, 7, 4),
            "kind": ElectionKind.PARLIAMENTARY,
        },
    )
    independent, _ = Party.objects.get_or_create(
        slug="independent", defaults={"name": "Independent", "is_independent": True}
    )
    labour, _ = Party.objects.get_or_create(
        slug="labour-party", defaults={"name": "Labour Party"}
    )
    groups = [
        Group.objects.get_or_create(
            slug=f"{PREFIX}group-{n}",
            defaults={
                "name": f"Benchmark network {n}",
                "kind": GroupKind.LOCAL_NETWORK,
            },
        )[0]
        for n in range(20)
    ]
    wards = list(Area.objects.filter(area_type=AreaType.WARD).order_by("pk"))
    seats = list(Area.objects.filter(area_type=AreaType.CONSTITUENCY).order_by("pk"))
    agreed = datetime(2024, 1, 15, 10, tzinfo=UTC)
    people = Person.objects.bulk_create(
        (
            Person(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                slug=f"{PREFIX}{n:05d}",
                bio="Fictional profile made for the API benchmark.",
                status="active" if n % 2 == 0 else "inactive",
                public_profile=n % 5 != 0,
                public_profile_agreed_at=agreed if n % 5 != 0 else None,
            )
            for n in range(size)
        ),
        batch_size=2000,
    )
    roles, contacts, history, members = [], [], [], []
    for n, person in enumerate(people):
        if n % 4 == 0:
            roles.append(
                Role(
                    person=person,
                    kind=RoleKind.CANDIDATE,
                    area=seats[n % len(seats)],
                    election=election,
                    party=independent,
                )
            )
        else:
            roles.append(
                Role(
                    person=person,
                    kind=RoleKind.COUNCILLOR,
                    area=wards[n % len(wards)],
                    party=independent,
                    start_date=date(2022, 5, 5),
                )
            )
        for c in range(2 + n % 3):
            contacts.append(
                ContactDetail(
                    person=person,
                    kind="email",
                    value=f"{person.slug}.{c}@example.org",
                    visibility=VISIBILITIES[c % 3],
                    sort_order=c,
                )
            )
        if n % 3 == 0:
            history.append(
                Affiliation(
                    person=person,
                    party=labour,
                    start_date=date(2012, 1, 1),
                    end_date=date(2023, 11, 1),
                    reason_for_leaving="Fictional reason.",
                )
            )
        if n % 10 == 0:
            members.append(GroupMembership(person=person, group=groups[n % 20]))
    Role.objects.bulk_create(roles, batch_size=2000)
    ContactDetail.objects.bulk_create(contacts, batch_size=2000)
    Affiliation.objects.bulk_create(history, batch_size=2000)
    GroupMembership.objects.bulk_create(members, batch_size=2000)
    # bulk_create sends no signals: the stored documents are built here.
    ids = [person.pk for person in people]
    for start in range(0, len(ids), 2000):
        documents_rebuild(ids[start : start + 2000])
    return len(people)
