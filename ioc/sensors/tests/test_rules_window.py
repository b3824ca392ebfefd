"""R4.1, R5.5 on a frozen clock: the ready heavy-rain rules judge a rain gauge's rolling 24-hour total (QĐ 18/2021:
mưa to ≥ 16 mm, mưa rất to > 50 mm per 24 h), not each reading — on each committed batch and in the sweep, which
ends the episode once old readings have left the window; a bad window or aggregate is refused, naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.common.testing import frozen
from ioc.incidents.models import Alert
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import AlertRule, Datastream, RuleState
from ioc.sensors.selectors import rule_preview, viewer_for
from ioc.sensors.services import (
    ObservationRow,
    entity_create,
    observations_create,
    rule_update,
    rules_install_standard,
    rules_sweep,
)
from ioc.sensors.tests.rules_support import T0
from ioc.sensors.tests.sta_support import StaClient, thing_payload

RAIN = {"name": "Lượng mưa", "definition": "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0382/"}


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


class RainTotalTest(StaClient, TestCase):
    stream: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        payload: dict[str, Any] = thing_payload("Trạm đo mưa", kind="rain")
        payload["Datastreams"][0].update(name="Mưa Trạm đo mưa", ObservedProperty={**RAIN, "description": "mm"})
        payload["Datastreams"][0]["unitOfMeasurement"] = {"name": "millimetre", "symbol": "mm", "definition": "ucum"}
        viewer = viewer_for(cls.system_user)
        entity_create(
            actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer, draft=parse_draft("Things", payload)
        )
        cls.stream = Datastream.objects.get(thing__name="Trạm đo mưa")

    def setUp(self) -> None:
        rules_install_standard(actor=self.operator)

    def rain(self, *readings: tuple[dt.datetime, float]) -> None:
        """One committed batch (the dataArray path), sent at its last reading's time."""
        rows = [ObservationRow({"phenomenon_time": at, "result": v, "result_number": v}) for at, v in readings]
        with frozen(readings[-1][0]):
            observations_create(
                actor=self.system_user,
                agency_id=self.agency_a.pk,
                viewer=viewer_for(self.system_user),
                batches=[(self.stream.pk, rows)],
            )

    def rain_states(self) -> dict[str, str]:
        qs = RuleState.objects.filter(datastream=self.stream, reason="threshold").order_by("pk")  # not "no data"
        return {code: state for code, state in qs.values_list("rule__code", "state")}

    def rain_alerts(self) -> list[tuple[str, str]]:
        return list(Alert.objects.filter(kind="env.heavy_rain").order_by("pk").values_list("dedup_key", "state"))

    def test_the_ready_rain_rules_are_24_hour_totals(self) -> None:
        self.assertEqual(
            dict(AlertRule.objects.filter(code__in=["mua-to", "mua-rat-to"]).values_list("code", "window_seconds")),
            {"mua-to": 86400, "mua-rat-to": 86400},
        )

    def test_readings_each_below_the_level_fire_once_their_24_hour_total_reaches_it_and_the_sweep_clears_it(
        self,
    ) -> None:
        for n in range(3):
            self.rain((hours(n), 5.0))  # 5, 10, 15 mm: each reading and the total below 16 mm
        self.assertEqual(self.rain_alerts(), [])
        self.rain((hours(3), 5.0))  # 20 mm in 24 h: mưa to
        self.assertEqual(self.rain_states(), {"mua-to": "firing"})
        self.assertEqual(self.rain_alerts(), [(f"rule:mua-to:ds:{self.stream.pk}", "new")])
        self.assertEqual(RuleState.objects.get(rule__code="mua-to").last_value, 20.0)
        with frozen(hours(20)):
            self.assertEqual(rules_sweep(now=hours(20))["windows"], 0)  # still 20 mm in the window
        with frozen(hours(25.5)):
            self.assertEqual(rules_sweep(now=hours(25.5))["windows"], 0)  # 10 mm left: above the clear level (5)
        with frozen(hours(26.5)):
            self.assertEqual(rules_sweep(now=hours(26.5))["windows"], 1)  # 5 mm: cleared, no new reading needed
            self.assertEqual(rules_sweep(now=hours(27))["windows"], 0)  # run twice: nothing more
        self.assertEqual(self.rain_states(), {"mua-to": "resolved"})
        self.assertEqual(self.rain_alerts(), [(f"rule:mua-to:ds:{self.stream.pk}", "resolved")])

    def test_one_batch_is_judged_reading_by_reading_on_the_total_up_to_each(self) -> None:
        self.rain((hours(0), 10.0), (hours(1), 10.0), (hours(2), 40.0))  # totals 10, 20, 60
        self.assertEqual(self.rain_states(), {"mua-to": "firing", "mua-rat-to": "firing"})
        self.assertEqual(RuleState.objects.get(rule__code="mua-rat-to").last_value, 60.0)

    def test_readings_older_than_the_window_do_not_count(self) -> None:
        self.rain((hours(0), 12.0))
        self.rain((hours(25), 12.0))  # the first left the window: 12 mm in 24 h
        self.assertEqual(self.rain_states(), {})
        self.assertEqual(self.rain_alerts(), [])

    def test_the_preview_replays_the_total(self) -> None:
        self.rain((hours(0), 9.0), (hours(1), 9.0))
        rule = AlertRule.objects.get(code="mua-to")
        rows = rule_preview(rule=rule, now=hours(2))
        self.assertEqual([r["fired_at"] for r in rows], [hours(1)])

    def test_a_bad_window_or_aggregate_is_refused_by_field(self) -> None:
        rule = AlertRule.objects.get(code="mua-to")
        for fields, name in (({"window_seconds": -1}, "window_seconds"), ({"aggregate": "median"}, "aggregate")):
            with self.subTest(field=name), self.assertRaises(ValidationError) as caught:
                rule_update(actor=self.operator, rule=rule, **fields)
            self.assertIn(name, caught.exception.message_dict)
        rule.refresh_from_db()
        self.assertEqual((rule.window_seconds, rule.aggregate), (86400, "sum"))
