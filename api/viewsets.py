"""The partner API's endpoints. Each viewset's docstring is what partners read in
/api/v1/docs/.

Every endpoint inherits its authentication, permissions, throttling, filtering,
CSV export and conditional GET from ``ApiViewSet``; none relies on DRF's global
defaults, which stay permissive for Wagtail's own API views.
"""

import json
import re
from datetime import UTC
from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponseNotModified, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import Route
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from network.models import Area
from network.visibility import Audience, audience_for_request

from . import answers, selectors
from .authentication import PartnerKeyAuthentication, SessionAuthentication
from .csvrows import (
    PEOPLE_CSV_COLUMNS,
    PEOPLE_CSV_HELP,
    absolute_line,
    people_csv_header,
)
from .documents import absolute, loads, missing_csv_line, refresh_stale_daily
from .filters import (
    AreaFilter,
    AreaPeopleFilter,
    ElectionFilter,
    GroupFilter,
    PersonFilter,
    RoleFilter,
    StrictFilterBackend,
)
from .pagination import (
    NUMBERED_PAGES,
    ChangeFeed,
    PagePagination,
    PeoplePagination,
    decode_list_cursor,
    encode_list_cursor,
    keyset_after,
    keyset_values,
    page_size_from,
)
from .parsers import PARSERS
from .permissions import ReadOrWrite
from .renderers import CSVRenderer, FormatNegotiation, csv_lines
from .schema import ApiAutoSchema
from .serializers import (
    ApiIndexSerializer,
    AreaSerializer,
    ElectionSerializer,
    GroupSerializer,
    PartySerializer,
    PersonSerializer,
    PersonTombstoneSerializer,
    RoleSerializer,
)
from .throttles import ApiRateThrottle

NO_OPTIONS = ["get", "post", "put", "patch", "delete", "head"]


