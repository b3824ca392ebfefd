"""R9.3: lag and backlog per link on /metrics, read from the outbox at scrape time."""

from __future__ import annotations

import datetime as dt

from django.test import Client, override_settings
from django.utils import timezone

from ioc.federation import services
from ioc.federation.choices import Flow
from ioc.federation.models import OutboxMessage
from ioc.federation.tests.base import FederationTestCase


@override_settings(METRICS_ALLOWED_CIDRS=["127.0.0.0/8"])
class FederationMetricsTest(FederationTestCase):
    def test_backlog_and_lag_per_link(self):
        rows = services.messages_enqueue(
            link=self.link,
            flow=Flow.CITIZEN_REPORTS_DAILY,
            items=[(f"k{n}", {"day": "2026-12-01", "n": n}) for n in range(3)],
        )
        OutboxMessage.objects.filter(pk=rows[0].pk).update(created_at=timezone.now() - dt.timedelta(seconds=600))
        text = Client().get("/metrics").content.decode()
        self.assertIn('ioc_federation_backlog_messages{link="tinh"} 3.0', text)
        lag = next(line for line in text.splitlines() if line.startswith('ioc_federation_lag_seconds{link="tinh"}'))
        self.assertGreaterEqual(float(lag.split()[-1]), 600)
