"""Each page type of the campaign site: where it may live, that it routes and
renders, and that an editor can create it in the admin."""

import pytest
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    StandardPage,
    StatementIndexPage,
    StatementPage,
)
from tests.factories import GroupFactory, PersonFactory, build_site_pages


class PageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pages = build_site_pages()

    def test_every_page_type_is_routable_and_renderable(self):
        pages = self.pages
        for page in (
            pages.home,
            pages.statements,
            pages.statement,
            pages.events,
            pages.event,
            pages.standard,
        ):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_routable_subpages_route(self):
        self.assertPageIsRoutable(self.pages.statements, "feed/")
        self.assertPageIsRenderable(self.pages.statements, "feed/")
        self.assertPageIsRoutable(self.pages.event, "calendar/")
        self.assertPageIsRenderable(self.pages.event, "calendar/")

    def test_allowed_parent_page_types(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(StatementIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(StatementPage, {StatementIndexPage})
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})

    def test_allowed_subpage_types(self):
        self.assertAllowedSubpageTypes(StatementIndexPage, {StatementPage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedSubpageTypes(StatementPage, set())
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(StatementIndexPage, EventPage)
        self.assertCanNotCreateAt(EventIndexPage, StatementPage)

    def test_single_instance_pages_cannot_be_added_twice(self):
        # One home, one statement index and one event index per site.
        home = self.pages.home
        self.assertFalse(StatementIndexPage.can_create_at(home))
        self.assertFalse(EventIndexPage.can_create_at(home))
        self.assertTrue(StandardPage.can_create_at(home))


class _Assertions(WagtailPageTestCase):
    """WagtailPageTestCase's assertions, driven from pytest tests whose client is
    the project's admin_client_for fixture."""

    dummy_request = get_dummy_request()

    def runTest(self):  # pragma: no cover - never run as a test
        pass


@pytest.fixture
def editor_assertions(admin_client_for, superuser):
    assertions = _Assertions()
    assertions.client = admin_client_for(superuser)
    return assertions


def _body():
    return streamfield(
        [
            ("heading", {"text": "Why", "level": "h2"}),
            ("paragraph", rich_text("<p>Because it matters.</p>")),
            ("quote", {"quote": "Words", "attribution": "Someone"}),
        ]
    )


@pytest.mark.django_db
def test_editor_creates_each_page_type_in_the_admin(editor_assertions, uk_areas):
    site = build_site_pages()
    person = PersonFactory(name="Public Signer", public_profile=True)
    group = GroupFactory(name="Signing Group")
    check = editor_assertions.assertCanCreate
    check(
        site.home,
        StandardPage,
        nested_form_data(
            {"title": "About us", "intro": "Who we are.", "body": _body()}
        ),
    )
    signatories = inline_formset(
        [
            {"person": person.pk, "group": ""},
            {"person": "", "group": group.pk},
        ]
    )
    check(
        site.statements,
        StatementPage,
        nested_form_data(
            {
                "title": "A new statement",
                "date": "2026-11-20",
                "summary": "Short.",
                "body": _body(),
                "signatories": signatories,
                "tags": "peace, councils",
            }
        ),
    )
    statement = StatementPage.objects.get(slug="a-new-statement")
    assert [str(s) for s in statement.signatories.all()] == [
        "Public Signer",
        "Signing Group",
    ]
    assert sorted(statement.tags.names()) == ["councils", "peace"]
    check(
        site.events,
        EventPage,
        nested_form_data(
            {
                "title": "Spring meeting",
                "start": "2027-03-02 10:00",
                "end": "2027-03-02 16:00",
                "venue_name": "Hall",
                "venue_address": "1 Example Street",
                "access_information": rich_text("<p>Step-free.</p>"),
                "hosts": inline_formset([{"person": person.pk, "group": ""}]),
                "body": streamfield([]),
                "takes_registrations": "on",
                "capacity": "50",
            }
        ),
    )
    event = EventPage.objects.get(slug="spring-meeting")
    # Entered in UK time: 10:00 GMT on 2 March.
    assert event.start.isoformat() == "2027-03-02T10:00:00+00:00"


@pytest.mark.django_db
def test_index_pages_are_creatable_under_a_fresh_home(editor_assertions):
    from cms.demo import seed_home

    home = seed_home()
    editor_assertions.assertCanCreate(
        home,
        StatementIndexPage,
        nested_form_data({"title": "Statements", "intro": rich_text("")}),
    )
    editor_assertions.assertCanCreate(
        home,
        EventIndexPage,
        nested_form_data({"title": "Events", "intro": rich_text("")}),
    )


@pytest.mark.django_db
def test_a_person_without_a_public_profile_cannot_sign(admin_client_for, superuser):
    from django.urls import reverse

    site = build_site_pages()
    private = PersonFactory(name="Private Person", public_profile=False)
    client = admin_client_for(superuser)
    data = nested_form_data(
        {
            "title": "Signed privately",
            "slug": "signed-privately",
            "date": "2026-11-20",
            "body": _body(),
            "signatories": inline_formset([{"person": private.pk, "group": ""}]),
            "tags": "",
            "action-publish": "action-publish",
        }
    )
    url = reverse(
        "wagtailadmin_pages:add", args=["cms", "statementpage", site.statements.pk]
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert b"has not agreed to a public profile" in response.content
    assert not StatementPage.objects.filter(slug="signed-privately").exists()


@pytest.mark.django_db
def test_the_home_page_is_creatable_at_the_root(editor_assertions):
    root = Page.get_first_root_node()
    editor_assertions.assertCanCreate(
        root,
        HomePage,
        nested_form_data(
            {
                "title": "Campaign home",
                "slug": "campaign-home",
                "headline": "No ceasefire, no vote",
                "intro": rich_text("<p>Hello.</p>"),
                "body": streamfield(
                    [
                        (
                            "signup",
                            {
                                "heading": "Get updates",
                                "text": "",
                                "button_label": "Sign up",
                            },
                        )
                    ]  # fmt: skip
                ),
            }
        ),
    )
    home = HomePage.objects.get(slug="campaign-home")
    assert home.body[0].block_type == "signup"
    # One home page per site: no second one.
    assert not HomePage.can_create_at(root)


@pytest.mark.django_db
def test_every_page_type_renders_as_a_preview():
    # What the admin's preview panel shows, rendered the way the panel renders it.
    # (assertPageIsPreviewable cannot read StreamField data from the edit form.)
    site = build_site_pages()
    for page in (
        site.home,
        site.statements,
        site.statement,
        site.events,
        site.event,
        site.standard,
    ):
        response = page.make_preview_request()
        assert response.status_code == 200, page
        response.render()
        assert page.title.encode() in response.content
