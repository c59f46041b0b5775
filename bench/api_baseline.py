"""The raw baseline the API benchmark compares against: the same rows and the same
JSON document as the people endpoints, built with `.values()` and `json.dumps`,
with no REST framework, serializer, filter set or paginator in between."""

import json
from collections import defaultdict

from django.http import HttpResponse
from rest_framework.utils.urls import replace_query_param

from api.filters import current_roles_q
from campaign.selectors import candidacies_with_stance, state_for
from network.models import Affiliation, ContactDetail, GroupMembership, Person, Role
from network.models.people import NETWORK_STATUSES
from network.visibility import Audience, contact_levels

AUDIENCE = Audience.NETWORK  # the benchmark calls with a network key
PERSON_FIELDS = (
    "pk",
    "public_id",
    "slug",
    "name",
    "pronouns",
    "bio",
    "status",
    "network_status",
    "updated_at",
)


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def _stance(r):
    if r["kind"] not in ("candidate", "mp"):
        return None
    return {
        "position": state_for(r["current_position"], r["asked_count"]).value,
        "asked_count": r["asked_count"],
        "last_asked_on": _iso(r["last_asked_on"]),
        "evidence": {
            "kind": r["position_kind"],
            "occurred_on": _iso(r["position_on"]),
            "quote": r["position_quote"],
            "evidence_url": r["position_evidence_url"],
        }
        if r["current_position"]
        else None,
    }


def _people_json(request, rows):
    ids = [row["pk"] for row in rows]
    roles, contacts, history, groups = (defaultdict(list) for _ in range(4))
    for r in (
        candidacies_with_stance(
            Role.objects.filter(current_roles_q(), person_id__in=ids)
        )
        .order_by("sort_order", "pk")
        .values(
            "person_id", "kind", "title", "start_date", "end_date",
            "area__gss_code", "area__name", "area__area_type",
            "election__election_id", "election__name", "election__date",
            "party__slug", "party__name", "group__slug", "group__name",
            "asked_count", "last_asked_on", "current_position", "position_on",
            "position_kind", "position_quote", "position_evidence_url",
        )
    ):  # fmt: skip
        roles[r["person_id"]].append(
            {
                "kind": r["kind"],
                "title": r["title"],
                "area": {
                    "gss_code": r["area__gss_code"],
                    "name": r["area__name"],
                    "type": r["area__area_type"],
                }
                if r["area__gss_code"]
                else None,
                "election": {
                    "election_id": r["election__election_id"],
                    "name": r["election__name"],
                    "date": _iso(r["election__date"]),
                }
                if r["election__election_id"]
                else None,
                "affiliation": {"slug": r["party__slug"], "name": r["party__name"]}
                if r["party__slug"]
                else None,
                "group": {"slug": r["group__slug"], "name": r["group__name"]}
                if r["group__slug"]
                else None,
                "start_date": _iso(r["start_date"]),
                "end_date": _iso(r["end_date"]),
                "stance": _stance(r),
            }
        )
    for c in (
        ContactDetail.objects.filter(
            person_id__in=ids, visibility__in=contact_levels(AUDIENCE)
        )
        .order_by("sort_order", "pk")
        .values("person_id", "kind", "value", "label", "visibility")
    ):
        contacts[c.pop("person_id")].append(c)
    for a in (
        Affiliation.objects.filter(person_id__in=ids)
        .order_by("start_date", "sort_order", "pk")
        .values(
            "person_id", "party__slug", "party__name", "start_date", "end_date",
            "statement_url", "reason_for_leaving",
        )
    ):  # fmt: skip
        history[a["person_id"]].append(
            {
                "party": {"slug": a["party__slug"], "name": a["party__name"]},
                "start_date": _iso(a["start_date"]),
                "end_date": _iso(a["end_date"]),
                "statement_url": a["statement_url"],
                "reason_for_leaving": a["reason_for_leaving"],
            }
        )
    for g in (
        GroupMembership.objects.filter(person_id__in=ids)
        .order_by("group__name", "pk")
        .values("person_id", "group__slug", "group__name", "role_title")
    ):
        groups[g["person_id"]].append(
            {
                "slug": g["group__slug"],
                "name": g["group__name"],
                "role_title": g["role_title"],
            }
        )
    base = request.build_absolute_uri("/api/v1/")
    return [
        {
            "id": str(row["public_id"]),
            "slug": row["slug"],
            "url": f"{base}people/{row['slug']}/",
            "name": row["name"],
            "pronouns": row["pronouns"],
            "bio": row["bio"],
            "status": row["status"],
            "network": row["network_status"] in NETWORK_STATUSES,
            "modified": _iso(row["updated_at"]),
            "roles": roles[row["pk"]],
            "party_history": history[row["pk"]],
            "groups": groups[row["pk"]],
            "contacts": contacts[row["pk"]],
        }
        for row in rows
    ]


def people_list(request):
    """`/api/v1/people/?page_size=N[&status=...][&role=...]`, the raw way."""
    size = int(request.GET.get("page_size", 50))
    people = Person.objects.all()  # the network audience sees everyone
    if "status" in request.GET:
        people = people.filter(status=request.GET["status"])
    if "role" in request.GET:
        people = people.filter(
            pk__in=Role.objects.filter(
                current_roles_q(), kind=request.GET["role"]
            ).values("person_id")
        )
    count = people.count()
    rows = list(people.order_by("name", "pk").values(*PERSON_FIELDS)[:size])
    body = {
        "count": count,
        "next": replace_query_param(request.build_absolute_uri(), "page", 2)
        if count > size
        else None,
        "previous": None,
        "results": _people_json(request, rows),
    }
    return HttpResponse(json.dumps(body), content_type="application/json")


def person_detail(request, slug):
    rows = list(Person.objects.filter(slug=slug).values(*PERSON_FIELDS))
    return HttpResponse(
        json.dumps(_people_json(request, rows)[0]), content_type="application/json"
    )
