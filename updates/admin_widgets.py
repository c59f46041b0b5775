"""The mailing form's target: a search over regions, nations, councils and
constituencies instead of a select holding hundreds of them.

The chosen areas are ticked boxes (untick to drop one); typing in the search box
asks ``updates_mailing:area_search`` for matching areas and adds the picked one as
another ticked box. The form field still validates every id against the model's
allowed areas, so the browser cannot aim a mailing anywhere else.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from network.models import Area


class AreaSearchWidget(forms.SelectMultiple):
    template_name = "updates/admin/area_search_widget.html"

    class Media:
        js = ["updates/admin/area_search.js"]

    def get_context(self, name, value, attrs):
        # Skip SelectMultiple's option list: it would render every allowed area.
        context = forms.Widget.get_context(self, name, value, attrs)
        ids = [int(v) for v in (value or []) if str(v).isdigit()]
        context["chosen"] = list(Area.objects.filter(pk__in=ids).order_by("name"))
        context["search_url"] = reverse("updates_mailing:area_search")
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates folder, which the default form renderer skips.
        context = self.get_context(name, value, attrs)
        # A rendered template is already marked safe (its variables escaped).
        return render_to_string(self.template_name, context)

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v not in ("", None)]
