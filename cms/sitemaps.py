"""The sitemap: every live public page in every language, each with hreflang
alternates naming its translations (search engines then show a reader the page
in their language)."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Locale, Page

from ops.i18n import language_tag


class LocalisedSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        paths = root.get_translations(inclusive=True).values_list("path", flat=True)
        in_a_tree = Q()
        for path in paths:
            in_a_tree |= Q(path__startswith=path)
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        # Entries grouped by what they translate, from the pages already fetched.
        by_key = defaultdict(list)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        for item in self.paginator.page(page).object_list.iterator():
            for url_info in item.get_sitemap_urls(self.request):
                url_info = {**url_info, "language": languages[item.locale_id]}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
                by_key[item.translation_key].append(url_info)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        for group in by_key.values():
            alternates = [
                {"lang_code": language_tag(u["language"]), "location": u["location"]}
                for u in group
            ]
            english = [u for u in group if u["language"] == settings.LANGUAGE_CODE]
            if english:
                alternates.append(
                    {"lang_code": "x-default", "location": english[0]["location"]}
                )
            for url in group:
                url["alternates"] = alternates
        return urls
