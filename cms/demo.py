"""Demo content for the campaign site, built by ``manage.py seed_demo``.

Every page is found by its slug under the home page, so a second run changes
nothing. The texts are written for this demo; the venues, addresses and the
imprint are invented."""

import io
import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, Site

from cms.illustrations import DEMO_PICTURES
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


def _processing(title, data, purpose, basis, special, retention, recipients):
    return (
        "processing",
        {
            "title": title,
            "data": data,
            "purpose": purpose,
            "lawful_basis": basis,
            "special_category": special,
            "retention": retention,
            "recipients": recipients,
        },
    )


POLITICAL_CONSENT = (
    "Taking part says something about your political opinions, which the law "
    "protects more strongly. We rely on your explicit consent (article 9(2)(a)), "
    "which you give by ticking the box on the form and can withdraw at any time."
)

PRIVACY_INTRO = (
    "What this site holds about you, why, for how long, who sees it, and your rights."
)

PRIVACY_POLICY = [
    _p(
        "This notice explains what this website and the network's directory hold "
        "about you, why, on what legal footing, for how long, and who sees it. It "
        "covers everything the site does with personal data."
    ),
    _h("Who is responsible"),
    ("data_controller", None),
    _h("What we do with personal data"),
    _processing(
        "Signing up for updates",
        "Your email address; your name and postcode if you give them, and the "
        "constituency the postcode lies in; when you asked, on which page, the "
        "wording you agreed to, and when you confirmed from the email we sent.",
        "To email you news of the campaign a few times a month, and to send news "
        "about your area only to people in it.",
        "Your consent (UK GDPR article 6(1)(a)), confirmed by the link we email you. "
        "Each email has a one-click unsubscribe link.",
        POLITICAL_CONSENT,
        "While you are subscribed. A sign-up you never confirm lapses when its link "
        "expires. When you unsubscribe we stop at once, and keep only your address "
        "and the record of your consent and its withdrawal, to prove we respected "
        "it, until you ask us to erase them.",
        "The editors who write and send the updates. Our email delivery service "
        "carries the messages on our instructions.",
    ),
    _processing(
        "Making the pledge",
        "Your name and email address, the constituency and ward your postcode lies "
        "in (not the postcode itself, unless you also join the updates list), the "
        "wording you agreed to, and when you pledged and confirmed. For up to three "
        "days, a scrambled form of your connection's address.",
        "To count how many voters in each constituency will not vote for a "
        "candidate who does not call for a ceasefire, and to show candidates that "
        "count. We publish numbers per constituency, region and nation, never your "
        "name or address. The scrambled connection address stops floods of false "
        "pledges.",
        "Your consent (article 6(1)(a)), confirmed by the link we email you; "
        "limits on misuse rest on our legitimate interest in an honest count "
        "(article 6(1)(f)).",
        POLITICAL_CONSENT,
        "Until the campaign's last day. Then names and email addresses are removed "
        "from every pledge and only the counts stay. A pledge that is never "
        "confirmed is never counted.",
        "Coordinators who run the campaign and check the count for misuse. Only "
        "the counts reach the public site and partner organisations.",
    ),
    _processing(
        "Asking your candidates where they stand",
        "Your name and email address, the candidate you wrote to, and the subject "
        "and message you sent.",
        "To pass your question to a candidate standing where you vote, once you "
        "confirm it by email, and to show how many constituents asked each "
        "candidate.",
        "Your consent (article 6(1)(a)), confirmed by the link we email you.",
        POLITICAL_CONSENT,
        "Until the campaign's last day. Then your name, email address and message "
        "are removed; the count of constituents who asked stays.",
        "The candidate you wrote to receives your message, your name and your "
        "email address, so they can reply to you. Coordinators can see asks to "
        "deal with problems. The public sees only how many asked.",
    ),
    _processing(
        "Registering for an event",
        "Your name and email address; if you give them, your organisation, your "
        "council area and your access needs; whether you agreed to be contacted "
        "about the event, when and on which wording; whether you have a place or "
        "are on the waiting list, and whether you came.",
        "To give you a place, tell you about changes to the event, meet your access "
        "needs on the day and know who attended.",
        "Taking the steps you asked for when you registered (article 6(1)(b)); "
        "contact about the event only with your consent (article 6(1)(a)).",
        "Access needs are information about your health. We record them only if "
        "you choose to tell us, relying on your explicit consent (article 9(2)(a)), "
        "and use them only to arrange the event.",
        "Until three months after the event, when an editor deletes the "
        "registrations; you may ask us to delete yours sooner.",
        "Only the editors allowed to manage registrations. Access needs go to the "
        "people arranging the venue, without your name where that is enough.",
    ),
    _processing(
        "Members' profiles in the directory",
        "For each councillor, candidate and campaigner in the network: name, the "
        "areas they serve or stand in, roles, party history and reasons for "
        "leaving a party, groups, contact details, a photo if they add one, and "
        "their sign-in account. Each contact detail is marked public, members only "
        "or coordinators only.",
        "To run the network: to let members find and contact one another, and to "
        "show the public who is in it when they have agreed to be shown.",
        "Our legitimate interests in running the network (article 6(1)(f)); a "
        "public profile only with the person's consent (article 6(1)(a)), recorded "
        "with its date.",
        "Being in the directory reveals political opinions. Within the network we "
        "rely on article 9(2)(d) (a not-for-profit body with political aims, "
        "about its members and regular contacts); on the public site, on explicit "
        "consent (article 9(2)(a)); for elected roles and candidacies, on the "
        "person having made them public (article 9(2)(e)).",
        "While the person is in the network. A member can delete their account "
        "from their account page; we then erase what the directory holds about "
        "them, apart from public record such as a candidacy.",
        "Members see what is marked for members; coordinators see everything; the "
        "public sees only profiles whose owners agreed, and only what is marked "
        "public.",
    ),
    _processing(
        "Coordination notes",
        "Notes coordinators write about people, groups and areas in the network: "
        "calls made, what was agreed, and dates to follow up.",
        "To coordinate the network's work and not lose track of what was promised.",
        "Our legitimate interests in coordinating the network (article 6(1)(f)).",
        "Notes may touch on political opinions. We rely on article 9(2)(d), as "
        "for members' profiles. Notes never reach the public site or partners.",
        "Until the follow-up is done and the note is no longer needed; "
        "coordinators review notes each year. A person's notes are included when "
        "they download their data.",
        "Coordinators. A note marked for the network is also shown to members in "
        "the area it is about.",
    ),
    _processing(
        "Sharing with partner organisations",
        "What the directory shows the public (and, for partners we trust with it, "
        "what it shows members), and the candidates' stances.",
        "To let organisations working with the campaign show the same information "
        "on their own sites and keep it up to date.",
        "Our legitimate interests in the campaign reaching more voters (article "
        "6(1)(f)). Each partner agrees in writing to use the data only for that.",
        "Public profiles rest on the person's explicit consent (article 9(2)(a)) "
        "or on their having made the information public (article 9(2)(e)). "
        "Members-only details go only to partners inside the network, under "
        "article 9(2)(d).",
        "Partners keep a copy only as long as they show it, and refresh it from "
        "us, so a change or deletion here reaches them.",
        "The partner organisations listed on request. Each has its own key, and "
        "the key decides what it can read: never subscribers, pledges, asks, "
        "registrations or coordination notes.",
    ),
    _processing(
        "Where candidates and public figures stand",
        "Candidates' and elected representatives' names, parties and the seats "
        "they stand for; when they were asked, by what means, what they replied "
        "and quotes from their public statements, with sources.",
        "To tell voters where the people asking for their vote stand on a ceasefire.",
        "Our legitimate interests, and the public's, in voters knowing the "
        "positions of those who ask for their vote (article 6(1)(f)).",
        "These are political opinions. We publish only what the person made "
        "public or said to us for publication (article 9(2)(e)).",
        "As part of the public record of the election. We correct mistakes as soon "
        "as we are told of them.",
        "Everyone: the public site and partner organisations show it.",
    ),
    _h("Cookies and other sites"),
    _p(
        "The site sets a security cookie on pages with a form, and a session cookie "
        "when you sign in. It uses no analytics, no advertising and no tracking. "
        "Everything on the site, fonts included, comes from this site: videos and "
        "posts elsewhere are links, and nothing loads from another site until you "
        "follow one."
    ),
    _h("Limits on misuse"),
    _p(
        "To stop automated sign-ups and registrations, the site counts how many "
        "come from each connection for up to an hour. It keeps a scrambled form of "
        "the address, not the address itself."
    ),
    _h("Your rights"),
    _p(
        "You have the right to see what we hold about you and get a copy; to have "
        "it corrected; to have it deleted; to ask us to stop or limit using it; to "
        "object to our using it on the basis of legitimate interests; to take it "
        "to another organisation; and to withdraw your consent at any time, which "
        "does not affect what we did before."
    ),
    _h("How to use them"),
    (
        "paragraph",
        "<ul><li>Members: download everything we hold about you from "
        '<a href="/network/my-data/">your data</a>, correct your profile from your '
        'account, and <a href="/network/delete-account/">delete your account</a> '
        "to have it erased.</li>"
        "<li>Updates: use the unsubscribe link in any email.</li>"
        "<li>Everything else, and anyone who is not a member: write to the data "
        "protection contact above. Tell us which address you used with us; we may "
        "ask you to confirm it is yours. We answer within one month.</li></ul>",
    ),
    _h("Complaining"),
    _p(
        "Please tell us first if you are unhappy with how we use your data, and we "
        "will try to put it right. You also have the right to complain to the "
        "Information Commissioner's Office (ICO), the UK's data protection "
        "regulator: at "
        '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk/make-a-complaint'
        "</a> or by phone on 0303 123 1113."
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
def demo_picture(key: str) -> tuple[Image, str]:
    """The drawing ``key`` from cms.illustrations in the image library (added the
    first time), with its alt text."""
    title, alt, draw = DEMO_PICTURES[key]
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title, file=ImageFile(io.BytesIO(draw()), name=f"demo-{key}.png")
        )
        image.save()
    return image, alt


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

    for page, picture in (
        (statement, "gathering"),
        (london, "hall"),
        (blackburn, "meeting"),
    ):
        if page.image_id is None:
            page.image, page.image_alt = demo_picture(picture)
            page.save_revision().publish()

    privacy, _ = _child(
        home,
        StandardPage,
        "privacy",
        title="Privacy notice",
        intro=PRIVACY_INTRO,
        body=_stream(*PRIVACY_POLICY),
        search_description=PRIVACY_INTRO,
    )
    if not any(block.block_type == "processing" for block in privacy.body):
        # A site seeded before the notice set out each processing: bring it up
        # to date.
        privacy.title = "Privacy notice"
        privacy.intro = privacy.search_description = PRIVACY_INTRO
        privacy.body = _stream(*PRIVACY_POLICY)
        privacy.save_revision().publish()
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
    if not settings.data_controller:
        settings.data_controller = "No Ceasefire No Vote (demo)"
        settings.data_controller_address = "PO Box 0000, Sampletown ZZ1 0ZZ"
        settings.data_protection_email = "privacy@example.org"
        settings.save()
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
