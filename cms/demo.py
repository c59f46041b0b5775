"""Demo content for the campaign site, built by ``manage.py seed_demo``.

Every page is found by its slug under the home page, so a second run changes
nothing. The texts are written for this demo; the venues, addresses and the
imprint are invented."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import (
    EventHost,
    EventIndexPage,
    EventPage,
    HomePage,
    SiteSettings,
    StandardPage,
    StatementIndexPage,
    StatementPage,
    StatementSignatory,
)
from cms.services import site_sync_with_public_address
from network.models import Group, Person, RoleKind
from ops.siteurl import site_host_and_port

LONDON = ZoneInfo("Europe/London")


def _stream(*blocks) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _p(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def _h(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def seed_home() -> HomePage:
    """Make the campaign home page the site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="No Ceasefire No Vote",
            slug="home",
            headline="No ceasefire, no vote",
            intro=(
                "<p>Independent councillors, candidates and campaigners asking every "
                "parliamentary candidate one question: will you call for a ceasefire "
                "in Gaza?</p>"
            ),
            seo_title="No Ceasefire No Vote",
            search_description=(
                "A network of independent councillors, candidates and campaigners."
            ),
        )
        welcome = Page.objects.filter(depth=2, slug="home").exclude(
            content_type__model="homepage"
        )
        for page in welcome:  # Wagtail's default "Welcome" page holds the slug
            page.slug = "welcome-default"
            page.save()
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_host_and_port()
        site = Site(hostname=hostname, port=port, is_default_site=True)
    site.root_page = home
    site.site_name = "No Ceasefire No Vote"
    site.save()
    site_sync_with_public_address()
    for page in Page.objects.filter(depth=2).exclude(pk=home.pk):
        if page.specific_class is Page:  # the unused welcome page
            page.delete()
    return home


