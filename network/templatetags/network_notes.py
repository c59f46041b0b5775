"""``{% member_area_notes %}``: the network-visible coordination notes about the
signed-in member's own area, for the member area's dashboard."""

from django import template

from network.selectors import notes_for_member

register = template.Library()


@register.inclusion_tag("network/includes/member_area_notes.html", takes_context=True)
def member_area_notes(context, limit=20):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"notes": notes_for_member(user, limit=limit) if user else []}
