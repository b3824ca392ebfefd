"""GET at /sta/v1.1/: every query option against known data, string and numeric ids, navigation paths."""

import datetime as dt
from urllib.parse import quote

from django.test import TestCase

from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, Location, ObservedProperty, Sensor, Thing
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, entity_create, observations_create
from ioc.sensors.tests.sta_support import StaClient, point_in, thing_payload

START = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)


def q(text: str) -> str:
    path, _, query = text.partition("?")
    safe = "=&$(),/'"
    return f"{path}?{quote(query, safe=safe)}" if query else path


class QueryWorld(StaClient):
    alpha: Thing
    beta: Thing
    ds_a: Datastream
    ds_b: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        viewer = viewer_for(cls.system_user)
        alpha = thing_payload("Trạm Alpha", ext_id="tram-a", kind="air")
        beta = thing_payload("Trạm Beta", kind="water")
        lon, lat = point_in()
        beta["Locations"][0]["location"]["coordinates"] = [lon + 0.2, lat + 0.2]
        cls.alpha = entity_create(
            actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer, draft=parse_draft("Things", alpha)
        )
        beta["Datastreams"][0]["Sensor"] = {"@iot.id": Sensor.objects.get().pk}
        beta["Datastreams"][0]["ObservedProperty"] = {"@iot.id": ObservedProperty.objects.get().pk}
        cls.beta = entity_create(
            actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer, draft=parse_draft("Things", beta)
        )
        cls.ds_a = Datastream.objects.get(thing=cls.alpha)
        cls.ds_b = Datastream.objects.get(thing=cls.beta)
        rows_a = [
            ObservationRow(
                {"phenomenon_time": START + dt.timedelta(minutes=15 * i), "result": i * 1.5, "result_number": i * 1.5}
            )
            for i in range(10)
        ]
        rows_b = [
            ObservationRow(
                {"phenomenon_time": START + dt.timedelta(days=400 + i), "result": 100 + i, "result_number": 100.0 + i}
            )
            for i in range(3)
        ]
        observations_create(
            actor=cls.system_user,
            agency_id=cls.agency_a.pk,
            viewer=viewer,
            batches=[(cls.ds_a.pk, rows_a), (cls.ds_b.pk, rows_b)],
        )

    def names(self, path: str) -> list[str]:
        return [row["name"] for row in self.get_json(q(path))["value"]]

    def results(self, path: str) -> list[float]:
        return [row["result"] for row in self.get_json(q(path))["value"]]


class RootAndPathsTest(QueryWorld, TestCase):
    def test_the_root_lists_the_entity_sets_and_the_conformance(self):
        body = self.get_json("/sta/v1.1/")
        self.assertEqual(len(body["value"]), 8)
        self.assertIn({"name": "Things", "url": "http://testserver/sta/v1.1/Things"}, body["value"])
        self.assertIn(
            "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
            body["serverSettings"]["conformance"],
        )

    def test_string_and_numeric_ids(self):
        alpha = self.get_json("Things('tram-a')")
        self.assertEqual(alpha["@iot.id"], "tram-a")
        self.assertEqual(alpha["@iot.selfLink"], "http://testserver/sta/v1.1/Things('tram-a')")
        beta = self.get_json(f"Things({self.beta.pk})")
        self.assertEqual(beta["@iot.id"], self.beta.pk)
        self.assertEqual(self.get_json(f"Things('{self.beta.pk}')")["name"], "Trạm Beta")
        self.assertEqual(self.names("Things?$filter=id eq 'tram-a'"), ["Trạm Alpha"])
        self.assertEqual(self.names(f"Things?$filter=id eq {self.beta.pk}"), ["Trạm Beta"])
        self.assertEqual(self.names(f"Things?$filter=id eq '{self.beta.pk}'"), ["Trạm Beta"])

    def test_navigation_paths(self):
        streams = self.get_json("Things('tram-a')/Datastreams")["value"]
        self.assertEqual([s["@iot.id"] for s in streams], [self.ds_a.pk])
        self.assertEqual(len(self.get_json(f"Datastreams({self.ds_a.pk})/Observations")["value"]), 10)
        self.assertEqual(self.get_json(f"Datastreams({self.ds_a.pk})/Thing")["@iot.id"], "tram-a")
        places = self.get_json("Things('tram-a')/Locations")["value"]
        self.assertEqual(places[0]["@iot.id"], Location.objects.get(things=self.alpha).pk)
        self.assertEqual(len(self.get_json("Things('tram-a')/HistoricalLocations")["value"]), 1)
        self.assertEqual(
            self.get_json(f"Datastreams({self.ds_a.pk})/Sensor/Datastreams")["value"][0]["name"], "PM2.5 Trạm Alpha"
        )

    def test_a_property_and_its_raw_value(self):
        self.assertEqual(self.get_json("Things('tram-a')/name"), {"name": "Trạm Alpha"})
        response = self.client.get("/sta/v1.1/Things('tram-a')/name/$value")
        self.assertEqual(response.content.decode(), "Trạm Alpha")

    def test_ref_lists_self_links(self):
        body = self.get_json("Things/$ref")
        self.assertEqual(body["value"][0], {"@iot.selfLink": "http://testserver/sta/v1.1/Things('tram-a')"})


