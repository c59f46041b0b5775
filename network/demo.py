"""A deterministic demo network for development and tests.

Everyone here is invented: names are drawn from made-up surnames, phone numbers are
from Ofcom's Manchester range reserved for drama (0161 496 0000-0999), and addresses use
example.org. The areas are real (they come from load_areas). Running the seed
again finds every record by its slug or natural key and creates nothing twice.
"""

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageColor, ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from network.members.photos import COLLECTION_NAME, resized_jpeg, store_photo
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
    photos: int = 0

    def lines(self):
        return [
            f"Demo network: {self.people_created} people created, "
            f"{self.people_existing} already there; {self.groups} groups, "
            f"{self.elections} elections, {self.parties} parties, "
            f"{self.photos} photos added."
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
    report.photos = seed_photos()
    return report


# ------------------------------------------------------------------ demo photos

# Demo people's photos are drawn here, not photographed: each is the person's
# initials over a few shapes in colours drawn from their name, so every run draws
# the same picture. They show nobody. They are the project's own work, under its
# licence (AGPL-3.0-or-later); the drawn images may also be reused on any terms
# (CC0 1.0), like the demo pictures of cms/illustrations.py (docs/cms.md).
AVATAR_SIDE = 400
AVATAR_BACKGROUNDS = ["#0b6e4f", "#1d4e89", "#6a2c70", "#8a4b08", "#2f5d50", "#7a1f3d"]
AVATAR_SHAPES = ["#f2c14e", "#f78154", "#5fad56", "#4d9de0", "#e15554", "#f4f1de"]
# Which demo people have a photo: the network's candidates in the first seats by
# name (the constituency pages a visitor meets first), and every organiser.
PHOTO_SEATS = 12


def initials(name: str) -> str:
    words = [word for word in name.replace("-", " ").split() if word]
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def draw_avatar(name: str) -> bytes:
    """A square PNG for a demo person: their initials over abstract shapes, the
    same for the same name on every run and every machine."""
    digest = hashlib.sha256(name.encode()).digest()
    rng = random.Random(digest)  # noqa: S311 - a picture, not a secret
    side = AVATAR_SIDE
    image = PILImage.new("RGB", (side, side), rng.choice(AVATAR_BACKGROUNDS))
    layer = PILImage.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(3):
        colour = ImageColor.getrgb(rng.choice(AVATAR_SHAPES))
        fill = (*colour, rng.randint(90, 170))
        x, y = rng.randint(-side // 4, side), rng.randint(-side // 4, side)
        size = rng.randint(side // 3, side)
        if rng.random() < 0.5:
            draw.ellipse((x - size // 2, y - size // 2, x + size // 2, y + size // 2),
                         fill=fill)  # fmt: skip
        else:
            draw.polygon([(x, y), (x + size, y + size // 3), (x + size // 4, y + size)],
                         fill=fill)  # fmt: skip
    image.paste(layer, (0, 0), layer)
    text = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=side * 2 // 5)
    text.text((side / 2, side / 2), initials(name), font=font, anchor="mm",
              fill="white", stroke_width=side // 80, stroke_fill="#1b1b1b")  # fmt: skip
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _photo_people():
    seats = (
        Area.objects.filter(area_type=AreaType.CONSTITUENCY, name__in=CANDIDATE_SEATS)
        .order_by("name")
        .values_list("pk", flat=True)[:PHOTO_SEATS]
    )
    candidates = Person.objects.filter(
        roles__kind=RoleKind.CANDIDATE,
        roles__area__in=list(seats),
        bio__startswith="Fictional demo profile. Independent candidate",
    )
    # Only the demo's own organisers: the seed may run where real people are.
    organisers = Person.objects.filter(
        roles__kind=RoleKind.ORGANISER, bio__startswith="Fictional demo profile"
    )
    return (candidates | organisers).filter(photo__isnull=True).distinct()


def seed_photos() -> int:
    """Give the chosen demo people a drawn photo, stored as a member's upload is
    (private, under a random name: network/members/photos.py). People who have
    one keep it. Returns how many were added."""

    Image = get_image_model()
    added = 0
    for person in _photo_people().order_by("slug"):
        upload = SimpleUploadedFile("avatar.png", draw_avatar(person.name))
        # The same drawing makes the same stored file: a photo left behind by
        # people deleted since is used again rather than stored twice.
        file_hash = hash_filelike(io.BytesIO(resized_jpeg(upload)))
        image = Image.objects.filter(
            collection__name=COLLECTION_NAME, file_hash=file_hash
        ).first() or store_photo(upload)
        Person.objects.filter(pk=person.pk).update(photo=image)
        added += 1
    return added
