"""A deterministic demo network for development and tests.

Everyone here is invented: names are drawn from made-up surnames, phone numbers are
from Ofcom's Manchester range reserved for drama (0161 496 0000-0999), and addresses use
example.org. The areas are real (they come from load_areas). Running the seed
again finds every record by its slug or natural key and creates nothing twice.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from network.models import (
    Affiliation,
    Area,
    AreaType,
    ContactDetail,
    ContactKind,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    GroupMembership,
    NetworkStatus,
    Party,
    Person,
    PersonStatus,
    Role,
    RoleKind,
    Visibility,
)
from network.progress import Progress

SEED = 20240704
LONDON = ZoneInfo("Europe/London")

# The five councils whose wards get demo councillors.
DEMO_COUNCILS = {
    "E06000008": "blackburn-with-darwen",
    "E07000117": "burnley",
    "E07000122": "pendle",
    "E09000030": "tower-hamlets",
    "E08000004": "oldham",
}

# Constituencies with demo candidates: the seats around the five councils, then a
# spread across the country.
CANDIDATE_SEATS = [
    "Blackburn", "Burnley", "Pendle and Clitheroe", "Rossendale and Darwen",
    "Oldham East and Saddleworth", "Oldham West, Chadderton and Royton",
    "Bethnal Green and Stepney", "Poplar and Limehouse", "Manchester Rusholme",
    "Bolton South and Walkden", "Preston", "Hyndburn", "Dewsbury and Batley",
    "Bradford West", "Bradford East", "Leicester South", "Leicester East",
    "Birmingham Ladywood", "Birmingham Perry Barr",
    "Birmingham Hodge Hill and Solihull North", "Ilford North", "Ilford South",
    "East Ham", "West Ham and Beckton", "Tottenham", "Hackney South and Shoreditch",
    "Islington North", "Luton South and South Bedfordshire", "Slough",
    "Bristol Central", "Cardiff South and Penarth", "Newport West and Islwyn",
    "Glasgow East", "Glasgow South", "Edinburgh North and Leith", "Sheffield Central",
]  # fmt: skip

FIRST_NAMES = [
    "Aisha", "Bilal", "Chloe", "Daniyal", "Esme", "Farhan", "Grace", "Hamza",
    "Imogen", "Javed", "Kiran", "Layla", "Mohammed", "Nadia", "Owen", "Priya",
    "Qasim", "Rosa", "Sajid", "Tasnim", "Usman", "Verity", "Waqas", "Yasmin",
    "Zainab", "Aled", "Bronwen", "Callum", "Deirdre", "Euan", "Fatima", "Gareth",
    "Hannah", "Ibrahim", "Jess", "Kwame", "Leah", "Maryam", "Niamh", "Omar",
]  # fmt: skip
# Invented surnames, chosen so no demo person can be mistaken for a real one.
SURNAMES = [
    "Ashbrindle", "Blackwater-Pryce", "Cotterwell", "Dunmarrow", "Elmsgarth",
    "Fairhollow", "Glenquarry", "Hartstoke", "Inchbarrow", "Jessingford",
    "Kellowmere", "Larkhollow", "Marrowdene", "Northavel", "Oakwarren",
    "Pendlebrook", "Quillmoor", "Rookhaven", "Saltmere", "Thistlecombe",
    "Underbeck", "Vellacott-Rhys", "Wintergill", "Yarrowfield",
]  # fmt: skip

LEAVING_REASONS = [
    "Resigned after the party leadership refused to back a ceasefire; says "
    "residents asked them to stand by what they had promised on the doorstep.",
    "Left over the leadership's position on Gaza and now sits as an independent, "
    "saying the ward deserves a councillor who speaks plainly.",
    "Had the whip withdrawn after voting for a council motion calling for a "
    "ceasefire, then chose not to seek its return.",
    "Left the party after a members' meeting on a ceasefire motion was cancelled; "
    "continues to hold surgeries as an independent.",
]

GROUPS = [
    ("Blackburn with Darwen Independents", GroupKind.COUNCIL_GROUP, "E06000008"),
    ("Burnley and Pendle Councillors", GroupKind.COUNCIL_GROUP, "E07000117"),
    ("Tower Hamlets Ceasefire Network", GroupKind.LOCAL_NETWORK, "E09000030"),
    ("Oldham Peace and Justice Forum", GroupKind.LOCAL_NETWORK, "E08000004"),
    ("North West Solidarity Partners", GroupKind.PARTNER, "E12000002"),
    ("London Independents Network", GroupKind.LOCAL_NETWORK, "E12000007"),
]  # fmt: skip

PARTIES = [
    ("Labour Party", "PP53", False),
    ("Conservative and Unionist Party", "PP52", False),
    ("Liberal Democrats", "PP90", False),
    ("Green Party", "PP63", False),
    ("Reform UK", "PP7931", False),
    ("Independent", "", True),
]


@dataclass
class SeedReport:
    people_created: int = 0
    people_existing: int = 0
    groups: int = 0
    elections: int = 0
    parties: int = 0

    def lines(self):
        return [
            f"Demo network: {self.people_created} people created, "
            f"{self.people_existing} already there; {self.groups} groups, "
            f"{self.elections} elections, {self.parties} parties."
        ]


def seed_parties() -> dict[str, Party]:
    parties = {}
    for name, ec_id, independent in PARTIES:
        party, _ = Party.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "ec_id": ec_id, "is_independent": independent},
        )
        parties[name] = party
    return parties


def seed_elections() -> tuple[Election, dict[str, Election]]:
    general, _ = Election.objects.get_or_create(
        election_id="parl.2024-07-04",
        defaults={
            "name": "UK Parliament general election 2024",
            "date": date(2024, 7, 4),
            "kind": ElectionKind.PARLIAMENTARY,
        },
    )
    local = {}
    for gss, slug in DEMO_COUNCILS.items():
        council = Area.objects.get(gss_code=gss)
        local[gss], _ = Election.objects.get_or_create(
            election_id=f"local.{slug}.2026-05-07",
            defaults={
                "name": f"{council.name} local election 2026",
                "date": date(2026, 5, 7),
                "kind": ElectionKind.LOCAL,
            },
        )
    return general, local


def seed_groups() -> dict[str, Group]:
    groups = {}
    for name, kind, area_gss in GROUPS:
        group, _ = Group.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": kind,
                "area": Area.objects.get(gss_code=area_gss),
                "description": (
                    "A fictional group in the demo data, standing in for a local "
                    "network that coordinates through the directory."
                ),
                "website": f"https://example.org/groups/{slugify(name)}",
            },
        )
        groups[area_gss] = group
    return groups


class NameMaker:
    """Unique, repeatable invented names."""

    def __init__(self, rng: random.Random):
        pairs = [(f, s) for f in FIRST_NAMES for s in SURNAMES]
        rng.shuffle(pairs)
        self._pairs = iter(pairs)

    def next(self) -> str:
        first, last = next(self._pairs)
        return f"{first} {last}"


def add_contacts(person: Person, rng: random.Random, number: int):
    """One contact at each visibility, so every viewer sees something different."""
    handle = person.slug.replace("-", "")[:15]
    slug = person.slug
    address = f"{rng.randint(1, 180)} Example Street\nDemotown\nBB1 1AA"
    contacts = [
        (ContactKind.EMAIL, f"{slug}@example.org", Visibility.PUBLIC, "Public"),
        (ContactKind.EMAIL, f"{slug}.home@example.net", Visibility.NETWORK, "Home"),
        (
            ContactKind.PHONE,
            f"0161 496 {number % 1000:04d}",
            Visibility.COORDINATORS,
            "",
        ),
        (ContactKind.X, f"@{handle}", Visibility.PUBLIC, ""),
        (ContactKind.ADDRESS, address, Visibility.COORDINATORS, "Home"),
    ]
    for kind, value, visibility, label in contacts:
        contact = ContactDetail(
            person=person, kind=kind, value=value, visibility=visibility, label=label
        )
        contact.full_clean(exclude=["person"])
        contact.save()


def make_person(
    name: str,
    rng: random.Random,
    number: int,
    bio: str,
    network_status: str = NetworkStatus.MEMBER,
) -> tuple[Person, bool]:
    slug = slugify(name)
    existing = Person.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    agreed = rng.random() < 0.8
    person = Person(
        name=name,
        slug=slug,
        pronouns=rng.choice(["", "she/her", "he/him", "they/them"]),
        bio=f"Fictional demo profile. {bio}",
        network_status=network_status,
        status=PersonStatus.ACTIVE if rng.random() < 0.9 else PersonStatus.INACTIVE,
        public_profile=agreed,
        public_profile_agreed_at=(
            datetime.combine(date(2024, 1, 15), time(10), tzinfo=LONDON)
            if agreed
            else None
        ),
    )
    person.full_clean()
    person.save()
    add_contacts(person, rng, number)
    return person, True


def add_role(person, **fields):
    role = Role(person=person, **fields)
    role.full_clean(exclude=["person"])
    role.save()


def add_labour_history(person, parties, rng):
    left = (
        date(2023, 10, rng.randint(12, 31))
        if rng.random() < 0.6
        else date(2023, 11, rng.randint(1, 30))
    )
    spell = Affiliation(
        person=person,
        party=parties["Labour Party"],
        start_date=date(rng.randint(1995, 2018), rng.randint(1, 12), 1),
        end_date=left,
        reason_for_leaving=rng.choice(LEAVING_REASONS),
        statement_url=f"https://example.org/statements/{person.slug}",
    )
    spell.full_clean(exclude=["person"])
    spell.save()
    return left


@transaction.atomic
def seed_network(*, out=None) -> SeedReport:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    report = SeedReport()
    parties = seed_parties()
    general, local_elections = seed_elections()
    groups = seed_groups()
    names = NameMaker(rng)
    report.parties, report.groups = len(parties), len(groups)
    report.elections = 1 + len(local_elections)

    wards = list(
        Area.objects.filter(area_type=AreaType.WARD, parent__gss_code__in=DEMO_COUNCILS)
        .select_related("parent")
        .order_by("parent__gss_code", "gss_code")
    )
    seats = list(
        Area.objects.filter(
            area_type=AreaType.CONSTITUENCY, name__in=CANDIDATE_SEATS
        ).order_by("name")
    )
    # Roughly half the wards of each council have a network councillor.
    councillor_wards = [w for i, w in enumerate(wards) if i % 2 == 0]
    progress = Progress(out, "Demo people", len(councillor_wards) + len(seats) + 6)
    number = 0

    for ward in councillor_wards:
        number += 1
        name = names.next()
        person, created = make_person(
            name,
            rng,
            number,
            f"Independent councillor for {ward.name} in {ward.parent.name}.",
        )
        if created:
            left = add_labour_history(person, parties, rng)
            add_role(person, kind=RoleKind.COUNCILLOR, area=ward,
                     party=parties["Independent"], start_date=left)  # fmt: skip
            GroupMembership.objects.get_or_create(
                group=groups[ward.parent.gss_code]
                if ward.parent.gss_code in groups
                else groups["E07000117"],
                person=person,
            )
        report.people_created += created
        report.people_existing += not created
        progress.advance()

    for seat in seats:
        number += 1
        name = names.next()
        person, created = make_person(
            name,
            rng,
            number,
            f"Independent candidate in {seat.name} at the 2024 general election.",
        )
        if created:
            if rng.random() < 0.5:
                add_labour_history(person, parties, rng)
            add_role(person, kind=RoleKind.CANDIDATE, area=seat, election=general,
                     party=parties["Independent"], start_date=date(2024, 5, 30),
                     end_date=date(2024, 7, 4))  # fmt: skip
        report.people_created += created
        report.people_existing += not created
        progress.advance()

    # Organisers and campaigners who hold no seat.
    for group in list(groups.values()):
        number += 1
        person, created = make_person(
            names.next(),
            rng,
            number,
            f"Organiser with {group.name}.",
            network_status=NetworkStatus.ORGANISER,
        )
        if created:
            add_role(person, kind=RoleKind.ORGANISER, group=group, area=group.area,
                     start_date=date(2024, 1, 10))  # fmt: skip
            GroupMembership.objects.get_or_create(
                group=group, person=person, defaults={"role_title": "Convenor"}
            )
        report.people_created += created
        report.people_existing += not created
        progress.advance()
    progress.finish()
    return report
