"""Property-based tests of the SensorThings root /sta/v1.1/ (issue 16 part 1, R5.5): hypothesis generates OData
query options and Observation bodies that the OpenAPI fuzzing (`ioc/common/tests/test_fuzz_api.py`) cannot reach.

Properties: no answer is a 5xx and every 4xx is SensorThings' error body; `@iot.count` equals the items when
`$top` covers them all; `$top`/`$skip` pages partition a collection; accepted Observations are stored once and a
refused request writes nothing. Marker `fuzz` (CI stage "fuzzing"); generation is derandomised and bounded.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, FeatureOfInterest, Observation
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import entity_create
from ioc.sensors.sta.entities import ENTITY_SETS
from ioc.sensors.tests.sta_support import ROOT, StaClient, thing_payload

pytestmark = [pytest.mark.fuzz]

# `make fuzz-long` (IOC_FUZZ_EXAMPLES=200) runs ten times as many cases as the default 20 asks for.
SCALE = max(1, int(os.environ.get("IOC_FUZZ_EXAMPLES", "20"))) / 20
BOUNDED = settings(
    max_examples=round(60 * SCALE),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OBSERVATIONS = 12  # stored on agency A's stream in the fixture


def _checked(response: Any) -> Any:
    """The JSON body of a 2xx, or None after checking a 4xx is SensorThings' error body."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    body = json.loads(response.content) if response.content else None
    if response.status_code >= 400:
        assert isinstance(body, dict), response.content[:300]
        assert body["type"] == "error" and body["code"] == response.status_code, body
        assert isinstance(body["message"], str) and body["message"], body
        return None
    return body


# --- $filter from a small grammar (with invalid tokens) --------------------------------------------------------

PATHS = st.sampled_from(
    [
        "name",
        "description",
        "id",
        "@iot.id",
        "result",
        "phenomenonTime",
        "resultTime",
        "properties/kind",
        "Datastream/name",
        "Datastream/Thing/name",
        "Thing/Locations",
        "location",
        "unknownProperty",
    ]
)
LITERALS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        [
            "1e400",
            "-0",
            "'Trạm'",
            "'O''Brien'",
            "''",
            "null",
            "true",
            "2025-07-01T00:00:00Z",
            "2025-07-01T00:00:00+07:00",
            "0001-01-01T00:00:00+14:00",
            "2025-13-01T00:00:00Z",
            "2025-07-01",
            "geography'POINT(106.05 20.65)'",
            "geography'POLYGON((106 20,107 20,107 21,106 21,106 20))'",
            "geography'POINT('",
            "geometry''",
        ]
    ),
)
GARBAGE_TOKENS = st.sampled_from(["#", '"', "$$", "'unclosed", ")", "(", ",", "eq", "%", "[]", "\u00a0", "\x00"])
COMPARE = st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le"])
ARITHMETIC = st.sampled_from(["add", "sub", "mul", "div", "mod"])
FUNCTIONS = st.sampled_from(
    [
        "substringof",
        "contains",
        "startswith",
        "endswith",
        "length",
        "tolower",
        "toupper",
        "trim",
        "concat",
        "indexof",
        "substring",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "now",
        "round",
        "floor",
        "ceiling",
        "st_intersects",
        "st_within",
        "st_contains",
        "st_disjoint",
        "st_distance",
        "geo.distance",
        "nosuchfunction",
    ]
)


def _expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, COMPARE, children).map(" ".join),
        st.tuples(children, ARITHMETIC, children).map(" ".join),
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(" ".join),
        children.map(lambda c: f"not {c}"),
        children.map(lambda c: f"({c})"),
        st.tuples(FUNCTIONS, st.lists(children, max_size=3)).map(lambda t: f"{t[0]}({','.join(t[1])})"),
    )


