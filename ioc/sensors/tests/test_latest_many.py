"""R5.5, issue 14 "Speed": the latest state of every Datastream a batch touches, written by one statement (on
PostgreSQL one UPDATE over arrays, `_latest_update_pg`; on SQLite an executemany). Integer and fractional results
mix in one batch (psycopg refuses a list of mixed number types: the values go as floats), text results carry the
characters an array literal quotes, a result with no number leaves the value empty, and an older batch widens the
phenomenon range without moving the latest reading."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase

from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, entity_create, observations_create
from ioc.sensors.tests.sta_support import StaClient, thing_payload

OBSERVATION = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation"
AWKWARD = 'a "q", {b}\\c\tđ'  # quotes, a comma, braces, a backslash, a tab and a Vietnamese letter


def at(hour: int) -> dt.datetime:
    return dt.datetime(2025, 7, 1, hour, tzinfo=dt.UTC)


class LatestManyTest(StaClient, TestCase):
    numbers: Datastream
    fractions: Datastream
    texts: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for name, kind in (("Số", None), ("Phân số", None), ("Chữ", OBSERVATION)):
            payload = thing_payload(name)
            if kind:
                payload["Datastreams"][0]["observationType"] = kind
            draft = parse_draft("Things", payload)
            entity_create(
                actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer_for(cls.system_user), draft=draft
            )
        cls.numbers = Datastream.objects.get(thing__name="Số")
        cls.fractions = Datastream.objects.get(thing__name="Phân số")
        cls.texts = Datastream.objects.get(thing__name="Chữ")

    def ingest(self, rows: dict[int, list[tuple[dt.datetime, Any]]]) -> None:
        batches: list[tuple[int | str, list[ObservationRow]]] = []
        for pk, readings in rows.items():
            found = []
            for when, value in readings:
                number = value if isinstance(value, (int, float)) else None
                found.append(ObservationRow({"phenomenon_time": when, "result": value, "result_number": number}))
            batches.append((pk, found))
        observations_create(
            actor=self.system_user, agency_id=self.agency_a.pk, viewer=viewer_for(self.system_user), batches=batches
        )

    def state(self, stream: Datastream) -> tuple[Any, ...]:
        stream.refresh_from_db()
        return (
            stream.latest_result,
            stream.latest_value,
            stream.latest_time,
            stream.phenomenon_start,
            stream.phenomenon_end,
        )

    def test_whole_and_fractional_numbers_and_awkward_text_in_one_batch(self) -> None:
        self.ingest(
            {
                self.numbers.pk: [(at(1), 49.5), (at(2), 50)],  # the newest a whole number …
                self.fractions.pk: [(at(2), 12.25)],  # … beside another stream's fraction
                self.texts.pk: [(at(3), AWKWARD)],
            }
        )
        self.assertEqual(self.state(self.numbers), (50, 50.0, at(2), at(1), at(2)))
        self.assertEqual(self.state(self.fractions), (12.25, 12.25, at(2), at(2), at(2)))
        self.assertEqual(self.state(self.texts), (AWKWARD, None, at(3), at(3), at(3)))

    def test_an_older_batch_widens_the_range_and_keeps_the_latest_reading(self) -> None:
        self.ingest({self.numbers.pk: [(at(5), 7)], self.texts.pk: [(at(5), "mới")]})
        self.ingest({self.numbers.pk: [(at(1), 3)], self.texts.pk: [(at(1), "cũ")]})
        self.assertEqual(self.state(self.numbers), (7, 7.0, at(5), at(1), at(5)))
        self.assertEqual(self.state(self.texts), ("mới", None, at(5), at(1), at(5)))
