"""R2.6 configuration page: the IOC cancels an open data call with a reason (reminders stop); an officer is
refused; a missing reason, a call already answered or cancelled, or another's call are refused, writing nothing."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators import services
from ioc.indicators.models import DataCall, Indicator
from ioc.indicators.tests.support import catalogue, spec, territory


class CancelCallPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"))
        cls.indicator = Indicator.objects.get(code="revenue")

    def setUp(self):
        self.call = services.data_call_create(
            actor=self.leader, indicator=self.indicator, agency=self.agency_a, period="202605",
            deadline_at=timezone.now() + dt.timedelta(days=3),
        )  # fmt: skip

    def url(self, pk=None):
        return f"/chi-so/cau-hinh/yeu-cau/{pk or self.call.pk}/huy/"

    def test_the_operator_cancels_with_a_reason(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get("/chi-so/cau-hinh/yeu-cau/"), f'data-call="{self.call.pk}"')
        self.assertEqual(self.client.post(self.url(), {"reason": "Trùng yêu cầu"}).status_code, 302)
        self.call.refresh_from_db()
        self.assertEqual((self.call.status, self.call.next_reminder_at), ("cancelled", None))
        entry = AuditEntry.objects.filter(action="indicator_call.cancel").get()
        self.assertEqual((entry.actor, entry.changes["reason"]), (self.operator, "Trùng yêu cầu"))
        self.assertNotContains(self.client.get("/chi-so/cau-hinh/yeu-cau/"), f'data-call="{self.call.pk}"')

    def test_bad_input_is_refused_and_writes_nothing(self):
        self.sign_in(self.client, self.operator)
        missing = self.client.post(self.url(), {"reason": ""})
        self.assertContains(missing, 'data-field="reason"', status_code=400)
        self.call.refresh_from_db()
        self.assertEqual(self.call.status, "open")
        self.assertEqual(self.client.post(self.url(), {"reason": "Đã có số liệu"}).status_code, 302)
        again = self.client.post(self.url(), {"reason": "Lần nữa"})
        self.assertContains(again, 'id="cancel-errors"', status_code=400)
        self.assertContains(again, "không còn chờ báo cáo", status_code=400)
        self.assertEqual(self.client.post(self.url(999999), {"reason": "x"}).status_code, 404)
        self.assertEqual(AuditEntry.objects.filter(action="indicator_call.cancel").count(), 1)

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.post(self.url(), {"reason": "Không cần"}).status_code, 403)
        self.assertEqual(DataCall.objects.get().status, "open")
