"""Postcode lookup: the offline table and the postcodes.io backend against a local
HTTP server that answers the way postcodes.io does."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from network.postcodes import (
    InvalidPostcode,
    LookupUnavailable,
    OfflineBackend,
    PostcodesIOBackend,
    UnknownPostcode,
    constituency_for_postcode,
    lookup_postcode,
    normalise_postcode,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw, expected",
    [("bb1 1aa", "BB1 1AA"), ("  SW1A1AA ", "SW1A 1AA"), ("e1  6an", "E1 6AN")],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "hello", "BB1", "12345", "BB1 1AAA"])
def test_invalid_postcodes_get_a_clear_message(raw):
    with pytest.raises(InvalidPostcode, match="doesn't look like a UK postcode"):
        normalise_postcode(raw)


def test_offline_backend_finds_constituency_council_and_ward(uk_areas):
    result = OfflineBackend().lookup("ab11 5fd")
    assert result.postcode == "AB11 5FD"
    assert result.constituency.gss_code == "S14000061"
    assert result.council.gss_code == "S12000033"
    assert result.ward.gss_code == "S13002842"


def test_offline_backend_covers_every_gb_constituency(uk_areas, settings):
    import csv

    path = settings.NETWORK_DATA_DIR / "uk_postcode_sample.csv"
    with open(path, encoding="utf-8") as handle:
        codes = {row["pcon_gss"] for row in csv.DictReader(handle)}
    assert len(codes) == 632  # every seat in England, Wales and Scotland


def test_offline_backend_reports_unknown_postcodes(uk_areas):
    with pytest.raises(UnknownPostcode, match="ZZ9 9ZZ"):
        OfflineBackend().lookup("ZZ9 9ZZ")


def test_simple_function_never_raises(uk_areas):
    assert constituency_for_postcode("AB11 5FD").gss_code == "S14000061"
    assert constituency_for_postcode("not a postcode") is None
    assert constituency_for_postcode("ZZ9 9ZZ") is None


def test_settings_choose_the_backend(uk_areas, settings):
    settings.POSTCODE_LOOKUP_BACKEND = "offline"
    assert lookup_postcode("AB11 5FD").constituency.gss_code == "S14000061"
    settings.POSTCODE_LOOKUP_BACKEND = "carrier-pigeon"
    with pytest.raises(ValueError, match="POSTCODE_LOOKUP_BACKEND"):
        lookup_postcode("AB11 5FD")


# ------------------------------------------------------------------ the HTTP backend


class FakePostcodesIO(BaseHTTPRequestHandler):
    """Answers /postcodes/<postcode> like postcodes.io; 'SL0W' postcodes stall."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the handler's API
        FakePostcodesIO.requests.append(self.path)
        postcode = self.path.rsplit("/", 1)[-1].replace("%20", " ")
        if postcode.startswith("SL0"):
            time.sleep(3.0)
        if postcode == "BB1 1AA":
            body = {
                "status": 200,
                "result": {
                    "postcode": "BB1 1AA",
                    "codes": {
                        "parliamentary_constituency": "E14001102",
                        "parliamentary_constituency_2024": "E14001102",
                        "admin_district": "E06000008",
                        "admin_ward": "E05011515",
                    },
                },
            }
            status = 200
        elif postcode == "EE1 1EE":
            body, status = {"status": 500, "error": "boom"}, 500
        else:
            body, status = {"status": 404, "error": "Postcode not found"}, 404
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePostcodesIO)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    FakePostcodesIO.requests = []
    cache.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_http_backend_finds_a_postcode_and_caches_it(uk_areas, fake_service):
    backend = PostcodesIOBackend(base_url=fake_service, timeout=0.5)
    result = backend.lookup("bb11aa")
    assert result.constituency.name == "Blackburn"
    assert result.council.gss_code == "E06000008"
    assert result.ward.gss_code == "E05011515"
    assert backend.lookup("BB1 1AA").constituency.name == "Blackburn"
    assert FakePostcodesIO.requests == ["/postcodes/BB1%201AA"]


def test_http_backend_reports_an_unknown_postcode(uk_areas, fake_service):
    backend = PostcodesIOBackend(base_url=fake_service, timeout=0.5)
    with pytest.raises(UnknownPostcode):
        backend.lookup("ZZ9 9ZZ")


def test_http_backend_times_out_quickly_and_says_the_service_is_down(
    uk_areas, fake_service
):
    backend = PostcodesIOBackend(base_url=fake_service, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(LookupUnavailable, match="isn't answering"):
        backend.lookup("SL0 1AA")
    assert time.monotonic() - started < 2.5  # gave up before the server answered


def test_http_backend_treats_server_errors_as_down_and_does_not_cache_them(
    uk_areas, fake_service
):
    backend = PostcodesIOBackend(base_url=fake_service, timeout=0.5)
    for _ in range(2):
        with pytest.raises(LookupUnavailable):
            backend.lookup("EE1 1EE")
    assert len(FakePostcodesIO.requests) == 2


def test_http_backend_when_nothing_listens(uk_areas):
    cache.clear()
    backend = PostcodesIOBackend(base_url="http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(LookupUnavailable):
        backend.lookup("BB1 1AA")
