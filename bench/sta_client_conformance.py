"""An independent SensorThings client against our `/sta/v1.1/` (issue 11 "adopt or beat on measured conformance",
docs/decisions/0007): the Fraunhofer IOSB `frost-sta-client` (PyPI), never in the project's environment. Each call
the client offers is made once and printed PASS or FAIL with the reason; `bench/sta-client` starts the server with
the demo's sensors and runs this.

    python3 -m venv /tmp/sta-client && /tmp/sta-client/bin/pip install "frost-sta-client==1.1.53"
    /tmp/sta-client/bin/python bench/sta_client_conformance.py http://127.0.0.1:8000/sta/v1.1 <token>

The token (the demo's printed information-system token, `sta.write`) goes as HTTP Basic's password, which is
what the client sends (`AuthHandler(username, password)`).
"""

# ruff: noqa
# mypy: ignore-errors
import datetime as dt
import sys
import traceback

import frost_sta_client as fsc
from frost_sta_client.model.ext.data_array_document import DataArrayDocument
from frost_sta_client.model.ext.data_array_value import DataArrayValue
from frost_sta_client.model.ext.unitofmeasurement import UnitOfMeasurement
from geojson import Point

URL, TOKEN = sys.argv[1], sys.argv[2]
service = fsc.SensorThingsService(URL, auth_handler=fsc.AuthHandler(username="client", password=TOKEN))
anonymous = fsc.SensorThingsService(URL)
results: list[tuple[str, bool, str]] = []
state: dict = {}


def check(label):
    def run(fn):
        try:
            detail = fn() or ""
            results.append((label, True, str(detail)))
        except Exception as exc:  # the client raises requests' HTTPError, ValueError, KeyError, …
            response = getattr(exc, "response", None)
            body = "" if response is None else f" {response.status_code} {response.text[:200]}"
            last = traceback.extract_tb(exc.__traceback__)[-1]
            results.append((label, False, f"{type(exc).__name__}: {exc}{body} (at {last.name}:{last.lineno})"))
        return fn

    return run


MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


@check("list Things (anonymous, $top, iterate over @iot.nextLink)")
def _():
    things = anonymous.things().query().top(2).list()
    seen = [t.id for _i, t in zip(range(5), things)]
    assert len(seen) == 5, seen
    return f"{len(seen)} Things over pages"


@check("Things $count, $select, $orderby")
def _():
    things = service.things().query().count().select("name", "id").orderby("name", "ASC").top(3).list()
    names = [t.name for t in things.entities]
    assert names == sorted(names), names
    assert things.count and things.count >= 3, things.count
    return f"count {things.count}"


@check("Things $filter startswith, find by numeric id")
def _():
    first = service.things().query().top(1).list().entities[0]
    found = service.things().find(first.id)
    assert found.name == first.name
    hits = service.things().query().filter(f"startswith(name, '{first.name[:3]}')").list().entities
    assert any(t.id == first.id for t in hits)
    state["existing"] = first.id
    return f"Thing({first.id})"


@check("$expand Datastreams with nested options")
def _():
    things = service.things().query().expand("Datastreams($top=1;$expand=ObservedProperty)").top(2).list()
    stream = things.entities[0].datastreams.entities[0]
    assert stream.observed_property.name
    return stream.observed_property.name


@check("navigation: Thing's Locations and Datastreams, Datastream's Observations ordered")
def _():
    thing = service.things().find(state["existing"])
    locations = thing.get_locations().query().list().entities
    streams = thing.get_datastreams().query().list().entities
    assert locations and streams
    observations = streams[0].get_observations().query().orderby("phenomenonTime", "DESC").top(3).list().entities
    assert len(observations) == 3, len(observations)
    times = [o.phenomenon_time for o in observations]
    assert times == sorted(times, reverse=True), times
    return f"{len(locations)} Location(s), {len(streams)} Datastream(s)"


