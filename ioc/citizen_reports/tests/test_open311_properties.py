"""Property-based tests of the Open311 GeoReport v2 root (issue 16 part 1, R3.1): hypothesis generates query
strings and POST forms that the OpenAPI fuzzing (`ioc/common/tests/test_fuzz_api.py`) cannot reach.

Properties: no answer is a 5xx; every refusal is the spec's error body (a code and a description) in the format
asked for, and XML and JSON answers both parse; a 2xx POST creates exactly one report whose fields round-trip;
a 4xx POST writes nothing. Marker `fuzz` (CI stage "fuzzing"); generation is derandomised and bounded.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ioc.citizen_reports.models import Report, ReporterContact, ReportPhoto
from ioc.citizen_reports.tests.test_open311_support import (
    BASE,
    Open311Mixin,
    errors_of,
    jpeg,
    parse_json,
    parse_xml,
    point_in,
    xml_requests,
)

pytestmark = [pytest.mark.fuzz]

# `make fuzz-long` (IOC_FUZZ_EXAMPLES=200) runs ten times as many cases as the default 20 asks for.
SCALE = max(1, int(os.environ.get("IOC_FUZZ_EXAMPLES", "20"))) / 20
BOUNDED = settings(
    max_examples=round(40 * SCALE),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text a form can carry: any character but lone surrogates (not encodable as UTF-8), control characters included.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
FORMATS = st.sampled_from(["json", "xml"])
GARBAGE = st.one_of(
    TEXT,
    st.sampled_from(["", " ", "-1", "0", "1e309", "NaN", "null", "<x/>", "'; DROP TABLE x;--", "%00", "\x00"]),
)
DATES = st.one_of(
    GARBAGE,
    st.sampled_from(
        [
            "2025-07-01",
            "2025-07-01T08:00:00+07:00",
            "2025-07-01T08:00:00Z",
            "2025-07-01T08:00:00 07:00",
            "2025-02-30",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01",
            "2025-07-01T25:00:00Z",
        ]
    ),
    st.dates().map(str),
)
NUMBERS = st.one_of(
    GARBAGE,
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def _ok(response: Any, fmt: str) -> Any:
    """The parsed 2xx body (XML or JSON), or the checked error body of a 4xx."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        errors = errors_of(response, fmt)
        assert errors, response.content[:300]
        for code, description in errors:
            assert 400 <= code < 500 and description.strip(), errors
        return None
    return parse_json(response) if fmt == "json" else parse_xml(response)


class Open311ReadPropertiesTest(Open311Mixin, TestCase):
    """GET services, services/{code} and requests with generated arguments."""

    def setup_example(self) -> None:
        super().setup_example()
        caches["default"].clear()  # the read rate limit is not what is under test

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.receive_one()

    @classmethod
    def receive_one(cls) -> None:
        from ioc.citizen_reports import services

        lat, lon = point_in()
        services.report_receive(channel="web", category=cls.road, description="Ổ gà", lat=lat, lon=lon)

    @BOUNDED
    @given(fmt=FORMATS, jurisdiction=st.one_of(st.none(), GARBAGE))
    def test_services_list_always_parses(self, fmt: str, jurisdiction: str | None) -> None:
        query = {} if jurisdiction is None else {"jurisdiction_id": jurisdiction}
        body = _ok(Client().get(f"{BASE}/services.{fmt}", query), fmt)
        assert body is not None
        codes = [s["service_code"] for s in body] if fmt == "json" else [s.findtext("service_code") for s in body]
        assert sorted(codes) == ["o311-light", "o311-road"], codes  # the inactive category is never listed

    @BOUNDED
    @example(fmt="json", code="o311-road\n")  # a newline once fell through the catch-all to Django's HTML 404
    @given(fmt=FORMATS, code=st.one_of(st.sampled_from(["o311-road", "o311-retired", "o311-light"]), TEXT))
    def test_service_definition_is_a_definition_or_an_error(self, fmt: str, code: str) -> None:
        from urllib.parse import quote

        response = Client().get(f"{BASE}/services/{quote(code, safe='')}.{fmt}")
        body = _ok(response, fmt)
        if code in ("o311-road", "o311-light"):
            assert response.status_code == 200
            found = body["service_code"] if fmt == "json" else body.findtext("service_code")
            assert found == code
        elif code == "o311-retired":
            assert response.status_code == 404

    @BOUNDED
    @given(
        fmt=FORMATS,
        query=st.dictionaries(
            st.sampled_from(
                [
                    "start_date",
                    "end_date",
                    "status",
                    "service_code",
                    "service_request_id",
                    "bbox",
                    "lat",
                    "long",
                    "radius",
                    "page",
                    "page_size",
                    "jurisdiction_id",
                ]
            ),
            st.one_of(DATES, NUMBERS, st.sampled_from(["open", "closed", "open,closed", "OPEN,x", "o311-road"])),
            max_size=6,
        ),
    )
    def test_request_lists_parse_or_are_refused_in_the_spec_format(self, fmt: str, query: dict[str, str]) -> None:
        body = _ok(Client().get(f"{BASE}/requests.{fmt}", query), fmt)
        if body is not None:
            rows = body if fmt == "json" else xml_requests(body)
            assert isinstance(rows, list)
            for row in rows:
                assert row["service_request_id"]


