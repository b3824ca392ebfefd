"""R2.6: periodic data calls that recur, on a frozen clock across a weekend and holidays, in agency A's working time
(7:30–11:30, 13:30–17:00).

April 2026: 26/4 Hùng Kings (Sunday) observed Mon 27/4, 30/4 Reunification (Thu), 1/5 Labour Day (Fri), 2–3/5 a
weekend. A monthly rule for 202604 opens its call at the agency's first working moment after the month: Mon 4/5
7:30; five working days later it is due Fri 8/5 17:00; reminded one working day before (Thu 7/5 17:00), then on
the next working day once overdue (Sat 9/5 → Mon 11/5 17:00). The sweep run twice opens one call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.common.testing import frozen, local
from ioc.indicators import services
from ioc.indicators.models import CallRule, DataCall, Indicator
from ioc.indicators.tests.support import DECISION, catalogue, spec, territory
from ioc.notifications.models import Outbox

MINUTE = dt.timedelta(minutes=1)


def sweep(actor, moment: dt.datetime) -> int:
    with frozen(moment):
        return services.call_rules_open_due(actor=actor, now=moment)


def remind(actor, moment: dt.datetime) -> int:
    with frozen(moment):
        return services.data_calls_remind(actor=actor, now=moment)


class CallRuleTest(Personas, TestCase):
    indicator: Indicator

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"), spec("arrivals", period_type="quarter"))
        cls.indicator = Indicator.objects.get(code="revenue")

    def create(self, moment: dt.datetime, **extra) -> CallRule:
        values = {"indicator": self.indicator, "agency": self.agency_a, "period_type": "month", **extra}
        with frozen(moment):
            return services.call_rule_create(actor=self.operator, **values)

    def test_across_a_weekend_and_holidays(self) -> None:
        rule = self.create(local(2026, 4, 22, 10, 0), working_days=5, note="Số liệu tháng")
        self.assertEqual((rule.next_period, rule.next_open_at), ("202604", local(2026, 5, 4, 7, 30)))
        self.assertEqual(sweep(self.system_account, local(2026, 5, 4, 7, 29)), 0)
        self.assertEqual(sweep(self.system_account, local(2026, 5, 4, 7, 30)), 1)
        call = DataCall.objects.get()
        self.assertEqual((call.rule, call.period, call.kind, call.note), (rule, "202604", "periodic", "Số liệu tháng"))
        self.assertEqual(call.requested_by, self.operator)  # the rule's author asks; the system opens it
        self.assertEqual(call.deadline_at, local(2026, 5, 8, 17, 0))
        self.assertEqual(call.next_reminder_at, local(2026, 5, 7, 17, 0))
        self.assertTrue(Outbox.objects.filter(dedup_key=f"indicator_call:{call.pk}:new").exists())
        rule.refresh_from_db()
        self.assertEqual((rule.next_period, rule.next_open_at), ("202605", local(2026, 6, 1, 7, 30)))
        self.assertEqual(remind(self.system_account, local(2026, 5, 7, 17, 0) - MINUTE), 0)
        self.assertEqual(remind(self.system_account, local(2026, 5, 7, 17, 0)), 1)
        call.refresh_from_db()
        self.assertEqual(call.next_reminder_at, local(2026, 5, 11, 17, 0))  # not on Saturday 9/5
        self.assertEqual(remind(self.system_account, local(2026, 5, 9, 17, 0)), 0)
        self.assertEqual(remind(self.system_account, local(2026, 5, 11, 17, 0)), 1)
        entry = AuditEntry.objects.filter(action="indicator_call.create").get()
        self.assertEqual((entry.actor, entry.changes["rule"]), (self.system_account, rule.pk))

    def test_the_sweep_run_twice_opens_one_call(self) -> None:
        self.create(local(2026, 4, 22, 10, 0))
        moment = local(2026, 5, 4, 8, 0)
        self.assertEqual(sweep(self.system_account, moment), 1)
        self.assertEqual(sweep(self.system_account, moment), 0)
        # A sweep that read the rule before the first one's claim: the period is claimed again, the call is not.
        CallRule.objects.update(next_period="202604", next_open_at=local(2026, 5, 4, 7, 30))
        self.assertEqual(sweep(self.system_account, moment), 0)
        self.assertEqual(DataCall.objects.count(), 1)
        self.assertEqual(CallRule.objects.get().next_period, "202605")
        with self.assertRaises(IntegrityError), transaction.atomic():  # the unique key rule × period
            first = DataCall.objects.get()
            first.pk = None
            first.save()

    def test_a_sweep_that_stopped_catches_up_and_a_retired_indicator_ends_the_rule(self) -> None:
        self.create(local(2026, 4, 22, 10, 0))
        self.assertEqual(sweep(self.system_account, local(2026, 7, 15, 9, 0)), 3)  # 202604, 202605, 202606
        self.assertEqual(sorted(DataCall.objects.values_list("period", flat=True)), ["202604", "202605", "202606"])
        for call in DataCall.objects.all():  # each due five working days after it was actually opened
            self.assertEqual(call.deadline_at, local(2026, 7, 22, 9, 0))
        services.catalog_version_approve(actor=self.leader, retire=["revenue"], **{**DECISION, "decision_no": "2"})
        self.assertEqual(sweep(self.system_account, local(2026, 8, 3, 9, 0)), 0)
        self.assertEqual(CallRule.objects.get().status, "ended")

    def test_pause_resume_and_end(self) -> None:
        rule = self.create(local(2026, 4, 22, 10, 0))
        with frozen(local(2026, 4, 23, 9, 0)):
            services.call_rule_pause(actor=self.operator, rule=rule, reason="Đang rà soát")
        self.assertEqual(sweep(self.system_account, local(2026, 5, 4, 8, 0)), 0)
        with frozen(local(2026, 5, 20, 9, 0)):  # 202604's call was due to open during the pause: skipped
            rule = services.call_rule_resume(actor=self.leader, rule=rule)
        self.assertEqual((rule.status, rule.next_period), ("active", "202605"))
        self.assertEqual(sweep(self.system_account, local(2026, 6, 1, 7, 30)), 1)
        with frozen(local(2026, 6, 2, 9, 0)):
            services.call_rule_end(actor=self.operator, rule=rule, reason="Thôi theo dõi")
            with self.assertRaises(ValidationError) as caught:
                services.call_rule_pause(actor=self.operator, rule=rule)
            self.assertEqual(set(caught.exception.message_dict), {"status"})
            with self.assertRaises(PermissionDenied):
                services.call_rule_resume(actor=self.officer_a, rule=rule)
            again = services.call_rule_create(
                actor=self.operator, indicator=self.indicator, agency=self.agency_a, period_type="month"
            )  # an ended rule frees its key
        self.assertEqual(again.next_period, "202606")
        actions = list(
            AuditEntry.objects.filter(action__startswith="indicator_call_rule.").order_by("pk").values_list("action")
        )
        self.assertEqual(
            [a for (a,) in actions],
            ["indicator_call_rule." + a for a in ("create", "pause", "resume", "end", "create")],
        )

    def test_each_kind_of_bad_input_is_named_and_nothing_is_written(self) -> None:
        retired = Agency.objects.create(code="da-giai-the", name="Cơ quan đã giải thể", is_active=False)
        self.create(local(2026, 4, 22, 10, 0))
        cases: list[tuple[dict[str, Any], str]] = [
            ({"period_type": "week"}, "period_type"),  # unknown period type
            ({"period_type": "quarter"}, "period_type"),  # not the indicator's
            ({"agency": retired}, "agency"),  # outside the scope of anyone asking
            ({}, "indicator"),  # a duplicate of the live rule
            ({"working_days": 0}, "working_days"),
            ({"open_after_days": 400}, "open_after_days"),
            ({"first_period": "2026Q2", "agency": self.agency_b}, "first_period"),
            ({"first_period": "202501", "agency": self.agency_b}, "first_period"),
            ({"first_period": "2026-13", "agency": self.agency_b}, "first_period"),
        ]
        for extra, field in cases:
            with self.subTest(extra=extra), self.assertRaises(ValidationError) as caught:
                self.create(local(2026, 4, 22, 11, 0), **extra)
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            services.call_rule_create(
                actor=self.officer_a, indicator=self.indicator, agency=self.agency_b, period_type="month"
            )
        self.assertEqual(CallRule.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="indicator_call_rule.create").count(), 1)


class WorkingTimeDeadlineTest(Personas, TestCase):
    """An ad hoc call due in two working days, asked on Friday 24/4/2026 15:00: Friday's two hours, Monday 27/4
    (Hùng Kings, observed) not counted, Tuesday's 7.5 hours, then 5.5 on Wednesday: due Wed 29/4 15:00."""

    indicator: Indicator

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"))
        cls.indicator = Indicator.objects.get(code="revenue")

    def test_working_days_count_in_the_agency_calendar(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            call = services.data_call_create(
                actor=self.leader, indicator=self.indicator, agency=self.agency_a, period="202604", working_days=2,
                kind="ad_hoc",
            )  # fmt: skip
        self.assertEqual(call.deadline_at, local(2026, 4, 29, 15, 0))
        self.assertEqual(call.next_reminder_at, local(2026, 4, 28, 15, 0))

    def test_a_reminder_due_on_a_day_off_waits_for_the_next_working_day(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            call = services.data_call_create(
                actor=self.leader, indicator=self.indicator, agency=self.agency_a, period="202604", working_days=2
            )
        DataCall.objects.filter(pk=call.pk).update(next_reminder_at=local(2026, 4, 25, 9, 0))
        self.assertEqual(remind(self.system_account, local(2026, 4, 26, 9, 0)), 0)  # Sunday
        call.refresh_from_db()
        self.assertEqual((call.reminders_sent, call.next_reminder_at), (0, local(2026, 4, 28, 7, 30)))
        self.assertEqual(remind(self.system_account, local(2026, 4, 28, 7, 30)), 1)

    def test_a_deadline_is_one_of_a_date_or_working_days(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({}, "deadline_at"),
            ({"working_days": 2, "deadline_at": local(2026, 5, 1)}, "deadline_at"),
            ({"working_days": 0}, "working_days"),
            ({"working_days": 61}, "working_days"),
        ]
        for extra, field in cases:
            with self.subTest(extra=extra), frozen(local(2026, 4, 24, 15, 0)):
                with self.assertRaises(ValidationError) as caught:
                    services.data_call_create(
                        actor=self.leader, indicator=self.indicator, agency=self.agency_a, period="202604", **extra
                    )
                self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(DataCall.objects.exists())


class DemoRuleTest(Personas, TestCase):
    """The demo's one recurring rule goes through the service, as the system account."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"), spec("arrivals", period_type="quarter"))

    def test_one_monthly_rule(self) -> None:
        from ioc.indicators import demo

        indicators = list(Indicator.objects.order_by("code"))
        self.assertEqual(demo._call_rule(self.system_account, indicators), 1)
        rule = CallRule.objects.get()
        self.assertEqual(
            (rule.indicator.code, rule.created_by, rule.period_type), ("revenue", self.system_account, "month")
        )