class ApiViewSet(viewsets.GenericViewSet):
    """Shared behaviour of every partner API endpoint: a list, and with
    ``DetailMixin`` a detail route."""

    authentication_classes = [PartnerKeyAuthentication, SessionAuthentication]
    permission_classes = [ReadOrWrite]
    throttle_classes = [ApiRateThrottle]
    parser_classes = PARSERS
    renderer_classes = [JSONRenderer, CSVRenderer]
    content_negotiation_class = FormatNegotiation
    filter_backends = [StrictFilterBackend]
    pagination_class = PagePagination
    schema = ApiAutoSchema()
    # OPTIONS is not offered (405): the OpenAPI document describes every
    # operation, and an answer it does not describe would break its contract.
    http_method_names = NO_OPTIONS
    # (column name, function of a serialized row) for CSV answers, and what the
    # columns whose meaning is not plain from their name hold (for the document).
    csv_columns: list = []
    csv_help: dict = {}
    csv_chunk_size = 1000
    last_modified = None

    @cached_property
    def audience(self) -> Audience:
        return audience_for_request(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["audience"] = self.audience
        return context

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "csv"

    def note_modified(self, objects):
        stamps = [getattr(obj, "updated_at", None) for obj in objects]
        stamps = [stamp for stamp in stamps if stamp]
        self.last_modified = max(stamps) if stamps else None

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv():
            return self.stream_csv(queryset)
        page = self.paginate_queryset(queryset)
        self.note_modified(page)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def stream_csv(self, queryset):
        """Every matching row, fetched and written a chunk at a time."""
        serializer = self.get_serializer()
        rows = (
            serializer.to_representation(obj)
            for obj in queryset.iterator(chunk_size=self.csv_chunk_size)
        )
        response = StreamingHttpResponse(
            csv_lines(self.csv_columns, rows), content_type="text/csv; charset=utf-8"
        )
        name = self.basename.replace("-", "_")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not isinstance(response, Response):
            return response
        if self.wants_csv() and (
            response.exception
            or response.status_code != 200
            or request.method not in ("GET", "HEAD")
        ):
            # Errors and writes answer JSON, whatever format was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        return self.conditional(request, response)

    def conditional(self, request, response):
        """ETag (a hash of the body this caller gets) and Last-Modified; a matching
        If-None-Match gets 304 Not Modified."""
        response.render()
        kept = getattr(response, "kept", None)
        digest = kept.digest if kept else answers.body_digest(response.content)
        etag = f'"{digest}"'
        response["ETag"] = etag
        if self.last_modified:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        wanted = request.headers.get("If-None-Match")
        if wanted:
            tags = parse_etags(wanted)
            if "*" in tags or etag in tags or f"W/{etag}" in tags:
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Last-Modified", "Vary"):
                    if header in response:
                        not_modified[header] = response[header]
                return not_modified
        if kept:
            send_kept_gzip(request, response, kept)
        return response


def send_kept_gzip(request, response, kept) -> None:
    """The kept gzip of the body, when the caller takes gzip, exactly as
    GZipMiddleware would have made it (which then leaves the answer alone)."""
    if len(response.content) < 200:  # GZipMiddleware's own threshold
        return
    patch_vary_headers(response, ("Accept-Encoding",))
    if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return
    if len(kept.gzipped) >= len(response.content):
        return
    response.content = kept.gzipped
    response["Content-Length"] = str(len(kept.gzipped))
    response["ETag"] = f'W/"{kept.digest}"'
    response["Content-Encoding"] = "gzip"


class DetailMixin:
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.note_modified([instance])
        return Response(self.get_serializer(instance).data)


# ------------------------------------------------------------------ people


def parse_since(raw: str):
    """``modified_since`` in UTC: databases reject some offsets a valid ISO 8601
    time may carry, and the earliest dates cannot shift at all."""
    try:
        return IsoDateTimeField().clean(raw).astimezone(UTC)
    except (OverflowError, DjangoValidationError):
        raise ValidationError(
            {"modified_since": "An ISO 8601 date and time, e.g. 2026-05-01T00:00Z."}
        ) from None


class StoredJSON(Response):
    """An answer whose JSON text is already made (from stored documents); it goes
    through the same checks, headers and conditional GET as any other."""

    def __init__(self, text: str, kept: "answers.Answer | None" = None):
        super().__init__()
        self.text = text
        # A kept answer brings its ETag digest and its gzip, made once.
        self.kept = kept

    @property
    def rendered_content(self):
        self["Content-Type"] = "application/json"
        return self.text.encode()


# Query parameters the list checks itself; any other goes to the filter set.
UNFILTERED = frozenset({"format", "page", "page_size", "cursor", "modified_since"})
ORDER_FIELDS = {"name": "sort_name", "modified": "modified"}


class PeopleListMixin:
    """The people list, which doubles as the change feed. Every answer is read
    from the stored documents (api/documents.py): the filters choose people, the
    documents say what the caller sees of them."""

    serializer_class = PersonSerializer
    pagination_class = PeoplePagination
    csv_columns = PEOPLE_CSV_COLUMNS
    csv_help = PEOPLE_CSV_HELP
    narrowed_always = False

    def get_queryset(self):
        return selectors.person_list(audience=self.audience)

    @cached_property
    def api_root(self) -> str:
        return self.request.build_absolute_uri("/api/v1/")

    def documents(self):
        """The stored documents of the people the filters select."""
        refresh_stale_daily()
        documents = selectors.person_documents(audience=self.audience)
        given = set(self.request.query_params) - UNFILTERED
        if self.narrowed_always or given:
            # The filter set checks every parameter (unknown ones are a 400).
            people = self.filter_queryset(self.get_queryset())
            if self.narrowed_always or given - {"ordering"}:
                documents = documents.filter(person__in=people.order_by().values("pk"))
        return documents.annotate(text=Cast("document", TextField()))

    def ordering(self) -> tuple[str, list[tuple[str, bool]]]:
        raw = self.request.query_params.get("ordering") or "name"
        fields = []
        for term in raw.split(","):
            term = term.strip()
            fields.append((ORDER_FIELDS[term.lstrip("-")], term.startswith("-")))
        return raw, [*fields, ("person_id", False)]

    def list(self, request, *args, **kwargs):
        params = request.query_params
        token = params.get("cursor")
        keyset = decode_list_cursor(token) if token else None
        if keyset is None and (params.get("modified_since") or token):
            return self.change_feed(request)
        kept = self.kept_answer_key()
        generation = None
        if kept:
            generation, answer = answers.lookup(kept)
            if answer is not None:
                self.last_modified = answer.last_modified
                return StoredJSON(answer.text, answer)
        documents = self.documents()
        raw_ordering, fields = self.ordering()
        documents = documents.order_by(
            *[f"-{name}" if desc else name for name, desc in fields]
        )
        if self.wants_csv():
            return self.stream_documents(documents)
        size = page_size_from(request, self.paginator.page_size)
        count = documents.count()
        columns = [name for name, _ in fields]
        if keyset is not None:
            ordering, values = keyset
            if ordering != raw_ordering:
                raise ValidationError(
                    {"cursor": "This cursor belongs to another ordering."}
                )
            values = keyset_values(fields, values)
            number = None
            window = documents.filter(keyset_after(fields, values))
        else:
            number = self.page_number(count, size)
            window = documents[(number - 1) * size :]
        rows = list(window.values_list("modified", "text", *columns)[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        stamps = [row[0] for row in rows]
        self.last_modified = max(stamps) if stamps else None
        url = request.build_absolute_uri()
        next_link = previous = None
        if more and number is not None and number < NUMBERED_PAGES:
            next_link = replace_query_param(url, "page", number + 1)
        elif more:
            last = [
                value.isoformat() if hasattr(value, "isoformat") else value
                for value in rows[-1][2:]
            ]
            next_link = replace_query_param(
                remove_query_param(url, "page"),
                "cursor",
                encode_list_cursor(raw_ordering, last),
            )
        if number and number > 1:
            previous = (
                remove_query_param(url, "page")
                if number == 2
                else replace_query_param(url, "page", number - 1)
            )
        text = (
            f'{{"count": {count}, "next": {json.dumps(next_link)}, '
            f'"previous": {json.dumps(previous)}, '
            f'"results": [{", ".join(row[1] for row in rows)}]}}'
        )
        text = absolute(text, self.api_root)
        answer = None
        if kept:
            answer = answers.keep(kept, generation, text, self.last_modified)
        return StoredJSON(text, answer)

    def kept_answer_key(self) -> str | None:
        """Where this page of the list is kept (api/answers.py), or None when it
        is not: filtered lists, CSV, any query string but the API's own
        spelling, and with the cache off."""
        if self.narrowed_always or not answers.enabled() or self.wants_csv():
            return None
        query = self.request.META.get("QUERY_STRING", "")
        if answers.canonical(dict(self.request.query_params.lists())) != query:
            return None
        # The path too: the list answers with and without its final slash, and
        # its links repeat the one the caller used.
        return answers.answer_key(
            self.audience, self.api_root, f"{self.request.path}?{query}"
        )

    def page_number(self, count: int, size: int) -> int:
        raw = self.request.query_params.get("page") or "1"
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1 or (number > 1 and (number - 1) * size >= count):
            raise NotFound("Invalid page.")
        return number

    def change_feed(self, request):
        params = request.query_params
        if params.get("ordering"):
            raise ValidationError(
                {"ordering": "The change feed is always oldest change first."}
            )
        since = None
        if params.get("modified_since"):
            since = parse_since(params["modified_since"])
        feed = ChangeFeed(request, since, self.paginator.page_size)
        documents = self.documents()
        if self.wants_csv():
            raise ValidationError(
                {"format": "The change feed answers JSON only; follow `next`."}
            )
        people, tombstones = feed.page(
            documents, selectors.tombstone_list(audience=self.audience)
        )
        stamps = [when for when, _ in people]
        self.last_modified = max(stamps) if stamps else None
        text = feed.body(
            [text for _, text in people],
            PersonTombstoneSerializer(tombstones, many=True).data,
        )
        return StoredJSON(absolute(text, self.api_root))

    def stream_documents(self, documents):
        """Every matching person's stored CSV line, a chunk at a time, with its
        address made absolute: no document is parsed and no cell written here."""
        root = self.api_root
        lines = documents.values_list("csv_line", "pk").iterator(
            chunk_size=self.csv_chunk_size
        )

        def chunks():
            yield people_csv_header()
            pending = []
            for line, pk in lines:
                line = line or missing_csv_line(pk)
                pending.append(absolute_line(line, root))
                if len(pending) == self.csv_chunk_size:
                    yield "".join(pending)
                    pending = []
            if pending:
                yield "".join(pending)

        response = StreamingHttpResponse(
            chunks(), content_type="text/csv; charset=utf-8"
        )
        name = self.basename.replace("-", "_")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        return response


class PersonViewSet(PeopleListMixin, DetailMixin, ApiViewSet):
    """Councillors, candidates, organisers and campaigners in the network.

    Each person comes with their current roles (the area with its GSS code and
    type, the election, the label they stand under), their party history, their
    groups and the contact details your access allows: public keys and anonymous
    callers see public contacts of people who agreed to a public profile; network
    keys and members also see network contacts and everyone in the network.

    **Keeping a copy in sync.** Key your copy on each person's `id`, which never
    changes (a slug changes with the name). Ask once with `modified_since` set to
    a time before your copy began, follow `next` to the end, then store the last
    `cursor`. Later, ask with `cursor=<stored value>` to get only what changed
    since: changed people in `results` (replace your copy of each) and removed
    people in `deleted`, by `id` alone (drop the row with that `id`). A person
    changed while you page comes again later in the feed, so nothing is missed.

    **Paging.** Follow `next`: the first ten pages are numbered (`page`), later
    ones continue by `cursor`, which costs the same at any depth.

    **CSV.** `?format=csv` (or `Accept: text/csv`) returns every matching person,
    not a page, with one column per kind of contact.
    """

    summaries = {
        "list": "List people, or the changes since a time",
        "retrieve": "Read one person",
    }

    lookup_field = "slug"
    filterset_class = PersonFilter

    def retrieve(self, request, *args, **kwargs):
        row = (
            self.documents()
            .filter(person__slug=kwargs["slug"])
            .values_list("modified", "text")
            .first()
        )
        if row is None:
            raise Http404("No Person matches the given query.")
        self.last_modified = row[0]
        if self.wants_csv():
            return Response(loads(row[1], self.api_root))
        return StoredJSON(absolute(row[1], self.api_root))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "area_gss",
                str,
                OpenApiParameter.PATH,
                description="GSS code of the area, e.g. E06000008.",
            )
        ]
    )
)
class AreaPeopleViewSet(PeopleListMixin, ApiViewSet):
    """People with a current role in this area or anywhere inside it (a council's
    wards, a region's councils and constituencies). `include=overlapping` adds the
    candidates of Westminster constituencies that overlap a council. Takes the same
    filters as `/people/`, and `?format=csv` too."""

    summaries = {"list": "List the people in an area"}

    filterset_class = AreaPeopleFilter
    narrowed_always = True  # by the area in the address

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.area = get_object_or_404(Area, gss_code=kwargs["area_gss"])


