"""R2.6: a data call's full life — created and told to the agency, reminded when due (once per reminder, safe to
run twice), listed as overdue work for the IOC and as work for the agency, answered by the agency's values."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.testing import frozen, local
from ioc.indicators import selectors, services
from ioc.indicators.models import DataCall, Indicator
from ioc.indicators.tests.support import catalogue, communes, spec, territory
from ioc.notifications.models import Outbox


class DataCallLifeTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        cls.unit = communes(1)[0]
        catalogue(cls.leader, spec("revenue"))
        cls.indicator = Indicator.objects.get(code="revenue")

    def test_full_life(self):
        now = local(2026, 5, 11, 10, 0)  # a Monday: the reminder, a working day before the deadline, is Tuesday's
        with frozen(now):
            call = services.data_call_create(
                actor=self.leader,
                indicator=self.indicator,
                agency=self.agency_a,
                period="202505",
                deadline_at=now + dt.timedelta(days=2),
                kind="ad_hoc",
                note="Số liệu gấp",
            )
            self.assertTrue(
                Outbox.objects.filter(dedup_key=f"indicator_call:{call.pk}:new", recipient_user=self.officer_a).exists()
            )
            self.assertEqual(
                [i["kind"] for i in selectors.indicators_work_items(user=self.officer_a)], ["indicator_call"]
            )
            self.assertEqual(selectors.indicators_work_items(user=self.officer_b), [])
            self.assertEqual(selectors.indicators_work_items(user=self.operator), [])  # not overdue yet
            self.assertEqual(services.data_calls_remind(actor=self.system_account, now=now), 0)
            later = now + dt.timedelta(days=1, hours=1)
            self.assertEqual(services.data_calls_remind(actor=self.system_account, now=later), 1)
            self.assertEqual(services.data_calls_remind(actor=self.system_account, now=later), 0)
            self.assertTrue(Outbox.objects.filter(dedup_key=f"indicator_call:{call.pk}:reminder:1").exists())
            DataCall.objects.filter(pk=call.pk).update(deadline_at=now - dt.timedelta(hours=1))
            self.assertEqual(len(selectors.indicators_work_items(user=self.operator)), 1)
            self.assertEqual(selectors.overdue_calls().count(), 1)
            services.values_import(
                actor=self.officer_a,
                rows=[{"indicator": "revenue", "period": "202505", "unit": self.unit.code, "value": 3}],
            )
            call.refresh_from_db()
            self.assertEqual(call.status, "answered")
            self.assertIsNotNone(call.answered_at)
            self.assertEqual(selectors.indicators_work_items(user=self.officer_a), [])

    def test_refusals_write_nothing(self):
        with self.assertRaises(PermissionDenied):
            services.data_call_create(
                actor=self.officer_a,
                indicator=self.indicator,
                agency=self.agency_a,
                period="202505",
                deadline_at=timezone.now() + dt.timedelta(days=1),
            )
        with self.assertRaises(ValidationError) as caught:
            services.data_call_create(
                actor=self.operator,
                indicator=self.indicator,
                agency=self.agency_a,
                period="2025-05",
                deadline_at=timezone.now() - dt.timedelta(days=1),
                kind="x",
            )
        self.assertEqual(set(caught.exception.message_dict), {"period", "deadline_at", "kind"})
        self.assertFalse(DataCall.objects.exists())

    def test_a_cancelled_call_is_not_reminded(self):
        call = services.data_call_create(
            actor=self.operator,
            indicator=self.indicator,
            agency=self.agency_a,
            period="202505",
            deadline_at=timezone.now() + dt.timedelta(hours=2),
        )
        services.data_call_cancel(actor=self.operator, call=call, reason="Nhầm kỳ")
        self.assertEqual(
            services.data_calls_remind(actor=self.system_account, now=timezone.now() + dt.timedelta(days=3)), 0
        )
        with self.assertRaises(ValidationError):
            services.data_call_cancel(actor=self.operator, call=call, reason="again")
