"""R9.2: the agreed indicators exported in the documented JSON format (docs/federation.md) through the same outbox,
to a configurable endpoint: here the local receiver."""

from __future__ import annotations

from ioc.federation import services
from ioc.federation.choices import Flow, LinkRole, OutState
from ioc.federation.models import OutboxMessage, ReceivedRecord
from ioc.federation.services.flows import NATIONAL_FORMAT
from ioc.federation.tests.base import FederationTestCase, client_transport, link_make
from ioc.indicators.testing import SAMPLE_CODE


class NationalExportTest(FederationTestCase):
    def test_agreed_indicators_go_out_in_the_documented_format(self):
        national = link_make(
            self.admin, code="quoc-gia", role=LinkRole.NATIONAL, key_id="quoc-gia-1", flows=[Flow.NATIONAL_EXPORT]
        )
        written = services.link_collect(link=national)
        self.assertEqual(len(written), 24)  # the sample's 24 monthly periods
        payload = written[0].payload
        self.assertEqual((payload["format"], payload["indicator"]), (NATIONAL_FORMAT, SAMPLE_CODE))
        self.assertEqual({v["unit"] for v in payload["values"]}, {*(c.code for c in self.communes), "territory"})
        services.deliver_due(transport=client_transport(self.client))
        self.assertEqual(
            set(OutboxMessage.objects.filter(link=national).values_list("state", flat=True)), {OutState.DELIVERED}
        )
        self.assertEqual(ReceivedRecord.objects.filter(flow=Flow.NATIONAL_EXPORT).count(), 24)

    def test_a_message_in_another_format_is_refused(self):
        national = link_make(
            self.admin, code="quoc-gia", role=LinkRole.NATIONAL, key_id="quoc-gia-1", flows=[Flow.NATIONAL_EXPORT]
        )
        services.messages_enqueue(link=national, flow=Flow.NATIONAL_EXPORT, items=[("x", {"format": "csv"})])
        services.deliver_due(transport=client_transport(self.client))
        self.assertEqual(OutboxMessage.objects.get(link=national).state, OutState.DEAD)
        self.assertIn("payload.format", OutboxMessage.objects.get(link=national).last_error)