# ------------------------------------------------------------------ roles


class RoleViewSet(ApiViewSet):
    """Seats, candidacies and organising roles, one row each, with the person who
    holds it. Filter by `kind`, `area` (everything inside it), `election`,
    `affiliation` and `current`; all conditions apply to the same role."""

    summaries = {"list": "List roles"}

    serializer_class = RoleSerializer
    filterset_class = RoleFilter
    csv_columns = [
        ("person_id", lambda r: r["person"]["id"]),
        ("person_slug", lambda r: r["person"]["slug"]),
        ("person_name", lambda r: r["person"]["name"]),
        ("kind", lambda r: r["kind"]),
        ("title", lambda r: r["title"]),
        ("area_code", lambda r: (r["area"] or {}).get("gss_code", "")),
        ("area_name", lambda r: (r["area"] or {}).get("name", "")),
        ("election", lambda r: (r["election"] or {}).get("election_id", "")),
        ("affiliation", lambda r: (r["affiliation"] or {}).get("name", "")),
        ("group", lambda r: (r["group"] or {}).get("name", "")),
        ("start_date", lambda r: r["start_date"]),
        ("end_date", lambda r: r["end_date"]),
        ("current", lambda r: r["current"]),
    ]
    csv_help = {
        "person_id": "The person's `id`, which never changes.",
        "area_code": "GSS code.",
        "election": "Election id, e.g. `parl.2024-07-04`.",
        "affiliation": "The label the role is held under.",
        "group": "The group an organising role is held in.",
        "current": "`True` while the role has not ended.",
    }

    def get_queryset(self):
        return selectors.role_list(audience=self.audience)


