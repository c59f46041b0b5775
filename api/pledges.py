"""The pledge endpoint of the partner API: how many people pledged "no ceasefire,
no vote", per constituency, region and nation. Counts only: no pledge, and
nothing about anyone who made one, is ever part of an answer."""

import django_filters
from rest_framework import serializers

from campaign.selectors import pledge_counts
from network.models import AreaType

from .viewsets import ApiViewSet

PLEDGE_AREA_TYPES = (
    (AreaType.CONSTITUENCY.value, "Constituency"),
    (AreaType.REGION.value, "Region"),
    (AreaType.NATION.value, "Nation"),
)


class PledgeCountFilter(django_filters.FilterSet):
    """Counts by kind of area."""

    type = django_filters.ChoiceFilter(
        field_name="area_type",
        choices=PLEDGE_AREA_TYPES,
        help_text="constituency, region or nation.",
    )


class PledgeCountSerializer(serializers.Serializer):
    gss_code = serializers.CharField(help_text="ONS GSS code of the area.")
    name = serializers.CharField()
    type = serializers.CharField(
        source="area_type", help_text="constituency, region or nation."
    )
    pledges = serializers.IntegerField(
        help_text="Pledges confirmed by email and counted (held or invalidated "
        "ones are not)."
    )
    updated_at = serializers.DateTimeField(
        source="pledges_updated_at", help_text="When the count last changed."
    )


class PledgeCountViewSet(ApiViewSet):
    """Pledges counted per constituency, region and nation: people who confirmed
    by email that they will not vote for a candidate who refuses to call for a
    ceasefire. Counts only, open to every caller. Filter by `type`; ask for CSV
    with `?format=csv` or `Accept: text/csv`. Areas with no pledge yet are not
    listed (count them as 0)."""

    summaries = {"list": "List pledge counts per area"}
    serializer_class = PledgeCountSerializer
    filterset_class = PledgeCountFilter
    http_method_names = ["get", "head"]
    csv_columns = [
        ("gss_code", lambda r: r["gss_code"]),
        ("name", lambda r: r["name"]),
        ("type", lambda r: r["type"]),
        ("pledges", lambda r: r["pledges"]),
        ("updated_at", lambda r: r["updated_at"]),
    ]
    csv_help = {
        "gss_code": "ONS GSS code.",
        "pledges": "Pledges confirmed and counted.",
    }

    def get_queryset(self):
        return pledge_counts()
