"""Demo stances: rival candidates, asking, replies and a few coordination notes.

Part of ``seed_demo``. Every name and quote is invented; the seats are the demo
network's. The network's own demo candidates are asked and mostly reply calling
for a ceasefire; two invented rivals per seat get a mix of refusals, unclear
answers, silence and not being asked yet. Running it again finds each rival by
slug and each history by its candidacy, and creates nothing twice.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaign.models import AskMethod, Position, StanceEvent, StanceKind
from network.models import (
    Area,
    CoordinationNote,
    Election,
    ElectionKind,
    NetworkStatus,
    NoteVisibility,
    Party,
    Person,
    Role,
    RoleKind,
)
from network.models.people import NETWORK_STATUSES

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


def _history(
    role: Role, rng: random.Random, outcome: str, *, asked_from: date | None = None
) -> None:
    """Write a plausible, valid sequence of events for one candidacy or seat."""
    asked_from = asked_from or date(2024, 5, 31)
    asked_on = asked_from + timedelta(days=rng.randint(0, 6))
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


def _rival(name: str, seat: Area, party: Party | None, election: Election) -> Role:
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
    lines = [
        f"Demo stances: {len(network_roles)} seats, {created_events} stance events "
        f"and {notes} notes added."
    ]
    lines += seed_sitting_mps(election, network_roles)
    lines += seed_local_elections()
    lines += seed_by_election()
    return lines


# ------------------------------------------------------------------ after 2024

# The demo's living campaign: sitting MPs asked between elections, the May 2027
# local elections in three Lancashire councils with ward candidates, and a
# by-election. Dates are fixed, so a second run finds every election again.
LOCAL_POLLING_DAY = date(2027, 5, 6)
LOCAL_COUNCILS = {
    "E06000008": "blackburn-with-darwen",
    "E07000117": "burnley",
    "E07000122": "pendle",
}
BY_ELECTION_SEAT = "Hyndburn"
BY_ELECTION_DAY = date(2027, 2, 18)
MP_RESIGNED_ON = date(2026, 11, 20)
LOCAL_FIRST_NAMES = [
    "Alma", "Barney", "Cerys", "Dominic", "Elsie", "Fergus", "Gwen", "Hector",
    "Iris", "Jasper", "Katya", "Lionel", "Mabel", "Nico", "Orla", "Percy",
]  # fmt: skip
# Invented surnames, none shared with the other demo people.
LOCAL_SURNAMES = [
    "Ambleforth", "Birchwhistle", "Cragsworth", "Dimmingdale", "Eskthorpe",
    "Fellbridge", "Gorsemoor", "Heatherslack", "Ivybeck", "Jaggerswood",
]  # fmt: skip


def _names(part: str):
    """Repeatable invented names for the rivals of the local elections
    (``part`` "local") or the by-election ("by"): one shuffled list, split so
    that nobody stands in both."""
    rng = random.Random(f"{SEED}-names")  # noqa: S311 - repeatable demo data
    names = [f"{f} {s}" for s in LOCAL_SURNAMES for f in LOCAL_FIRST_NAMES]
    rng.shuffle(names)
    return iter(names[:140] if part == "local" else names[140:])


def _recent(days: int) -> date:
    """A day in the recent past: events are never dated in the future."""
    return date.today() - timedelta(days=days)


def _seat(person: Person, kind: str, area: Area, election, party, **dates) -> Role:
    role = Role.objects.filter(person=person, kind=kind, area=area).first()
    if role is None:
        role = Role(
            person=person, kind=kind, area=area, election=election, party=party,
            **dates,
        )  # fmt: skip
        role.full_clean()
        role.save()
    return role


def seed_sitting_mps(general: Election, network_roles: list) -> list[str]:
    """Each demo seat's winner of 2024 sits as its MP: in the first seat, the
    network's own independent; elsewhere one of the invented rivals. Each MP
    has been asked since, and most answered."""
    created = events = 0
    for index, own in enumerate(network_roles):
        rng = random.Random(f"{SEED}-mp-{own.area.gss_code}")  # noqa: S311
        if index == 0:
            winner = own
        else:
            winner = (
                Role.objects.filter(
                    kind=RoleKind.CANDIDATE, election=general, area=own.area,
                    person__bio=RIVAL_BIO,
                )
                .select_related("person", "party")
                .order_by("pk")
                .first()
            )  # fmt: skip
            if winner is None:
                continue
        resigned = own.area.name == BY_ELECTION_SEAT
        existed = Role.objects.filter(kind=RoleKind.MP, area=own.area).exists()
        mp = _seat(
            winner.person, RoleKind.MP, own.area, general, winner.party,
            start_date=general.date,
            end_date=MP_RESIGNED_ON if resigned else None,
        )  # fmt: skip
        created += not existed
        if not mp.stance_events.exists():
            outcome = rng.choice(["ceasefire", "refuses", "unclear", "no_reply"])
            _history(mp, rng, outcome, asked_from=date(2025, 2, 3))
            events += mp.stance_events.count()
    return [f"Demo MPs: {created} sitting MPs and {events} stance events added."]


def _contest(election, area, network_person, names, rng, parties) -> int:
    """Candidates at one election in one ward or seat: the network's own (when
    there is one) and two rivals, asked lately, some answering."""
    roles = []
    if network_person is not None:
        roles.append(
            _seat(
                network_person,
                RoleKind.CANDIDATE,
                area,
                election,
                parties.get("Independent"),
            )  # fmt: skip
        )
    for party_name in rng.sample(RIVAL_PARTIES, 2):
        roles.append(_rival(next(names), area, parties.get(party_name), election))
    events = 0
    for n, role in enumerate(roles):
        if role.stance_events.exists():
            continue
        if n == 0 and network_person is not None:
            outcome = "ceasefire"
        else:
            outcome = rng.choice(["refuses", "no_reply", "unclear", "ceasefire"])
        _history(role, rng, outcome, asked_from=_recent(40))
        events += role.stance_events.count()
    return events


def seed_local_elections() -> list[str]:
    """The May 2027 elections in Blackburn with Darwen, Burnley and Pendle: in
    every ward where a network councillor sits (and the ward of the example
    postcode), the councillor stands again against two invented rivals."""
    from network.postcodes import EXAMPLE_POSTCODE, OfflineBackend

    parties = {p.name: p for p in Party.objects.all()}
    example_ward = OfflineBackend().lookup(EXAMPLE_POSTCODE).ward
    names = _names("local")
    wards = events = 0
    for gss, slug in LOCAL_COUNCILS.items():
        council = Area.objects.filter(gss_code=gss).first()
        if council is None:
            continue
        election, _ = Election.objects.get_or_create(
            election_id=f"local.{slug}.{LOCAL_POLLING_DAY.isoformat()}",
            defaults={
                "name": f"{council.name} local election 2027",
                "date": LOCAL_POLLING_DAY,
                "kind": ElectionKind.LOCAL,
            },
        )
        sitting = {
            role.area_id: role.person
            for role in Role.objects.filter(
                kind=RoleKind.COUNCILLOR, area__parent=council,
                person__network_status__in=NETWORK_STATUSES,
            ).select_related("person", "area").order_by("area__gss_code", "pk")
        }  # fmt: skip
        ward_ids = set(sitting)
        if example_ward is not None and example_ward.parent_id == council.pk:
            ward_ids.add(example_ward.pk)
        for ward in Area.objects.filter(pk__in=ward_ids).order_by("gss_code"):
            rng = random.Random(f"{SEED}-{ward.gss_code}-2027")  # noqa: S311
            events += _contest(election, ward, sitting.get(ward.pk), names, rng,
                               parties)  # fmt: skip
            wards += 1
    return [
        f"Demo local elections 2027: {wards} wards with candidates, {events} "
        "stance events added."
    ]


def seed_by_election() -> list[str]:
    """A by-election after the demo MP for Hyndburn resigned: an independent of
    the network against invented rivals."""
    seat = Area.objects.filter(name=BY_ELECTION_SEAT, area_type="constituency").first()
    if seat is None:
        return []
    election, _ = Election.objects.get_or_create(
        election_id=f"parl.{slugify(seat.name)}.{BY_ELECTION_DAY.isoformat()}",
        defaults={
            "name": f"{seat.name} by-election",
            "date": BY_ELECTION_DAY,
            "kind": ElectionKind.PARLIAMENTARY,
        },
    )
    name = "Rhian Quarrendale"
    candidate = Person.objects.filter(slug=slugify(name)).first()
    if candidate is None:
        candidate = Person(
            name=name,
            slug=slugify(name),
            bio=(
                "Fictional demo profile. Standing as an independent in the "
                f"{seat.name} by-election."
            ),
        )
        candidate.full_clean()
        candidate.save()
    parties = {p.name: p for p in Party.objects.all()}
    rng = random.Random(f"{SEED}-by-election")  # noqa: S311
    events = _contest(election, seat, candidate, _names("by"), rng, parties)
    return [f"Demo by-election in {seat.name}: {events} stance events added."]


# ------------------------------------------------------------------ the pledge

DEMO_WORDING_VERSION = "demo-2026-12"
DEMO_PLEDGE_DOMAIN = "pledge.example.org"


# The demo wording in the site's other languages, written by the site's developers
# and not yet checked by native speakers (docs/translating.md). Urdu and Punjabi
# verbs in the first person say the speaker's gender: these sentences are built
# so that everyone can make them as they are.
PLEDGE_TRANSLATIONS = {
    "cy": {
        "title": "Dim cadoediad, dim pleidlais",
        "statement": (
            "Ni fyddaf yn pleidleisio dros unrhyw ymgeisydd sy'n gwrthod galw am "
            "gadoediad yn Gaza. Byddaf yn gofyn i bob ymgeisydd ble maen nhw'n "
            "sefyll, a byddaf yn dweud wrth fy nghymdogion beth yw eu hateb."
        ),
        "consent": (
            "Rwy'n cytuno bod yr ymgyrch yn cadw fy enw, fy nghyfeiriad e-bost a "
            "fy etholaeth i gyfrif fy addewid. Mae hyn yn dangos fy marn "
            "wleidyddol, sy'n ddata categori arbennig: ni chaiff byth ei gyhoeddi "
            "gyda fy enw na'i rannu â phartneriaid, a gallaf dynnu'n ôl unrhyw bryd."
        ),
    },
    "ur": {
        "title": "جنگ بندی نہیں تو ووٹ نہیں",
        "statement": (
            "میرا ووٹ کسی ایسے امیدوار کو نہیں ملے گا جو غزہ میں جنگ بندی کا "
            "مطالبہ کرنے سے انکار کرے۔ ہر امیدوار سے اس کا موقف پوچھنا اور اس کا "
            "جواب اپنے پڑوسیوں تک پہنچانا میرا عہد ہے۔"
        ),
        "consent": (
            "مجھے منظور ہے کہ مہم میرا عہد گننے کے لیے میرا نام، ای میل پتہ اور "
            "حلقہ محفوظ رکھے۔ اس سے میری سیاسی رائے ظاہر ہوتی ہے، جو خاص زمرے کا "
            "ڈیٹا ہے: یہ کبھی میرے نام کے ساتھ شائع نہیں کی جاتی اور نہ شراکت "
            "داروں کو دی جاتی ہے، اور مجھے کسی بھی وقت اپنا عہد واپس لینے کا حق ہے۔"
        ),
    },
    "bn": {
        "title": "যুদ্ধবিরতি নেই, ভোট নেই",
        "statement": (
            "গাজায় যুদ্ধবিরতির দাবি জানাতে যে প্রার্থী অস্বীকার করবেন, আমি তাঁকে "
            "ভোট দেব না। আমি প্রত্যেক প্রার্থীকে জিজ্ঞেস করব তাঁদের অবস্থান কী, "
            "এবং তাঁদের উত্তর আমার প্রতিবেশীদের জানাব।"
        ),
        "consent": (
            "আমি সম্মতি দিচ্ছি যে আমার অঙ্গীকার গণনার জন্য প্রচারাভিযান আমার নাম, "
            "ইমেল ঠিকানা ও নির্বাচনী এলাকা রাখবে। এতে আমার রাজনৈতিক মত প্রকাশ পায়, "
            "যা বিশেষ শ্রেণির তথ্য: এটি কখনও আমার নামসহ প্রকাশ করা হয় না বা "
            "সহযোগীদের সঙ্গে ভাগ করা হয় না, এবং আমি যেকোনো সময় তা প্রত্যাহার "
            "করতে পারি।"
        ),
    },
    "pa": {
        "title": "ਜੰਗਬੰਦੀ ਨਹੀਂ, ਵੋਟ ਨਹੀਂ",
        "statement": (
            "ਮੇਰੀ ਵੋਟ ਕਿਸੇ ਵੀ ਅਜਿਹੇ ਉਮੀਦਵਾਰ ਨੂੰ ਨਹੀਂ ਮਿਲੇਗੀ ਜੋ ਗਾਜ਼ਾ ਵਿੱਚ "
            "ਜੰਗਬੰਦੀ ਦੀ ਮੰਗ ਕਰਨ ਤੋਂ ਇਨਕਾਰ ਕਰੇ। ਹਰ ਉਮੀਦਵਾਰ ਤੋਂ ਉਸ ਦਾ ਪੱਖ "
            "ਪੁੱਛਣਾ ਅਤੇ ਉਸ ਦਾ ਜਵਾਬ ਆਪਣੇ ਗੁਆਂਢੀਆਂ ਤੱਕ ਪਹੁੰਚਾਉਣਾ ਮੇਰਾ ਪ੍ਰਣ ਹੈ।"
        ),
        "consent": (
            "ਮੈਨੂੰ ਮਨਜ਼ੂਰ ਹੈ ਕਿ ਮੁਹਿੰਮ ਮੇਰਾ ਪ੍ਰਣ ਗਿਣਨ ਲਈ ਮੇਰਾ ਨਾਮ, ਈਮੇਲ ਪਤਾ "
            "ਅਤੇ ਹਲਕਾ ਰੱਖੇ। ਇਸ ਤੋਂ ਮੇਰੀ ਸਿਆਸੀ ਰਾਏ ਪਤਾ ਲੱਗਦੀ ਹੈ, ਜੋ ਖ਼ਾਸ ਸ਼੍ਰੇਣੀ "
            "ਦਾ ਡਾਟਾ ਹੈ: ਇਹ ਕਦੇ ਮੇਰੇ ਨਾਮ ਨਾਲ ਪ੍ਰਕਾਸ਼ਿਤ ਨਹੀਂ ਕੀਤੀ ਜਾਂਦੀ ਅਤੇ ਨਾ "
            "ਹੀ ਭਾਈਵਾਲਾਂ ਨਾਲ ਸਾਂਝੀ ਕੀਤੀ ਜਾਂਦੀ ਹੈ, ਅਤੇ ਮੈਨੂੰ ਕਿਸੇ ਵੀ ਵੇਲੇ ਆਪਣਾ "
            "ਪ੍ਰਣ ਵਾਪਸ ਲੈਣ ਦਾ ਹੱਕ ਹੈ।"
        ),
    },
}


def seed_pledges() -> list[str]:
    """The pledge's wording (in every language), and confirmed pledges in the
    demo's seats so the counters, the map's pledge mode and the home page have
    something to show.
    The pledgers are fictional, at a reserved example domain, and are counted
    through the same service as real confirmations."""
    from campaign.models import Pledge, PledgeStatus, PledgeWording
    from campaign.services import pledge_counts_change

    # The English words: the translations below share their version.
    wording, _ = PledgeWording.objects.get_or_create(
        version=DEMO_WORDING_VERSION,
        language=settings.LANGUAGE_CODE,
        defaults={
            "statement": (
                "I will not vote for any candidate who refuses to call for a "
                "ceasefire in Gaza. I will ask every candidate where they stand, "
                "and I will tell my neighbours what they answer."
            ),
            "consent": (
                "I agree that the campaign keeps my name, email address and "
                "constituency to count my pledge. This shows my political "
                "opinion, which is special-category data: it is never published "
                "with my name or shared with partners, and I can withdraw at any "
                "time."
            ),
        },
    )
    for language, words in PLEDGE_TRANSLATIONS.items():
        PledgeWording.objects.get_or_create(
            version=wording.version, language=language, defaults=words
        )
    if Pledge.objects.filter(email_domain=DEMO_PLEDGE_DOMAIN).exists():
        return ["Demo pledges: already there."]
    seats = list(
        Area.objects.filter(
            area_type="constituency",
            roles__kind=RoleKind.CANDIDATE,
            roles__election__election_id=GENERAL_ELECTION,
        )
        .distinct()
        .order_by("gss_code")
    )
    rng = random.Random(f"{SEED}-pledges")  # noqa: S311 - repeatable demo data
    now = timezone.now()
    pledges = []
    for seat in seats:
        for n in range(rng.choice([0, 3, 8, 15, 24, 40])):
            pledges.append(
                Pledge(
                    wording=wording,
                    name=f"Demo pledger {n + 1}",
                    email=f"{seat.gss_code.lower()}-{n + 1}@{DEMO_PLEDGE_DOMAIN}",
                    email_domain=DEMO_PLEDGE_DOMAIN,
                    constituency=seat,
                    status=PledgeStatus.CONFIRMED,
                    confirmed_at=now,
                    created_at=now,
                    source="demo",
                )
            )
    with transaction.atomic():
        Pledge.objects.bulk_create(pledges)
        per_seat: dict[int, int] = defaultdict(int)
        for pledge in pledges:
            per_seat[pledge.constituency_id] += 1
        pledge_counts_change(changes=per_seat)
    return [f"Demo pledges: {len(pledges)} counted under {wording.version}."]