# ------------------------------------------------------------------ reference data


class AreaViewSet(DetailMixin, ApiViewSet):
    """Every UK nation, region, council, ward and Westminster constituency, by ONS
    GSS code, with its parent, region and nation. `/areas/{gss_code}/people/`
    lists the people serving in or standing for it."""

    summaries = {"list": "List areas", "retrieve": "Read one area"}

    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    lookup_field = "gss_code"
    csv_columns = [
        ("gss_code", lambda r: r["gss_code"]),
        ("name", lambda r: r["name"]),
        ("type", lambda r: r["type"]),
        ("council_type", lambda r: r["council_type"]),
        ("parent", lambda r: (r["parent"] or {}).get("gss_code", "")),
        ("region", lambda r: (r["region"] or {}).get("gss_code", "")),
        ("nation", lambda r: (r["nation"] or {}).get("gss_code", "")),
    ]
    csv_help = {
        "gss_code": "ONS GSS code.",
        "parent": "GSS code of the area it lies in.",
        "region": "GSS code of its region (outside England, its nation).",
        "nation": "GSS code of its nation.",
    }

    def get_queryset(self):
        return selectors.area_list()


class ElectionViewSet(DetailMixin, ApiViewSet):
    """Elections, by Democracy Club style id (e.g. `parl.2024-07-04`)."""

    summaries = {"list": "List elections", "retrieve": "Read one election"}

    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
    lookup_field = "election_id"
    lookup_value_regex = "[^/]+"  # ids have dots: parl.2024-07-04
    csv_columns = [
        (name, lambda r, name=name: r[name])
        for name in ("election_id", "name", "date", "kind")
    ]

    def get_queryset(self):
        return selectors.election_list()


