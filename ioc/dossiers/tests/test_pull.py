"""R5.3 (issue 23 item 2b): the pull path — a data-hub connector reads the one-stop shop's events from a local
HTTP server on 127.0.0.1 (loopback allow-listed in this test only) into a `dossier_events` dataset with the schema
this app ships; `dossier_events_pull` reads its submissions past the watermark into the same service as the push
API, once each."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas
from ioc.datahub import services as datahub_services
from ioc.datahub.models import Connector
from ioc.datahub.testing import dataset_make
from ioc.dossiers.datasets import EVENTS_DATASET, dossier_events_schema
from ioc.dossiers.models import Dossier, DossierEvent, PullMark, Violation
from ioc.dossiers.services import dossier_events_pull
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.body = b"{}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _as_dataset_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "documents": ";".join(row["documents"])} if "documents" in row else row


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.1/32"])
class PullPathTests(Personas, TestCase):
    server: _Server

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = _Server()  # before setUpTestData, which names its port
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        dataset = dataset_make(
            actor=cls.system_account, owner=cls.agency_a, code=EVENTS_DATASET, schema=dossier_events_schema(),
            name="Sự kiện hồ sơ một cửa", accept_valid_rows=True,
        )  # fmt: skip
        datahub_services.connector_set(
            actor=cls.admin,
            dataset=dataset,
            values=datahub_services.ConnectorSettings(
                url=f"http://127.0.0.1:{cls.server.server_address[1]}/events",
                json_path="events",
                auth_header="",
                auth_secret="",
                interval_minutes=60,
                timeout_seconds=5,
            ),
        )

    def serve(self, *rows: dict[str, Any]) -> None:
        self.server.body = json.dumps({"events": [_as_dataset_row(r) for r in rows]}).encode()

    def test_pulled_events_reach_the_one_service_once(self):
        self.serve(
            receipt("P-1", local("2026-03-02", 8)),
            event("P-1", "step_done", local("2026-03-02", 9), "p2", step="tiep-nhan"),
            event("P-1", "step_done", local("2026-03-02", 10), "p3", step="phe-duyet"),
        )
        self.assertEqual(datahub_services.connectors_run_due(), 1)
        self.assertEqual(dossier_events_pull(actor=self.system_account), 3)
        dossier = Dossier.objects.get(code="P-1")
        self.assertEqual((dossier.agency, dossier.events.count()), (self.agency_a, 3))
        self.assertTrue(Violation.objects.filter(dossier=dossier, rule="step_skipped").exists())  # checked at once
        self.assertEqual(dossier_events_pull(actor=self.system_account), 0)  # past the watermark
        self.assertIsNotNone(PullMark.objects.get(dataset_code=EVENTS_DATASET).received_at)

    def test_a_later_run_brings_only_its_new_events_and_a_repeat_is_ignored(self):
        self.serve(receipt("P-2", local("2026-03-02", 8)))
        datahub_services.connectors_run_due()
        dossier_events_pull(actor=self.system_account)
        self.serve(
            receipt("P-2", local("2026-03-02", 8)),
            event("P-2", "step_done", local("2026-03-02", 9), "q2", step="tiep-nhan"),
        )
        connector = Connector.objects.get(dataset__code=EVENTS_DATASET)
        datahub_services.connector_run_now(actor=self.admin, connector=connector)
        datahub_services.connectors_run_due()
        self.assertEqual(dossier_events_pull(actor=self.system_account), 1)
        self.assertEqual(DossierEvent.objects.filter(dossier__code="P-2").count(), 2)

    def test_a_bad_row_is_refused_by_the_service_and_nothing_half_stored(self):
        self.serve(receipt("P-3", local("2026-03-02", 8), procedure="9.999999"))
        datahub_services.connectors_run_due()
        self.assertEqual(dossier_events_pull(actor=self.system_account), 0)
        self.assertFalse(Dossier.objects.filter(code="P-3").exists())
        self.assertEqual(dossier_events_pull(actor=self.system_account), 0)  # the watermark moved past it
