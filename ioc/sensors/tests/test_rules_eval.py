"""R4.1, R5.5: alert rules on a frozen clock: the *for* duration (on readings and by the sweep), the repeat count,
hysteresis, older readings, and the hand-off to the incidents inbox (fires → one alert; clears → it resolves)."""

from django.test import TestCase

from ioc.common.testing import frozen
from ioc.incidents.models import Alert
from ioc.sensors.services import rules_sweep
from ioc.sensors.tests.rules_support import RuleWorld, minutes


class ForDurationTest(RuleWorld, TestCase):
    def test_it_fires_once_the_condition_held_for_the_duration_and_resolves_below_the_clear_level(self) -> None:
        self.rule(for_seconds=1800)
        self.read(minutes(0), 60)
        self.read(minutes(15), 70)
        self.assertEqual(self.states(), [("pending", "threshold")])
        self.assertEqual(self.alerts(), [])
        self.read(minutes(30), 65)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(self.alerts(), [("env.air_quality", "new", f"rule:pm25-test:ds:{self.stream.pk}")])
        self.read(minutes(45), 45)  # between the clear and the raise levels: hysteresis keeps it firing
        self.read(minutes(60), 75)  # still the same alert (dedup while open)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(Alert.objects.get().count, 1)
        self.read(minutes(75), 40)
        self.assertEqual(self.states(), [("resolved", "threshold")])
        self.assertEqual([a[1] for a in self.alerts()], ["resolved"])

    def test_a_value_below_the_raise_level_while_pending_ends_the_episode_without_an_alert(self) -> None:
        self.rule(for_seconds=1800)
        self.read(minutes(0), 60)
        self.read(minutes(15), 45)
        self.read(minutes(30), 60)
        self.assertEqual(self.states(), [("resolved", "threshold"), ("pending", "threshold")])
        self.assertEqual(self.alerts(), [])

    def test_the_sweep_fires_a_due_timer_once_without_a_new_reading(self) -> None:
        self.rule(for_seconds=1800)
        self.read(minutes(0), 60)
        self.assertEqual(rules_sweep(now=minutes(29))["timers"], 0)
        self.assertEqual(self.alerts(), [])
        with frozen(minutes(31)):
            self.assertEqual(rules_sweep(now=minutes(31))["timers"], 1)
            self.assertEqual(rules_sweep(now=minutes(32))["timers"], 0)  # run twice: nothing more
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(len(self.alerts()), 1)

    def test_an_older_reading_than_one_already_judged_changes_nothing(self) -> None:
        self.rule()
        self.read(minutes(30), 60)
        self.read(minutes(0), 10, now=minutes(31))
        self.assertEqual(self.states(), [("firing", "threshold")])


class RepeatCountTest(RuleWorld, TestCase):
    def test_it_fires_on_the_nth_consecutive_reading(self) -> None:
        self.rule(repeat_count=3)
        self.read(minutes(0), 60)
        self.read(minutes(15), 61)
        self.assertEqual(self.states(), [("pending", "threshold")])
        self.read(minutes(30), 62)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(len(self.alerts()), 1)

    def test_one_reading_of_a_batch_carries_the_whole_batch_in_time_order(self) -> None:
        self.rule(repeat_count=2)
        self.read(minutes(0), 60)
        self.read(minutes(15), 30)
        self.read(minutes(30), 60)
        self.assertEqual(self.states(), [("resolved", "threshold"), ("pending", "threshold")])


class NoRuleTest(RuleWorld, TestCase):
    def test_a_retired_rule_judges_nothing(self) -> None:
        from ioc.sensors.services import rule_update

        rule = self.rule()
        rule_update(actor=self.operator, rule=rule, is_active=False)
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [])