class FilterTest(QueryWorld, TestCase):
    def obs(self, condition: str) -> list[float]:
        return self.results(f"Datastreams({self.ds_a.pk})/Observations?$filter={condition}")

    def test_comparisons(self):
        self.assertEqual(self.obs("result gt 12"), [12.0 + 1.5])
        self.assertEqual(self.obs("result ge 12"), [12.0, 13.5])
        self.assertEqual(self.obs("result lt 1.5"), [0.0])
        self.assertEqual(self.obs("result le 1.5"), [0.0, 1.5])
        self.assertEqual(self.obs("result eq 3"), [3.0])
        self.assertEqual(len(self.obs("result ne 3")), 9)

    def test_logical_and_arithmetic_operators(self):
        self.assertEqual(self.obs("result gt 1 and result lt 4"), [1.5, 3.0])
        self.assertEqual(self.obs("result lt 1 or result gt 13"), [0.0, 13.5])
        self.assertEqual(self.obs("not (result le 12)"), [13.5])
        self.assertEqual(self.obs("result add 1 eq 4"), [3.0])
        self.assertEqual(self.obs("result sub 1 eq 0.5"), [1.5])
        self.assertEqual(self.obs("result mul 2 eq 27"), [13.5])
        self.assertEqual(self.obs("result div 3 eq 1"), [3.0])
        self.assertEqual(self.obs("(result mul 2) mod 4 eq 0 and result gt 8"), [12.0])

    def test_time_filters_and_date_functions(self):
        self.assertEqual(self.obs("phenomenonTime ge 2025-07-01T02:00:00Z"), [12.0, 13.5])
        self.assertEqual(self.obs("phenomenonTime lt 2025-07-01T07:15:00+07:00"), [0.0])
        beta = f"Datastreams({self.ds_b.pk})/Observations?$filter="
        self.assertEqual(self.results(beta + "year(phenomenonTime) eq 2026"), [100, 101, 102])
        self.assertEqual(self.results(beta + "month(phenomenonTime) eq 8 and day(phenomenonTime) eq 5"), [100])
        self.assertEqual(self.obs("hour(phenomenonTime) eq 2"), [12.0, 13.5])
        self.assertEqual(self.obs("minute(phenomenonTime) eq 45"), [4.5, 10.5])

    def test_string_functions(self):
        self.assertEqual(self.names("Things?$filter=substringof('Alpha', name)"), ["Trạm Alpha"])
        self.assertEqual(self.names("Things?$filter=substringof('alpha', name)"), [])
        self.assertEqual(self.names("Things?$filter=startswith(name, 'Trạm B')"), ["Trạm Beta"])
        self.assertEqual(self.names("Things?$filter=endswith(name, 'Alpha')"), ["Trạm Alpha"])
        self.assertEqual(self.names("Things?$filter=tolower(name) eq 'trạm beta'"), ["Trạm Beta"])
        self.assertEqual(self.names("Things?$filter=length(name) eq 9"), ["Trạm Beta"])
        self.assertEqual(self.names("Things?$filter=startswith(name, 'Trạm') eq false"), [])

    def test_json_members_and_navigation_in_filters(self):
        self.assertEqual(self.names("Things?$filter=properties/kind eq 'water'"), ["Trạm Beta"])
        self.assertEqual(self.names("Datastreams?$filter=Thing/properties/kind eq 'air'"), ["PM2.5 Trạm Alpha"])
        self.assertEqual(
            self.names("Datastreams?$filter=unitOfMeasurement/symbol eq 'µg/m³'"),
            ["PM2.5 Trạm Alpha", "PM2.5 Trạm Beta"],
        )
        self.assertEqual(self.names("Things?$filter=Datastreams/Observations/result gt 101"), ["Trạm Beta"])
        self.assertEqual(self.results("Observations?$filter=Datastream/Thing/id eq 'tram-a' and result gt 12"), [13.5])

    def test_geo_distance_and_st_within(self):
        lon, lat = point_in()
        near = f"geo.distance(location, geography'POINT({lon} {lat})')"
        self.assertEqual(self.names(f"Locations?$filter={near} lt 0.01"), ["Vị trí Trạm Alpha"])
        self.assertEqual(len(self.names(f"Locations?$filter={near} lt 0.5")), 2)
        box = (
            f"POLYGON(({lon - 0.01} {lat - 0.01}, {lon + 0.01} {lat - 0.01}, {lon + 0.01} {lat + 0.01}, "
            f"{lon - 0.01} {lat + 0.01}, {lon - 0.01} {lat - 0.01}))"
        )
        self.assertEqual(self.names(f"Locations?$filter=st_within(location, geography'{box}')"), ["Vị trí Trạm Alpha"])
        self.assertEqual(self.names(f"Things?$filter=st_within(Locations/location, geography'{box}')"), ["Trạm Alpha"])
        self.assertEqual(
            self.names(f"Things?$filter=not st_within(Locations/location, geography'{box}')"), ["Trạm Beta"]
        )
        self.assertEqual(
            len(self.results(f"Observations?$filter=st_intersects(FeatureOfInterest/feature, geography'{box}')")), 10
        )