# --- POST requests ---------------------------------------------------------------------------------------------

ATTRIBUTE_NAMES = st.one_of(
    st.sampled_from(
        [
            "attribute[anonymous]",
            "attribute[consent_processing]",
            "attribute[consent_share]",
            "attribute[anonymous][]",
            "attribute[unknown]",
            "attribute[",
            "attribute[a b]",
            "attributes",
            "attribute[" + "x" * 70 + "]",
        ]
    ),
    TEXT.map(lambda t: f"attribute[{t}]"),
)
ATTRIBUTE_VALUES = st.one_of(st.sampled_from(["true", "false", "TRUE", "0", "1", "yes", "no", ""]), GARBAGE)
MEDIA_URLS = st.sampled_from(
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://127.0.0.1/a.jpg",
        "data:image/jpeg;base64,/9j/4AAQ",
        "gopher://127.0.0.1:70/",
        "http://127.0.0.1:9/a.jpg",
        "http://10.0.0.1/a.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.jpg",
        "http://",
        "not a url",
    ]
)
DESCRIPTIONS = st.one_of(
    TEXT,
    st.sampled_from(["x" * 2_001, "Ổ gà " * 2_000, "\x00\x01\x02 control", "\u202eRTL\u200b zero width", "  "]),
)


JPEG = jpeg()
VALID_FORM = {"api_key": "VALID", "service_code": "o311-light", "lat": "VALID", "long": "VALID", "description": "Đèn"}
UPLOADS = st.one_of(st.binary(max_size=64), st.just(JPEG), st.just(JPEG[:200]), st.just(b"GIF89a" + bytes(20)))
NAMES = st.text(st.characters(categories=("L", "Zs")), min_size=1, max_size=20)
# Each field: (a valid value, garbage). "VALID" is replaced by the test's token or point.
POST_FIELDS: dict[str, tuple[st.SearchStrategy[str], st.SearchStrategy[str]]] = {
    "api_key": (st.just("VALID"), st.sampled_from(["bad-token", "", "ioc_" + "0" * 40, "VALID "])),
    "service_code": (st.sampled_from(["o311-road", "o311-light"]), st.sampled_from(["o311-retired", "nope", ""])),
    "lat": (st.just("VALID"), st.one_of(NUMBERS, st.sampled_from(["91", "-90.5", "0"]))),
    "long": (st.just("VALID"), st.one_of(NUMBERS, st.sampled_from(["181", "-180.5", "0"]))),
    "description": (NAMES.map(lambda t: "Đèn hỏng " + t), DESCRIPTIONS),
    "address_string": (NAMES, TEXT),
    "email": (st.sampled_from(["a@b.vn", "lan.nguyen@example.org"]), st.one_of(TEXT, st.just("x@" + "y" * 300))),
    "phone": (st.sampled_from(["0900000311", "+84 900 000 311"]), st.one_of(TEXT, st.sampled_from(["12", "0" * 40]))),
    "first_name": (NAMES, TEXT),
    "account_id": (NAMES, TEXT),
    "jurisdiction_id": (st.just(""), GARBAGE),
    "media_url": (st.just(""), MEDIA_URLS),
}
ALWAYS = ("api_key", "service_code", "lat", "long", "description")