@check("deep insert: Thing with Location and Datastream (Sensor, ObservedProperty)")
def _():
    location = fsc.Location(
        name="client", description="client", encoding_type="application/geo+json", location=Point((106.05, 20.65))
    )
    stream = fsc.Datastream(
        name="client level",
        description="client",
        observation_type=MEASUREMENT,
        unit_of_measurement=UnitOfMeasurement(name="metre", symbol="m", definition="ucum:m"),
        sensor=fsc.Sensor(name="gauge", description="gauge", encoding_type="text/html", metadata="x"),
        observed_property=fsc.ObservedProperty(name="level", definition="http://example.org/level", description="l"),
    )
    thing = fsc.Thing(name="client thing", description="made by frost-sta-client", locations=[location])
    thing.datastreams = [stream]
    service.create(thing)
    assert thing.id is not None
    state["thing"] = service.things().find(thing.id)
    state["stream"] = state["thing"].get_datastreams().query().list().entities[0]
    return f"Thing({thing.id})"


@check("create an Observation (FeatureOfInterest generated from the Location)")
def _():
    observation = fsc.Observation(
        phenomenon_time=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc).isoformat(), result=1.25
    )
    observation.datastream = state["stream"]
    service.create(observation)
    found = service.observations().find(observation.id)
    assert found.result == 1.25, found.result
    return f"Observation({observation.id})"


@check("CreateObservations (dataArray) through the client's DataArrayDocument")
def _():
    value = DataArrayValue()
    value.datastream = state["stream"]
    value.components = {DataArrayValue.Property.PHENOMENON_TIME, DataArrayValue.Property.RESULT}
    for k in range(3):
        observation = fsc.Observation(
            phenomenon_time=dt.datetime(2026, 12, 2, k, tzinfo=dt.timezone.utc).isoformat(), result=float(k)
        )
        observation.datastream = state["stream"]
        value.add_observation(observation)
    document = DataArrayDocument()
    document.add_data_array_value(value)
    made = service.observations().create(document)
    assert len(made) == 3, made
    return f"{len(made)} selfLinks"


@check("$filter on Observations: result gt, phenomenonTime ge")
def _():
    hits = (
        state["stream"]
        .get_observations()
        .query()
        .filter("result gt 0.5 and phenomenonTime ge 2026-12-02T00:00:00Z")
        .list()
        .entities
    )
    assert sorted(o.result for o in hits) == [1.0, 2.0], [o.result for o in hits]
    return f"{len(hits)} Observations"


@check("update (PUT) a Thing")
def _():
    thing = state["thing"]
    thing.description = "replaced by PUT"
    service.update(thing)
    assert service.things().find(thing.id).description == "replaced by PUT"


@check("patch a Thing (JSON Patch, application/json-patch+json)")
def _():
    thing = state["thing"]
    service.patch(thing, [{"op": "replace", "path": "/description", "value": "patched"}])
    assert service.things().find(thing.id).description == "patched"


@check("a string id: find Things('x')")
def _():
    try:
        service.things().find("no-such-thing")
    except Exception as exc:
        response = getattr(exc, "response", None)
        assert response is not None and response.status_code == 404, exc
        return "404 for an unknown string id"
    raise AssertionError("an unknown string id was found")


@check("an error keeps SensorThings' format (bad $filter: 400 with a message)")
def _():
    try:
        service.things().query().filter("name eq").list()
    except Exception as exc:
        response = exc.response
        assert response.status_code == 400 and response.json().get("message"), response.text[:200]
        return response.json()["message"][:60]
    raise AssertionError("a bad $filter was accepted")


@check("delete the Thing, then it is gone")
def _():
    thing = state["thing"]
    service.delete(thing)
    try:
        service.things().find(thing.id)
    except Exception as exc:
        assert exc.response.status_code == 404
        return "404 after delete"
    raise AssertionError("still there after delete")


for label, ok, detail in results:
    print(f"{'PASS' if ok else 'FAIL'} {label}: {detail}")
passed = sum(ok for _l, ok, _d in results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0)
