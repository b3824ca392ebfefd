"""Issue 11 "Speed": the plain `dataArray` batch (phenomenonTime and result only) is parsed by its own fast path;
it stores what the general path stores, in either component order, converts other time zones and intervals the
general way, and refuses bad rows with the same messages, storing nothing."""

from typing import Any
from unittest import skipUnless

from django.db import connection
from django.test import TestCase

from ioc.sensors.models import Datastream, Observation
from ioc.sensors.tests.sta_support import StaClient, thing_payload


class PlainBatchTest(StaClient, TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.send("POST", "Things", thing_payload("Nhanh"), 201)
        self.stream = Datastream.objects.get()

    def create(self, components: list[str], rows: list[Any], status: int = 201) -> Any:
        body = [{"Datastream": {"@iot.id": self.stream.pk}, "components": components, "dataArray": rows}]
        return self.send("POST", "CreateObservations", body, status)

    def stored(self) -> list[tuple[str, Any, str | None]]:
        rows = Observation.objects.order_by("pk").values_list("phenomenon_time", "result", "phenomenon_time_end")
        return [(t.isoformat(), r, e.isoformat() if e else None) for t, r, e in rows]

    def test_both_orders_other_zones_fractions_and_intervals_store_utc_times(self):
        self.create(["phenomenonTime", "result"], [["2025-07-01T00:00:00Z", 1.5], ["2025-07-01T07:15:00+07:00", 2]])
        self.create(["result", "phenomenonTime"], [[3, "2025-07-01T00:30:00.250Z"]])
        self.create(["phenomenonTime", "result"], [["2025-07-01T01:00:00Z/2025-07-01T02:00:00Z", 4]])
        self.assertEqual(
            self.stored(),
            [
                ("2025-07-01T00:00:00+00:00", 1.5, None),
                ("2025-07-01T00:15:00+00:00", 2, None),
                ("2025-07-01T00:30:00.250000+00:00", 3, None),
                ("2025-07-01T01:00:00+00:00", 4, "2025-07-01T02:00:00+00:00"),
            ],
        )
        self.stream.refresh_from_db()
        latest = (self.stream.latest_value, self.stream.latest_time.isoformat())
        self.assertEqual(latest, (4, "2025-07-01T01:00:00+00:00"))
        # Read back through the API: the fast path's text is what Django reads as the same instant.
        listed = self.get_json(f"Datastreams({self.stream.pk})/Observations?$filter=result eq 1.5")
        self.assertEqual(listed["value"][0]["phenomenonTime"], "2025-07-01T00:00:00Z")
        path = f"Datastreams({self.stream.pk})/Observations?$filter=phenomenonTime %s 2025-07-01T00:00:00Z"
        self.assertEqual(len(self.get_json(path % "ge")["value"]), 4)
        self.assertEqual(len(self.get_json(path % "gt")["value"]), 3)

    def test_bad_rows_are_refused_with_the_general_messages_and_nothing_is_stored(self):
        cases = [
            ([["2025-07-01T00:00:00Z", 1], ["2025-13-01T00:00:00Z", 2]], "dataArray[1].phenomenonTime"),
            ([["2025-07-01T00:00:00Z", None]], "dataArray[0]: thiếu result"),
            ([["2025-07-01T00:00:00Z"]], "dataArray[0]: số giá trị khác số components"),
            ([["2025-07-01T00:00:00", 1]], "phenomenonTime: thời điểm thiếu múi giờ"),
            ([[20250701, 1]], "phenomenonTime: cần thời điểm ISO 8601"),
            ([["2025-07-01T00:00:00Z", "cao"]], "result"),
        ]
        for rows, message in cases:
            with self.subTest(message):
                body = [{"Datastream": {"@iot.id": self.stream.pk}, "components": ["phenomenonTime", "result"]}]
                body[0]["dataArray"] = rows
                text = self.error_message("POST", "CreateObservations", body, 400)
                self.assertIn(message, text)
        self.assertFalse(Observation.objects.exists())

    def test_the_latest_state_of_an_unordered_batch_is_its_newest_row(self):
        rows = [["2025-07-02T00:00:00Z", 2], ["2025-07-03T00:00:00Z", 3], ["2025-07-01T00:00:00Z", 1]]
        self.create(["phenomenonTime", "result"], rows)
        self.stream.refresh_from_db()
        self.assertEqual((self.stream.latest_value, self.stream.latest_time.day), (3, 3))
        self.assertEqual((self.stream.phenomenon_start.day, self.stream.phenomenon_end.day), (1, 3))


OBSERVATION = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation"
AWKWARD = ["a\\b", "tab\there", "line\nbreak", 'quote "q"', "Mưa to\r\n", "\\N", "", {"k": ["\\", 1.5]}, [1, None]]


class TextResultsTest(StaClient, TestCase):
    """On PostgreSQL the rows go in by COPY's text format, where a backslash, a tab or a newline is syntax: results
    holding them (and `\\N`, COPY's null) come back as sent, in the plain batch and in the general one (a named
    FeatureOfInterest, resultTime, parameters, an interval), with the selfLinks naming the stored rows in order."""

    def setUp(self) -> None:
        super().setUp()
        payload = thing_payload("Chữ")
        payload["Datastreams"][0]["observationType"] = OBSERVATION
        self.send("POST", "Things", payload, 201)
        self.stream = Datastream.objects.get()

    def test_awkward_text_results_are_stored_as_sent_in_both_batch_shapes(self):
        plain = [[f"2025-07-01T00:0{i}:00Z", value] for i, value in enumerate(AWKWARD)]
        general = [
            [f"2025-07-02T00:0{i}:00+07:00/2025-07-02T00:0{i}:30+07:00", value, "2025-07-02T01:00:00Z", {"p": "\t\\"}]
            for i, value in enumerate(AWKWARD)
        ]
        body = [
            {"Datastream": {"@iot.id": self.stream.pk}, "components": ["phenomenonTime", "result"], "dataArray": plain},
            {
                "Datastream": {"@iot.id": self.stream.pk},
                "components": ["phenomenonTime", "result", "resultTime", "parameters"],
                "dataArray": general,
            },
        ]
        links = self.send("POST", "CreateObservations", body, 201)
        stored = list(Observation.objects.order_by("pk").values_list("pk", "result", "parameters", "phenomenon_time"))
        self.assertEqual(links, [f"http://testserver/sta/v1.1/Observations({row[0]})" for row in stored])
        self.assertEqual([row[1] for row in stored], AWKWARD + AWKWARD)
        self.assertEqual([row[2] for row in stored], [None] * len(AWKWARD) + [{"p": "\t\\"}] * len(AWKWARD))
        self.assertEqual(stored[len(AWKWARD)][3].isoformat(), "2025-07-01T17:00:00+00:00")
        back = self.get_json(f"Observations({stored[-1][0]})")
        self.assertEqual((back["result"], back["resultTime"]), ([1, None], "2025-07-02T01:00:00Z"))
        self.assertEqual(back["phenomenonTime"], "2025-07-01T17:08:00Z/2025-07-01T17:08:30Z")


TAKE_ID = """
CREATE FUNCTION sta_test_take_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM nextval(pg_get_serial_sequence('sensors_observation', 'id')); RETURN NEW; END $$;
CREATE TRIGGER sta_test_take_id BEFORE INSERT ON sensors_observation FOR EACH ROW EXECUTE FUNCTION sta_test_take_id();
"""


@skipUnless(connection.vendor == "postgresql", "the COPY and its ids are PostgreSQL's")
class InterleavedIdsTest(StaClient, TestCase):
    """The COPY takes its ids from the sequence and checks that no other writer took one meanwhile; a trigger
    taking one id per row stands for that other writer: the COPY is undone and made again with reserved ids."""

    def setUp(self) -> None:
        super().setUp()
        self.send("POST", "Things", thing_payload("Xen"), 201)
        self.stream = Datastream.objects.get()

    def test_ids_taken_meanwhile_send_the_rows_again_with_reserved_ids_and_nothing_twice(self):
        rows = [[f"2025-07-01T00:{i:02d}:00Z", i] for i in range(40)]
        body = [
            {"Datastream": {"@iot.id": self.stream.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('sensors_observation', 'id'))")
            (start,) = cursor.fetchone()
            cursor.execute(TAKE_ID)
        links = self.send("POST", "CreateObservations", body, 201)
        stored = list(Observation.objects.order_by("pk").values_list("pk", "result"))
        self.assertEqual([result for _pk, result in stored], list(range(40)))
        self.assertEqual(links, [f"http://testserver/sta/v1.1/Observations({pk})" for pk, _r in stored])
        # The first COPY's 40 ids and the trigger's 40 went unused: the rows hold ids reserved after them.
        self.assertGreater(stored[0][0], start + 80)