def _child(parent: Page, model, slug: str, **fields):
    """The child page with this slug, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def next_occurrence(month: int, day: int, today: date | None = None) -> date:
    """The next 2 March (say) from today, so the demo events stay upcoming."""
    today = today or timezone.localdate()
    candidate = date(today.year, month, day)
    return candidate if candidate > today else date(today.year + 1, month, day)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


PRIVACY_POLICY = [
    _p(
        "This policy describes what this website and the network's directory store "
        "about you, why, and who can see it."
    ),
    _h("The directory of councillors, candidates and campaigners"),
    _p(
        "For each person in the network the directory holds their name, the areas "
        "they serve or stand in, their roles, their party history and the reasons "
        "they gave for leaving a party, the groups they belong to, and contact "
        "details. Each contact detail has a visibility: public, network members "
        "only, or coordinators only. A person appears on the public site only after "
        "they have agreed to a public profile, and the directory records when they "
        "agreed. Being listed says something about your political opinions, which "
        "the law treats as special-category data, so nothing else about you is "
        "shown to the public."
    ),
    _h("Registering for an event"),
    _p(
        "When you register for an event we store your name, your email address, and, "
        "if you give them, your organisation, your council area and your access "
        "needs. We also store whether you agreed to be contacted about the event, "
        "when you agreed, on which form and the version of the wording you saw, "
        "whether you have a place or are on the waiting list, and whether you "
        "attended. We email you a confirmation with the event details. Only the "
        "site's editors who are allowed to manage registrations can see them. "
        "Registrations are kept until an editor deletes them."
    ),
    _h("Cookies and other sites"),
    _p(
        "The site sets a security cookie on pages with a form, and a session cookie "
        "when you register or sign in to the admin. It uses no analytics, no "
        "advertising and no tracking. Everything on the site, including fonts, "
        "comes from this site: videos and posts elsewhere are shown as links, and "
        "nothing is loaded from another site until you follow one."
    ),
    _h("Limits on misuse"),
    _p(
        "To stop automated registrations, the site counts how many registrations "
        "come from each connection for up to an hour. It keeps a scrambled form of "
        "the address, not the address itself."
    ),
    _h("Your rights"),
    _p(
        "You can ask to see, correct or delete what we hold about you, or withdraw "
        "your consent, by writing to the contact address at the bottom of each page."
    ),
]

STATEMENT = [
    _p(
        "We are councillors, candidates and campaigners from many towns and cities. "
        "Some of us left our parties; some of us never joined one. What brings us "
        "together is a simple test for anyone who asks for our vote: will they call "
        "for a ceasefire in Gaza?"
    ),
    _h("What we are building"),
    _p(
        "A network that lets people who agree on that test find each other, share "
        "what works on the doorstep and in the council chamber, and stand together "
        "at elections instead of against one another."
    ),
    (
        "quote",
        {
            "quote": "A ceasefire is not a slogan. It is the least that voters are "
            "entitled to ask of those who want to represent them.",
            "attribution": "From the network's founding meeting",
        },
    ),
    _h("How to take part"),
    _p(
        "Come to one of our conference sessions, tell us about the candidates in "
        "your area, and ask your own councillors where they stand."
    ),
]


def _hosts_for_blackburn_event() -> list[Person]:
    """Councillors of Blackburn with Darwen, Burnley and Pendle who agreed to a
    public profile: the hosts of the Blackburn session."""
    hosts = []
    for council in ("E06000008", "E07000117", "E07000122"):
        person = (
            Person.objects.filter(
                public_profile=True,
                roles__kind=RoleKind.COUNCILLOR,
                roles__area__parent__gss_code=council,
            )
            .order_by("name")
            .first()
        )
        if person:
            hosts.append(person)
    return hosts


@transaction.atomic
def seed_site() -> HomePage:
    home = seed_home()
    if not home.call_to_action_text:
        home.call_to_action_text = "Come to a conference session"

    statements, _ = _child(
        home,
        StatementIndexPage,
        "statements",
        title="Statements",
        intro="<p>What the network says, and who signed it.</p>",
        search_description="Statements of the No Ceasefire No Vote network.",
    )
    statement, created = _child(
        statements,
        StatementPage,
        "why-we-are-organising",
        title="Why we are organising",
        date=date(2024, 2, 10),
        summary="Councillors, candidates and campaigners agree one test for anyone "
        "who asks for our vote.",
        body=_stream(*STATEMENT),
        search_description="The network's founding statement.",
    )
    if created:
        signers = Person.objects.filter(public_profile=True).order_by("slug")[:6]
        for person in signers:
            StatementSignatory.objects.create(page=statement, person=person)
        for group in Group.objects.order_by("slug")[:2]:
            StatementSignatory.objects.create(page=statement, group=group)
        statement.tags.add("ceasefire", "network")
        statement.save_revision().publish()

    events, _ = _child(
        home,
        EventIndexPage,
        "events",
        title="Events",
        intro="<p>Conference sessions and meetings of the network. Everyone who "
        "shares our aims is welcome.</p>",
        search_description="Conference sessions and meetings of the network.",
    )
    london_day = next_occurrence(3, 2)
    blackburn_day = date(london_day.year, 4, 13)
    london, _ = _child(
        events,
        EventPage,
        "london-conference-session",
        title="Conference session: London",
        start=_at(london_day, 10, 30),
        end=_at(london_day, 16, 30),
        summary="A day of workshops on standing as an independent, running a ward "
        "campaign and working with local groups.",
        venue_name="Riverside Community Hall (demo venue)",
        venue_address="Unit 3, Sample Yard\nLondon\nE1 0ZZ",
        map_url="https://www.openstreetmap.org/search?query=Whitechapel%2C%20London",
        access_information="<ul><li>Step-free entrance and lift to every room."
        "</li><li>Accessible toilets on each floor.</li><li>A quiet room is "
        "available all day.</li></ul>",
        capacity=120,
        body=_stream(
            _p(
                "Bring questions about your own area: the afternoon is for local "
                "groups to plan together."
            ),
        ),
        search_description="The network's conference session in London.",
    )
    blackburn, created = _child(
        events,
        EventPage,
        "blackburn-conference-session",
        title="Conference session: Blackburn",
        start=_at(blackburn_day, 11),
        end=_at(blackburn_day, 16),
        summary="Councillors from Blackburn, Burnley and Pendle share what they have "
        "learned since standing as independents.",
        venue_name="Mill Lane Centre (demo venue)",
        venue_address="Sample Mill, Mill Lane\nBlackburn\nBB1 0ZZ",
        map_url="https://www.openstreetmap.org/search?query=Blackburn%2C%20Lancashire",
        access_information="<ul><li>Step-free access through the side entrance."
        "</li><li>A hearing loop in the main hall.</li></ul>",
        capacity=60,
        search_description="The network's conference session in Blackburn.",
    )
    if created:
        for person in _hosts_for_blackburn_event():
            EventHost.objects.create(page=blackburn, person=person)
        blackburn.save_revision().publish()

    privacy, _ = _child(
        home,
        StandardPage,
        "privacy",
        title="Privacy policy",
        intro="What this site stores about you, and who can see it.",
        body=_stream(*PRIVACY_POLICY),
        search_description="What this site stores about you, and who can see it.",
    )
    about, _ = _child(
        home,
        StandardPage,
        "about",
        title="About the network",
        intro="Who we are and how the network works.",
        body=_stream(
            _p(
                "The network links independent councillors, candidates and "
                "campaigners who share one aim: a ceasefire in Gaza, and a politics "
                "that listens to the people it represents."
            ),
            _p(
                "Local groups run their own campaigns; the network helps them find "
                "each other and share what works."
            ),
        ),
        search_description="Who we are and how the network works.",
    )
    if home.call_to_action_link_id is None:
        home.call_to_action_link = events
        if not home.body:
            home.body = _stream(
                (
                    "signup",
                    {
                        "heading": "Get updates",
                        "text": "News of statements and conference sessions, a few "
                        "times a month.",
                        "button_label": "Sign up",
                    },
                )
            )
        home.save_revision().publish()

    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)
    if not settings.imprint_promoter:
        settings.imprint_promoter = "A. Promoter (demo)"
        settings.imprint_promoter_address = "PO Box 0000, Sampletown ZZ1 0ZZ"
        settings.imprint_on_behalf_of = "No Ceasefire No Vote (demo)"
        settings.contact_email = "hello@example.org"
        settings.footer_text = (
            "<p>No Ceasefire No Vote: a network of independent councillors, "
            "candidates and campaigners.</p>"
        )
        settings.main_menu = _stream(
            *[
                ("item", {"label": "", "page": page.pk, "url": ""})
                for page in (statements, events, about, privacy)
            ]
        )
        settings.social_links = _stream(
            (
                "link",
                {
                    "platform": "mastodon",
                    "url": "https://example.org/@ncnv",
                    "label": "",
                },
            ),
        )
        settings.save()
    return home
