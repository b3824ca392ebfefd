"""R9.1: the receiving endpoint refuses unsigned, badly signed, stale, replayed, oversized and unknown input with
a clear body naming the reason, and writes nothing."""

from __future__ import annotations

import time

from django.test import override_settings

from ioc.federation.choices import Flow
from ioc.federation.models import InboxMessage, ReceivedRecord
from ioc.federation.tests.base import FederationTestCase, body_of, message, signed_meta
from ioc.indicators.testing import SAMPLE_CODE


def daily(day: str = "2026-12-01", unit: str = "") -> dict[str, object]:
    communes = [{"unit": unit, "received": 3}] if unit else []
    return {"day": day, "communes": communes, "received": 3}


class ReceiverRefusalsTest(FederationTestCase):
    ID = "0b5f7d2e-4a55-4c56-9d0f-8d1b8a8d7a01"

    def body(self, **kw: object) -> bytes:
        key = "citizen_reports.daily:2026-12-01"
        return body_of(message(Flow.CITIZEN_REPORTS_DAILY, key, 1, daily(**kw), message_id=self.ID))  # type: ignore[arg-type]

    def assertRefused(self, response, status: int, code: str, field: str = "") -> None:
        self.assertEqual(response.status_code, status, response.content)
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        if field:
            self.assertIn(field, error["fields"])
        self.assertEqual(InboxMessage.objects.count(), 0)
        self.assertEqual(ReceivedRecord.objects.count(), 0)

    def test_a_signed_request_is_applied(self):
        response = self.post(self.body(), **signed_meta(self.body()))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["results"][0]["status"], "applied")
        self.assertEqual(ReceivedRecord.objects.count(), 1)

    def test_unsigned(self):
        self.assertRefused(self.post(self.body()), 401, "unsigned", "X-IOC-Key-Id")

    def test_missing_signature_header(self):
        meta = signed_meta(self.body())
        del meta["HTTP_X_IOC_SIGNATURE"]
        self.assertRefused(self.post(self.body(), **meta), 401, "unsigned", "X-IOC-Signature")

    def test_bad_signature(self):
        self.assertRefused(self.post(self.body(), **signed_meta(self.body(), secret="x" * 40)), 401, "bad_signature")

    def test_body_changed_after_signing(self):
        meta = signed_meta(self.body())
        self.assertRefused(self.post(self.body(day="2026-12-02"), **meta), 401, "bad_signature")

    def test_stale_timestamp(self):
        meta = signed_meta(self.body(), now=time.time() - 301)
        self.assertRefused(self.post(self.body(), **meta), 401, "stale", "X-IOC-Timestamp")

    def test_timestamp_in_the_future(self):
        meta = signed_meta(self.body(), now=time.time() + 400)
        self.assertRefused(self.post(self.body(), **meta), 401, "stale")

    def test_replayed_delivery_id(self):
        meta = signed_meta(self.body())
        self.assertEqual(self.post(self.body(), **meta).status_code, 200)
        before = InboxMessage.objects.count()
        response = self.post(self.body(), **meta)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["error"]["code"], "replayed")
        self.assertEqual(InboxMessage.objects.count(), before)

    @override_settings(FEDERATION_MAX_MESSAGE_BYTES=200)
    def test_too_large(self):
        body = body_of(message(Flow.CITIZEN_REPORTS_DAILY, "k", 1, {"day": "2026-12-01", "note": "x" * 300}))
        self.assertRefused(self.post(body, **signed_meta(body)), 413, "too_large", "body")

    def test_unknown_link(self):
        meta = signed_meta(self.body(), key_id="no-such-key")
        self.assertRefused(self.post(self.body(), **meta), 422, "unknown_link", "X-IOC-Key-Id")

    def test_flow_not_agreed(self):
        body = body_of(message(Flow.DIRECTIVE, "directive:1", 1, {"title": "x"}))
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[0].flow")

    def test_unknown_indicator(self):
        payload = {"indicator": "khong-co", "unit": self.communes[0].code, "period": "202601", "value": 1}
        body = body_of(message(Flow.INDICATOR_VALUE, "value:x", 1, payload))
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[0].payload.indicator")

    def test_unknown_unit(self):
        payload = {"indicator": SAMPLE_CODE, "unit": "99999", "period": "202601", "value": 1}
        body = body_of(message(Flow.INDICATOR_VALUE, "value:x", 1, payload))
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[0].payload.unit")

    def test_unknown_unit_in_a_summary(self):
        body = self.body(unit="99999")
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[0].payload.communes[0].unit")

    def test_one_bad_message_refuses_the_whole_batch(self):
        good = message(Flow.CITIZEN_REPORTS_DAILY, "citizen_reports.daily:2026-12-01", 1, daily())
        bad = message(Flow.CITIZEN_REPORTS_DAILY, "citizen_reports.daily:2026-12-02", 1, {"day": "hôm qua"})
        body = body_of(good, bad)
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[1].payload.day")

    def test_a_nul_in_a_payload_is_a_400_naming_the_place(self):
        # issue 16: the payload is jsonb, which refuses a NUL on PostgreSQL (a 500 there before)
        body = body_of(message(Flow.CITIZEN_REPORTS_DAILY, "citizen_reports.daily:2026-12-01", 1, {"n\u0000": 1}))
        self.assertRefused(self.post(body, **signed_meta(body)), 400, "malformed", "messages[0].payload.n\u0000")

    def test_malformed_json(self):
        body = b"{not json"
        self.assertRefused(self.post(body, **signed_meta(body)), 400, "malformed")

    def test_bad_version(self):
        body = body_of(message(Flow.CITIZEN_REPORTS_DAILY, "k", 0, daily()))
        self.assertRefused(self.post(body, **signed_meta(body)), 422, "invalid", "messages[0].version")