class ShapeTest(QueryWorld, TestCase):
    def test_orderby_top_skip_count_and_next_link(self):
        path = f"Datastreams({self.ds_a.pk})/Observations?$orderby=result desc&$top=3&$skip=2&$count=true"
        body = self.get_json(q(path))
        self.assertEqual([r["result"] for r in body["value"]], [10.5, 9.0, 7.5])
        self.assertEqual(body["@iot.count"], 10)
        self.assertIn("%24skip=5", body["@iot.nextLink"])
        following = self.client.get(body["@iot.nextLink"]).json()
        self.assertEqual([r["result"] for r in following["value"]], [6.0, 4.5, 3.0])
        last = self.get_json(q(f"Datastreams({self.ds_a.pk})/Observations?$orderby=result desc&$skip=9&$top=3"))
        self.assertNotIn("@iot.nextLink", last)
        self.assertEqual(self.names("Things?$orderby=name desc"), ["Trạm Beta", "Trạm Alpha"])
        self.assertEqual(self.names("Things?$orderby=properties/kind desc"), ["Trạm Beta", "Trạm Alpha"])

    def test_select(self):
        rows = self.get_json(q(f"Datastreams({self.ds_a.pk})/Observations?$select=result,id&$top=1"))["value"]
        self.assertEqual(set(rows[0]), {"@iot.id", "result"})
        rows = self.get_json(q("Things?$select=name,Datastreams"))["value"]
        self.assertEqual(set(rows[0]), {"name", "Datastreams@iot.navigationLink"})

    def test_nested_expand_with_options(self):
        path = (
            "Things('tram-a')?$select=name&$expand=Datastreams($select=name;"
            "$expand=Observations($orderby=phenomenonTime desc;$top=2;$count=true;$select=result),"
            "ObservedProperty($select=name)),Locations($select=name)"
        )
        body = self.get_json(q(path))
        [stream] = body["Datastreams"]
        self.assertEqual(stream["name"], "PM2.5 Trạm Alpha")
        self.assertEqual(stream["Observations"], [{"result": 13.5}, {"result": 12.0}])
        self.assertEqual(stream["Observations@iot.count"], 10)
        self.assertIn("Observations@iot.nextLink", stream)
        self.assertEqual(stream["ObservedProperty"], {"name": "PM2.5"})
        self.assertEqual(body["Locations"], [{"name": "Vị trí Trạm Alpha"}])

    def test_expand_with_filter_and_path_syntax(self):
        path = "Things?$expand=Datastreams/Observations($filter=result gt 101)&$select=name"
        rows = self.get_json(q(path))["value"]
        by_name = {r["name"]: r for r in rows}
        self.assertEqual(by_name["Trạm Alpha"]["Datastreams"][0]["Observations"], [])
        self.assertEqual([o["result"] for o in by_name["Trạm Beta"]["Datastreams"][0]["Observations"]], [102])

    def test_expand_query_count_does_not_grow_with_rows(self):
        path = q("Things?$expand=Datastreams($expand=Observations($top=2)),Locations")
        with self.assertNumQueries(5):  # a fixed number (one per entity set and level), whatever the rows
            self.client.get("/sta/v1.1/" + path)
        self.assertEqual(Thing.objects.count(), 2)