TERMS = st.one_of(PATHS, LITERALS, GARBAGE_TOKENS)
FILTERS = st.recursive(TERMS, _expressions, max_leaves=8)
ORDERBY = st.lists(
    st.tuples(st.one_of(PATHS, FILTERS), st.sampled_from(["", " asc", " desc", " sideways"])).map("".join),
    min_size=1,
    max_size=3,
).map(",".join)
INTEGERS = st.one_of(
    st.integers(min_value=-5, max_value=30).map(str),
    st.sampled_from(["10000", "10001", "99999999999999999999", "1.5", "", "abc", " 3"]),
)
SELECT = st.lists(st.one_of(PATHS, st.sampled_from(["", "Datastreams", "@iot.selfLink"])), max_size=3).map(",".join)
EXPAND_LEAVES = st.sampled_from(
    ["Datastreams", "Observations", "Thing", "Locations", "Datastream", "Sensor", "Foo", "", "Locations/Things"]
)


def _nested(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    inner_option = st.one_of(
        children.map(lambda c: f"$expand={c}"),
        INTEGERS.map(lambda n: f"$top={n}"),
        INTEGERS.map(lambda n: f"$skip={n}"),
        FILTERS.map(lambda f: f"$filter={f}"),
        SELECT.map(lambda s: f"$select={s}"),
        st.sampled_from(["$count=true", "$count=maybe", "$orderby=id desc", "$bogus=1"]),
    )
    return st.one_of(
        st.tuples(EXPAND_LEAVES, st.lists(inner_option, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({';'.join(t[1])})"
        ),
        st.lists(children, min_size=2, max_size=3).map(",".join),
    )


EXPAND = st.recursive(EXPAND_LEAVES, _nested, max_leaves=4)

# Well-formed options (each may still name a property another entity set lacks: a 400 then).
COMPARISONS = st.sampled_from(
    [
        "name eq 'Trạm A'",
        "id gt 0",
        "@iot.id le 3",
        "result ge 2",
        "result mul 2 lt 5",
        "phenomenonTime lt 2025-07-01T06:00:00Z",
        "startswith(name,'Tr')",
        "length(description) gt 3",
        "year(phenomenonTime) eq 2025",
        "Datastream/Thing/name eq 'Trạm A'",
        "st_within(location, geography'POLYGON((100 8,110 8,110 24,100 24,100 8))')",
        "properties/kind eq 'air'",
    ]
)
VALID_FILTERS = st.recursive(
    COMPARISONS,
    lambda c: st.one_of(
        st.tuples(c, st.sampled_from([" and ", " or "]), c).map("".join), c.map(lambda x: f"not ({x})")
    ),
    max_leaves=3,
)
VALID = {
    "$filter": VALID_FILTERS,
    "$orderby": st.sampled_from(["id", "id desc", "name", "result desc,id", "phenomenonTime", "name asc,id desc"]),
    "$top": st.integers(min_value=0, max_value=20).map(str),
    "$skip": st.integers(min_value=0, max_value=20).map(str),
    "$select": st.sampled_from(["id,name", "@iot.id", "result,phenomenonTime", "name,description", "id"]),
    "$expand": st.sampled_from(
        [
            "Datastreams",
            "Datastreams($top=1;$expand=Observations($top=2;$count=true))",
            "Locations,Datastreams($select=name)",
            "Datastream/Thing",
            "Thing",
            "Observations($orderby=result desc;$top=3;$skip=1)",
        ]
    ),
    "$count": st.sampled_from(["true", "false"]),
}
GARBLED = {
    "$filter": FILTERS,
    "$orderby": ORDERBY,
    "$top": INTEGERS,
    "$skip": INTEGERS,
    "$select": SELECT,
    "$expand": EXPAND,
    "$count": st.sampled_from(["TRUE", "1", "", "maybe"]),
    "$resultFormat": st.sampled_from(["dataArray", "GeoJSON"]),
    "$unknown": st.just("1"),
}


@st.composite
def query_options(draw: st.DrawFn) -> dict[str, str]:
    """Each option absent, well-formed or (one time in four) garbled."""
    options: dict[str, str] = {}
    for name, garbled in GARBLED.items():
        if draw(st.integers(0, 2)) != 0:
            continue
        valid = VALID.get(name)
        options[name] = draw(garbled if valid is None or draw(st.integers(0, 3)) == 0 else valid)
    return options


class _World(StaClient):
    """Agency A's Thing (one Datastream, OBSERVATIONS Observations) and agency B's public Thing."""

    stream_a: Datastream
    stream_b: Datastream
    feature: int

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for agency, name in ((cls.agency_a, "Trạm A"), (cls.agency_b, "Trạm B")):
            draft = parse_draft("Things", thing_payload(name))
            entity_create(actor=cls.system_user, agency_id=agency.pk, viewer=viewer_for(cls.system_user), draft=draft)
        cls.stream_a = Datastream.objects.get(thing__agency=cls.agency_a)
        cls.stream_b = Datastream.objects.get(thing__agency=cls.agency_b)
        rows = [[f"2025-07-01T{hour:02d}:00:00Z", hour % 5] for hour in range(OBSERVATIONS)]  # repeated results
        body: list[dict[str, Any]] = [
            {"Datastream": {"@iot.id": cls.stream_a.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}
        ]
        response = Client().post(
            ROOT + "CreateObservations",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {cls.system_token}",
        )
        assert response.status_code == 201, response.content
        cls.feature = FeatureOfInterest.objects.get().pk


class StaQueryPropertiesTest(_World, TestCase):
    """GET collections with generated OData options."""

    @BOUNDED
    @example(collection="Observations", options={"$filter": "phenomenonTime gt 0001-01-01T00:00:00+14:00"}, token=False)
    @given(
        collection=st.sampled_from([*ENTITY_SETS, "Datastreams(STREAM)/Observations", "Things(THING)/Datastreams"]),
        options=query_options(),
        token=st.booleans(),
    )
    def test_collections_answer_or_refuse_in_the_sta_shape(
        self, collection: str, options: dict[str, str], token: bool
    ) -> None:
        path = collection.replace("STREAM", str(self.stream_a.pk)).replace("THING", str(self.stream_a.thing_id))
        headers: dict[str, Any] = self.auth() if token else {}
        body = _checked(self.client.get(f"{ROOT}{path}?{urlencode(options)}", **headers))
        if body is None:
            return
        assert isinstance(body["value"], list)
        covers_all = options.get("$skip", "0") == "0" and "@iot.nextLink" not in body
        if "@iot.count" in body and covers_all:
            assert body["@iot.count"] == len(body["value"]), (body["@iot.count"], len(body["value"]))

    @BOUNDED
    @example(path="Things\n")  # a newline once fell through the catch-all to Django's HTML 404
    @example(path="Things(1\n)")
    @given(path=st.one_of(st.text(st.characters(codec="utf-8"), max_size=30), st.sampled_from([*ENTITY_SETS])))
    def test_any_path_is_answered_in_the_sta_shape(self, path: str) -> None:
        _checked(self.client.get(ROOT + quote(path, safe="/()'$")))

    @BOUNDED
    @given(
        top=st.integers(min_value=1, max_value=OBSERVATIONS + 2),
        order=st.sampled_from(["", "result", "result desc", "phenomenonTime desc", "id desc", "result,id desc"]),
        filtered=st.sampled_from(["", "result ge 2", "result eq 9", "hour(phenomenonTime) lt 6"]),
    )
    def test_top_and_skip_pages_partition_the_collection(self, top: int, order: str, filtered: str) -> None:
        base = {k: v for k, v in (("$orderby", order), ("$filter", filtered)) if v}
        path = f"{ROOT}Datastreams({self.stream_a.pk})/Observations"
        whole = self.get_json(f"{path}?{urlencode({**base, '$top': '1000', '$count': 'true'})}")
        expected = [row["@iot.id"] for row in whole["value"]]
        assert whole["@iot.count"] == len(expected)
        pages: list[int] = []
        for skip in range(0, OBSERVATIONS + top, top):
            page = self.get_json(f"{path}?{urlencode({**base, '$top': str(top), '$skip': str(skip)})}")
            assert len(page["value"]) <= top
            assert ("@iot.nextLink" in page) == (skip + top < len(expected)), (skip, top, page.get("@iot.nextLink"))
            pages.extend(row["@iot.id"] for row in page["value"])
        assert pages == expected, (pages, expected)


# --- writes -----------------------------------------------------------------------------------------------------

GOOD_TIMES = st.one_of(
    st.datetimes(timezones=st.timezones(), allow_imaginary=False).map(lambda d: d.isoformat()),
    st.sampled_from(["2025-07-01T00:00:00Z", "2025-07-01T07:00:00+07:00", "2025-07-01T00:00:00Z/2025-07-01T01:00:00Z"]),
)
BAD_TIMES: st.SearchStrategy[Any] = st.sampled_from(
    [
        "2025-07-01T01:00:00Z/2025-07-01T00:00:00Z",
        "2025-07-01T00:00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:00:00-14:00",
        "2025-13-01T00:00:00Z",
        "2025-07-01T24:00:00Z",
        "yesterday",
        "",
        "/",
        None,
        20250701,
        1.5,
        True,
        [],
        {},
    ]
)


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` three times in four, `bad` otherwise."""
    return st.integers(0, 3).flatmap(lambda n: bad if n == 0 else good)


TIMES = _mostly(GOOD_TIMES, BAD_TIMES)
GOOD_RESULTS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=-(10**15), max_value=10**15)
)
BAD_RESULTS = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 10**400, None, True, "cao", "", "NaN", [], {"a": 1}, [1, 2]]),
)
RESULTS = _mostly(GOOD_RESULTS, BAD_RESULTS)
STREAM_KEYS = _mostly(st.just("A"), st.sampled_from(["B", 999_999_999, -1, "'x'", "abc", None, 1.5, [], {}]))


def _rarely(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`bad` one time in eight: a batch of several rows still has a fair chance to be whole."""
    return st.integers(0, 7).flatmap(lambda n: bad if n == 0 else good)


COMPONENT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "phenomenonTime": _rarely(GOOD_TIMES, BAD_TIMES),
    "result": _rarely(GOOD_RESULTS, BAD_RESULTS),
    "resultTime": st.one_of(st.none(), _rarely(GOOD_TIMES, BAD_TIMES)),
    "FeatureOfInterest/id": _rarely(st.just("FEATURE"), st.sampled_from([999_999_999, "'x'", None])),
    "bogus": st.just(1),
}
COMPONENTS = _mostly(
    st.sampled_from(
        [
            ["phenomenonTime", "result"],
            ["result", "phenomenonTime"],
            ["phenomenonTime", "result", "resultTime"],
            ["result", "FeatureOfInterest/id"],
        ]
    ),
    st.lists(st.sampled_from(list(COMPONENT_VALUES)), max_size=4),
)


@st.composite
def data_array_batches(draw: st.DrawFn) -> list[tuple[Any, list[str], list[list[Any]], int | None]]:
    """1–3 batches: (stream key, components, rows, dataArray@iot.count); rows mostly fit their components."""
    batches = []
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        components = draw(COMPONENTS)
        rows = []
        for _row in range(draw(st.integers(0, 4))):
            row = [draw(COMPONENT_VALUES[c]) for c in components]
            if draw(st.integers(0, 15)) == 0:
                row = row[:-1] if draw(st.booleans()) else [*row, 1]
            rows.append(row)
        count = draw(_rarely(st.one_of(st.none(), st.just(len(rows))), st.integers(min_value=-1, max_value=5)))
        batches.append((draw(_rarely(st.just("A"), STREAM_KEYS)), components, rows, count))
    return batches


class StaWritePropertiesTest(_World, TestCase):
    """POST Observations and CreateObservations with generated bodies."""

    def _key(self, key: Any) -> Any:
        return {"A": self.stream_a.pk, "B": self.stream_b.pk}.get(key, key) if isinstance(key, str) else key

    def _post(self, path: str, body: Any) -> Any:
        headers: dict[str, Any] = self.auth()
        return self.client.post(ROOT + path, json.dumps(body), content_type="application/json", **headers)

    @BOUNDED
    # Found by this test: a time before datetime.min once it is in UTC, and an integer beyond a double, were 500s.
    @example(time="0001-01-01T00:00:00+14:00", result=1, key="A", through_stream=False, extra={})
    @example(time="2025-07-01T00:00:00Z", result=10**400, key="A", through_stream=True, extra={})
    @example(time="2025-07-01T00:00:00Z", result=math.nan, key="A", through_stream=True, extra={})
    @given(
        time=TIMES,
        result=RESULTS,
        key=STREAM_KEYS,
        through_stream=st.booleans(),
        extra=st.dictionaries(
            st.sampled_from(["resultTime", "validTime", "parameters", "bogus", "@iot.id"]), TIMES, max_size=1
        ),
    )
    def test_one_observation_is_stored_once_or_nothing_is_written(
        self, time: Any, result: Any, key: Any, through_stream: bool, extra: dict[str, Any]
    ) -> None:
        body: dict[str, Any] = {"phenomenonTime": time, "result": result, **extra}
        stream = self._key(key)
        if through_stream and isinstance(stream, int):
            path = f"Datastreams({stream})/Observations"
        else:
            path, body["Datastream"] = "Observations", {"@iot.id": stream}
        before = Observation.objects.count()
        response = self._post(path, body)
        created = _checked(response)
        if created is None:
            assert Observation.objects.count() == before
            return
        assert response.status_code == 201
        assert Observation.objects.count() == before + 1
        stored = Observation.objects.get(pk=created["@iot.id"])
        assert stored.datastream_id == self.stream_a.pk, "only agency A's stream takes A's writes"
        # A Measurement's double: PostgreSQL's jsonb keeps the decimal it was given (2.874118335727657e+16 reads
        # back as the integer 28741183357276570, the same decimal), so the same double is what must come back.
        assert stored.result is not None and float(stored.result) == result and math.isfinite(result), (
            stored.result,
            result,
        )

    @BOUNDED
    # Found by this test: an empty dataArray, and an integer beyond a double in the plain batch, were 500s.
    @example(batches=[("A", ["phenomenonTime", "result"], [], None)])
    @example(batches=[("A", ["result", "phenomenonTime"], [[10**400, "2025-07-01T00:00:00Z"]], 1)])
    @example(batches=[("A", ["phenomenonTime", "result"], [["0001-01-01T00:00:00+14:00", 1]], None)])
    @given(batches=data_array_batches())
    def test_a_data_array_is_stored_whole_or_not_at_all(self, batches: list[Any]) -> None:
        body = []
        for key, components, rows, count in batches:
            batch: dict[str, Any] = {"Datastream": {"@iot.id": self._key(key)}, "components": components}
            batch["dataArray"] = [[self.feature if v == "FEATURE" else v for v in row] for row in rows]
            if count is not None:
                batch["dataArray@iot.count"] = count
            body.append(batch)
        before = Observation.objects.count()
        response = self._post("CreateObservations", body)
        created = _checked(response)
        if created is None:
            assert Observation.objects.count() == before
            return
        total = sum(len(rows) for _key, _components, rows, _count in batches)
        assert len(created) == len(set(created)) == total
        assert Observation.objects.count() == before + total
        assert set(Observation.objects.values_list("datastream", flat=True)) == {self.stream_a.pk}