@st.composite
def post_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A POST form: each field absent, valid or (one time in eight) garbage; a few attribute[...] fields."""
    form: dict[str, Any] = {}
    for name, (valid, garbage) in POST_FIELDS.items():
        if name in ALWAYS or draw(st.booleans()):
            form[name] = draw(garbage if draw(st.integers(0, 7)) == 0 else valid)
    for name in draw(st.lists(ATTRIBUTE_NAMES, max_size=3, unique=True)):
        form[name] = draw(ATTRIBUTE_VALUES)
    return form


class Open311PostPropertiesTest(Open311Mixin, TestCase):
    """POST requests with generated forms: one report round-trips, or a spec error and nothing written."""

    lat: float
    lon: float

    def setup_example(self) -> None:
        super().setup_example()
        caches["default"].clear()  # every example starts under the rate limits

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.lat, cls.lon = point_in()

    def _form(self, generated: dict[str, Any]) -> dict[str, Any]:
        values = {"api_key": self.system_token, "lat": f"{self.lat:.6f}", "long": f"{self.lon:.6f}"}
        return {k: values[k] if v == "VALID" and k in values else v for k, v in generated.items()}

    @staticmethod
    def _counts() -> tuple[int, int, int]:
        return Report.objects.count(), ReporterContact.objects.count(), ReportPhoto.objects.count()

    @settings(BOUNDED, max_examples=round(80 * SCALE))
    @example(
        fmt="xml",
        generated=VALID_FORM,
        media=JPEG,
    )
    @given(fmt=FORMATS, generated=post_forms(), media=st.one_of(st.none(), st.none(), UPLOADS))
    def test_a_post_creates_one_report_or_writes_nothing(
        self, fmt: str, generated: dict[str, Any], media: bytes | None
    ) -> None:
        form = self._form(generated)
        before = self._counts()
        url = f"{BASE}/requests.{fmt}"
        if media is None:
            encoded = urlencode(form)
            response = Client().post(url, encoded, content_type="application/x-www-form-urlencoded; charset=utf-8")
        else:  # multipart with a `media` file (not a photo, or a real one)
            response = Client().post(url, {**form, "media": SimpleUploadedFile("a.jpg", media, "image/jpeg")})
        body = _ok(response, fmt)
        event(f"POST {response.status_code}" + (" with media" if media is not None else ""))
        after = self._counts()
        if media is not None and body is not None:
            assert after[2] == before[2] + 1, "the uploaded photo is kept"
        if media == JPEG and generated == VALID_FORM:  # the explicit example: a valid form with a photo
            assert response.status_code == 200, response.content
        if body is None:
            assert after == before, (response.content[:300], before, after)
            return
        assert after[0] == before[0] + 1, (before, after)
        [answer] = body if fmt == "json" else xml_requests(body)
        report = Report.objects.get(tracking_code=answer["service_request_id"])
        self._assert_round_trip(report, form)

    def _assert_round_trip(self, report: Report, form: dict[str, Any]) -> None:
        assert report.channel == "open311"
        assert report.category.code == form["service_code"].strip()
        assert report.description == str(form.get("description", "")).strip(), (report.description, form)
        if form.get("lat", "").strip():
            assert abs(float(report.lat or 0) - float(form["lat"])) < 1e-5
            assert abs(float(report.lon or 0) - float(form["long"])) < 1e-5
        anonymous = str(form.get("attribute[anonymous]", "")).strip().lower()
        assert report.anonymous_to_public is (anonymous not in ("false", "0", "no"))
