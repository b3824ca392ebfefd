"""R4.1: no-data rules, silences and maintenance windows on a frozen clock: states keep moving while muted; the
inbox hears of a firing state once its silence ends (by the sweep)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.common.testing import frozen
from ioc.sensors.models import Silence
from ioc.sensors.services import rules_sweep, silence_create, silence_expire
from ioc.sensors.tests.rules_support import RuleWorld, minutes


class NoDataTest(RuleWorld, TestCase):
    def test_silence_for_n_intervals_fires_no_data_and_a_reading_resolves_it(self) -> None:
        self.rule(no_data_intervals=4, expected_interval_seconds=900)
        self.read(minutes(0), 10)
        self.assertEqual(rules_sweep(now=minutes(59))["no_data"], 0)
        with frozen(minutes(61)):
            self.assertEqual(rules_sweep(now=minutes(61))["no_data"], 1)
            self.assertEqual(rules_sweep(now=minutes(62))["no_data"], 0)  # one open state per pair
        self.assertEqual(self.states(), [("firing", "no_data")])
        self.assertEqual(self.alerts(), [("sensor.no_data", "new", f"rule:pm25-test:ds:{self.stream.pk}:no_data")])
        self.read(minutes(70), 12)
        self.assertEqual(self.states(), [("resolved", "no_data")])
        self.assertEqual([a[1] for a in self.alerts()], ["resolved"])

    def test_a_rule_without_a_no_data_rule_never_fires_for_silence(self) -> None:
        self.rule()
        self.read(minutes(0), 10)
        self.assertEqual(rules_sweep(now=minutes(600))["no_data"], 0)


class SilenceTest(RuleWorld, TestCase):
    def silence(self, kind: str, matchers: dict[str, str], until: dt.datetime) -> Silence:
        with frozen(minutes(-5)):
            return silence_create(
                actor=self.operator,
                kind=kind,
                matchers=matchers,
                starts_at=minutes(-5),
                ends_at=until,
                reason="Bảo trì",
            )

    def test_a_silenced_state_fires_without_an_alert_and_reaches_the_inbox_when_the_silence_ends(self) -> None:
        self.rule()
        self.silence("silence", {"rule": "pm25-test"}, minutes(30))
        self.read(minutes(0), 80)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(self.alerts(), [])
        self.assertEqual(rules_sweep(now=minutes(20))["unsilenced"], 0)
        with frozen(minutes(31)):
            self.assertEqual(rules_sweep(now=minutes(31))["unsilenced"], 1)
        self.assertEqual(len(self.alerts()), 1)

    def test_a_maintenance_window_of_the_station_mutes_its_rules(self) -> None:
        self.rule()
        self.silence("maintenance", {"thing": str(self.stream.thing_id)}, minutes(60))
        self.read(minutes(0), 80)
        self.read(minutes(15), 30)
        self.assertEqual(self.states(), [("resolved", "threshold")])
        self.assertEqual(self.alerts(), [])  # fired and cleared inside the window: the inbox never heard of it

    def test_a_silence_of_other_labels_mutes_nothing(self) -> None:
        self.rule(labels={"team": "moi-truong"})
        self.silence("silence", {"team": "giao-thong"}, minutes(60))
        self.read(minutes(0), 80)
        self.assertEqual(len(self.alerts()), 1)

    def test_expiring_a_silence_hands_its_states_over_at_the_next_sweep(self) -> None:
        self.rule()
        silence = self.silence("silence", {"severity": "3"}, minutes(600))
        self.read(minutes(0), 80)
        with frozen(minutes(10)):
            silence_expire(actor=self.operator, silence=silence)
            rules_sweep(now=minutes(10))
        self.assertEqual(len(self.alerts()), 1)

    def test_an_officer_may_not_silence_and_nothing_is_written(self) -> None:
        with self.assertRaises(PermissionDenied):
            silence_create(
                actor=self.officer_a,
                kind="silence",
                matchers={"rule": "x"},
                starts_at=minutes(0),
                ends_at=minutes(10),
                reason="x",
            )
        self.assertFalse(Silence.objects.exists())
