"""Demo stances: rival candidates, asking, replies and a few coordination notes.

Part of ``seed_demo``. Every name and quote is invented; the seats are the demo
network's. The network's own demo candidates are asked and mostly reply calling
for a ceasefire; two invented rivals per seat get a mix of refusals, unclear
answers, silence and not being asked yet. Running it again finds each rival by
slug and each history by its candidacy, and creates nothing twice.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils.text import slugify

from campaign.models import AskMethod, Position, StanceEvent, StanceKind
from network.models import (
    Area,
    CoordinationNote,
    Election,
    NetworkStatus,
    NoteVisibility,
    Party,
    Person,
    Role,
    RoleKind,
)

SEED = 20240530
RIVAL_BIO = "Fictional demo profile. An invented candidate of another party."
GENERAL_ELECTION = "parl.2024-07-04"
RIVAL_PARTIES = [
    "Labour Party",
    "Conservative and Unionist Party",
    "Liberal Democrats",
    "Reform UK",
]
RIVAL_FIRST_NAMES = [
    "Adrian", "Beth", "Clive", "Dawn", "Edwin", "Fiona", "Gordon", "Helen",
    "Ian", "Julie", "Keith", "Lorna", "Martin", "Nicola", "Philip", "Ruth",
]  # fmt: skip
# Invented surnames, none shared with the network's demo people.
RIVAL_SURNAMES = [
    "Brackenthwaite", "Copperfold", "Dovecombe", "Frostenden", "Gallowmere",
    "Hollinbrook", "Ironside-Vane", "Juniper-Holt", "Kestrelby", "Lowthwick",
    "Mossingham", "Nettlecombe",
]  # fmt: skip
CEASEFIRE_QUOTES = [
    "I call for an immediate and permanent ceasefire, and I will say so in Parliament.",
    "A ceasefire now, the hostages released and aid let in: that is my position.",
]
REFUSAL_QUOTES = [
    "Calls for a ceasefire are not helpful at this stage.",
    "I will follow my party's position and not call for a ceasefire.",
]
UNCLEAR_QUOTES = [
    "I want to see a sustainable end to the violence when conditions allow.",
]
NOTE_TEXTS = [
    "<p>Hustings on the high street next week: bring the question in writing.</p>",
    "<p>Two rival candidates have not answered our letter; chase them by phone.</p>",
]


def _evidence(slug: str, n: int) -> str:
    return f"https://example.org/evidence/{slug}-{n}"


def _history(role: Role, rng: random.Random, outcome: str) -> None:
    """Write a plausible, valid sequence of events for one candidacy."""
    asked_on = date(2024, 5, 31) + timedelta(days=rng.randint(0, 6))
    slug = role.person.slug
    events = []
    if outcome != "not_asked":
        events.append(
            StanceEvent(
                candidacy=role,
                kind=StanceKind.ASKED,
                occurred_on=asked_on,
                method=rng.choice([AskMethod.EMAIL, AskMethod.LETTER]),
                asked_by="Local ceasefire group (demo)",
            )
        )
    if outcome in ("no_reply", "refuses"):
        events.append(
            StanceEvent(
                candidacy=role,
                kind=StanceKind.CHASED,
                occurred_on=asked_on + timedelta(days=7),
                method=AskMethod.PHONE,
                asked_by="Local ceasefire group (demo)",
            )
        )
    quotes = {
        "ceasefire": (Position.CEASEFIRE, CEASEFIRE_QUOTES),
        "refuses": (Position.REFUSES, REFUSAL_QUOTES),
        "unclear": (Position.UNCLEAR, UNCLEAR_QUOTES),
    }
    if outcome in quotes:
        position, texts = quotes[outcome]
        events.append(
            StanceEvent(
                candidacy=role,
                kind=StanceKind.REPLIED,
                occurred_on=asked_on + timedelta(days=10),
                method=AskMethod.EMAIL,
                position=position,
                quote=rng.choice(texts),
                evidence_url=_evidence(slug, 1),
            )
        )
    for event in events:
        event.full_clean()
        event.save()


def _rival(name: str, seat: Area, party: Party, election: Election) -> Role:
    person = Person.objects.filter(slug=slugify(name)).first()
    if person is None:
        person = Person(
            name=name,
            slug=slugify(name),
            bio=RIVAL_BIO,
            network_status=NetworkStatus.TRACKED,
        )
        person.full_clean()
        person.save()
    role = Role.objects.filter(
        person=person, kind=RoleKind.CANDIDATE, election=election
    ).first()
    if role is None:
        role = Role(
            person=person,
            kind=RoleKind.CANDIDATE,
            area=seat,
            election=election,
            party=party,
        )
        role.full_clean()
        role.save()
    return role


@transaction.atomic
def seed_stances() -> list[str]:
    election = Election.objects.filter(election_id=GENERAL_ELECTION).first()
    if election is None:
        return ["Demo stances: no general election in the demo, nothing added."]
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    parties = {p.name: p for p in Party.objects.filter(name__in=RIVAL_PARTIES)}
    network_roles = list(
        Role.objects.filter(kind=RoleKind.CANDIDATE, election=election)
        .exclude(person__bio=RIVAL_BIO)
        .select_related("person", "area")
        .order_by("area__name", "pk")
    )
    names = [f"{f} {s}" for s in RIVAL_SURNAMES for f in RIVAL_FIRST_NAMES]
    rng.shuffle(names)
    names = iter(names)
    created_events = 0
    for index, own in enumerate(network_roles):
        seat = own.area
        # Each seat draws from its own generator, so skipping a seat's history on
        # a second run leaves every other seat's choices unchanged.
        rng = random.Random(f"{SEED}-{seat.gss_code}")  # noqa: S311
        rivals = [
            _rival(next(names), seat, parties[party_name], election)
            for party_name in rng.sample(RIVAL_PARTIES, 2)
            if party_name in parties
        ]
        # Every fifth seat has not been reached yet; the rest are under way.
        if index % 5 == 4:
            outcomes = ["not_asked"] * (1 + len(rivals))
        else:
            outcomes = [rng.choice(["ceasefire", "ceasefire", "no_reply"])] + [
                rng.choice(["refuses", "no_reply", "unclear", "not_asked"])
                for _ in rivals
            ]
        for role, outcome in zip([own, *rivals], outcomes, strict=True):
            if not role.stance_events.exists() and outcome != "not_asked":
                _history(role, rng, outcome)
                created_events += role.stance_events.count()
    notes = 0
    for text, seat_role in zip(NOTE_TEXTS, network_roles[:2], strict=False):
        _, created = CoordinationNote.objects.get_or_create(
            area=seat_role.area,
            text=text,
            defaults={"visibility": NoteVisibility.NETWORK},
        )
        notes += created
    return [
        f"Demo stances: {len(network_roles)} seats, {created_events} stance events "
        f"and {notes} notes added."
    ]
