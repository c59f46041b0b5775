"""Demo content for the campaign site, built by ``manage.py seed_demo``."""

from wagtail.models import Page, Site

from cms.models import HomePage


def seed_site() -> HomePage:
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
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "No Ceasefire No Vote"
    site.save()
    for page in Page.objects.filter(depth=2).exclude(pk=home.pk):
        if page.specific_class is Page:  # the unused welcome page
            page.delete()
    return home