class PartyViewSet(DetailMixin, ApiViewSet):
    """Parties and labels that roles are held under, by slug."""

    summaries = {"list": "List parties", "retrieve": "Read one party"}

    serializer_class = PartySerializer
    lookup_field = "slug"
    csv_columns = [
        (name, lambda r, name=name: r[name])
        for name in ("slug", "name", "ec_id", "is_independent")
    ]
    csv_help = {"ec_id": "Electoral Commission register id, if registered."}

    def get_queryset(self):
        return selectors.party_list()


class GroupViewSet(DetailMixin, ApiViewSet):
    """Local networks, councillor groups, campaigns and partner organisations.
    `/people/?group=<slug>` lists the people in one."""

    summaries = {"list": "List groups", "retrieve": "Read one group"}

    serializer_class = GroupSerializer
    filterset_class = GroupFilter
    lookup_field = "slug"
    csv_columns = [
        ("slug", lambda r: r["slug"]),
        ("name", lambda r: r["name"]),
        ("kind", lambda r: r["kind"]),
        ("area_code", lambda r: (r["area"] or {}).get("gss_code", "")),
        ("website", lambda r: r["website"]),
    ]
    csv_help = {"area_code": "GSS code of the group's area, if it has one."}

    def get_queryset(self):
        return selectors.group_list()


class UnknownAddress(APIView):
    """Any other address under /api/v1/: a JSON 404, like the rest of the API."""

    authentication_classes = ApiViewSet.authentication_classes
    permission_classes = ApiViewSet.permission_classes
    throttle_classes = ApiViewSet.throttle_classes
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    schema = None

    def get(self, request, *args, **kwargs):
        raise NotFound("No such address in this API. See /api/v1/docs/.")

    post = put = patch = delete = options = get


# ------------------------------------------------------------------ the index


class ApiIndex(APIView):
    """The API's front door: every operation with its address, and where the
    guide and the OpenAPI document are."""

    authentication_classes = ApiViewSet.authentication_classes
    permission_classes = ApiViewSet.permission_classes
    throttle_classes = ApiViewSet.throttle_classes
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    http_method_names = NO_OPTIONS
    schema = ApiAutoSchema()
    summaries = {"get": "List the operations and where the documentation is"}
    # Given by api/urls.py: the router, and the views outside it by path.
    router = None
    views: dict = {}

    def operations(self):
        """(method, path, summary) of each operation, in the order served."""
        yield "GET", "/", self.summaries["get"]
        for path, view in self.views.items():
            for method in NO_OPTIONS:
                if method != "head" and hasattr(view, method):
                    yield method.upper(), path, view.summaries[method]
        for prefix, viewset, _ in self.router.registry:
            base = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", prefix)
            lookup = viewset.lookup_url_kwarg or viewset.lookup_field
            for route in self.router.routes:
                if not isinstance(route, Route):
                    continue
                mapping = self.router.get_method_map(viewset, route.mapping)
                path = base if "{lookup}" not in route.url else f"{base}/{{{lookup}}}"
                for method, action in mapping.items():
                    if method not in viewset.http_method_names:
                        continue  # inherited, but not offered here (405)
                    yield method.upper(), path, viewset.summaries[action]

    @extend_schema(responses=ApiIndexSerializer, operation_id="index", tags=["index"])
    def get(self, request):
        root = request.build_absolute_uri(reverse("api:index")).rstrip("/")
        return Response(
            ApiIndexSerializer(
                {
                    "docs": request.build_absolute_uri(reverse("api:docs")),
                    "schema": request.build_absolute_uri(reverse("api:schema")),
                    "operations": [
                        {
                            "method": method,
                            "path": path,
                            "url": root + path,
                            "summary": summary,
                        }
                        for method, path, summary in self.operations()
                    ],
                }
            ).data
        )
