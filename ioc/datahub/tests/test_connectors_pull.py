"""R1.2b: pull connectors against a local HTTP server (loopback allow-listed in this test only): a success in
JSON and CSV, an endpoint that is down, slow, answers garbage, or fails with 500 then recovers — each run
recorded, nothing half-written, back-off between attempts, the auth value sent but never stored in clear."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.common.testing import frozen
from ioc.datahub import services
from ioc.datahub.choices import Channel, RunStatus, SubmissionStatus
from ioc.datahub.models import Connector, ConnectorRun, Dataset, Record, Submission
from ioc.datahub.services.connectors import next_delay
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility, facility_line

SECRET = "Bearer s3cret-value"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict[str, Any]] = []
        self.flaky_calls = 0
        self.bodies: dict[str, bytes] = {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append({"path": self.path, "auth": self.headers.get("X-Api-Key")})
        if self.path == "/slow":
            time.sleep(2.5)
            self._answer(200, b"[]")
        elif self.path == "/flaky":
            self.server.flaky_calls += 1
            if self.server.flaky_calls == 1:
                self._answer(500, b"<html>Internal Server Error</html>", "text/html")
            else:
                self._answer(200, self.server.bodies["/flaky"])
        elif self.path in self.server.bodies:
            content_type = "text/csv" if self.path.endswith(".csv") else "application/json"
            self._answer(200, self.server.bodies[self.path], content_type)
        else:
            self._answer(200, b"<html><body>not json at all</body></html>", "text/html")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.1/32"])
class PullConnectorTest(Personas, TestCase):
    dataset: Dataset
    server: _Server
    port: int

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = _Server()
        cls.port = cls.server.server_address[1]
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def setUp(self) -> None:
        super().setUp()
        # built here: the server's threads must not open database connections of their own
        items = {"/rows.json": [facility("CS01"), facility("CS02")], "/bad-rows.json": [facility("CS01", loai="khac")]}
        items["/flaky"] = [facility("CS03")]
        self.server.bodies = {path: json.dumps({"data": {"items": rows}}).encode() for path, rows in items.items()}
        csv_text = "\n".join([FACILITY_HEADER, facility_line("CS01"), facility_line("CS02")])
        self.server.bodies["/rows.csv"] = csv_text.encode("utf-8-sig")

    def connect(self, path: str, **changes: Any) -> Connector:
        values: dict[str, Any] = {
            "url": f"http://127.0.0.1:{self.port}{path}",
            "json_path": "data.items",
            "auth_header": "X-Api-Key",
            "auth_secret": SECRET,
            "interval_minutes": 60,
            "timeout_seconds": 5,
        }
        values.update(changes)
        return services.connector_set(
            actor=self.admin, dataset=self.dataset, values=services.ConnectorSettings(**values)
        )

    def only_run(self) -> ConnectorRun:
        runs = list(ConnectorRun.objects.all())
        self.assertEqual(len(runs), 1)
        return runs[0]

    def assert_nothing_stored(self) -> None:
        self.assertFalse(Submission.objects.exists())
        self.assertFalse(Record.objects.exists())

    def test_json_rows_are_ingested_with_the_auth_header_and_the_run_recorded(self) -> None:
        connector = self.connect("/rows.json")
        self.assertEqual(services.connectors_run_due(), 1)
        run = self.only_run()
        self.assertEqual((run.status, run.http_status, run.rows, run.error), (RunStatus.SUCCESS, 200, 2, ""))
        assert run.submission is not None
        self.assertEqual((run.submission.channel, run.submission.status), (Channel.PULL, SubmissionStatus.ACCEPTED))
        self.assertEqual(run.submission.agency, self.agency_a)
        self.assertEqual(Record.objects.filter(is_current=True).count(), 2)
        self.assertEqual(self.server.seen[-1]["auth"], SECRET)
        connector.refresh_from_db()
        self.assertNotIn("s3cret", connector.auth_secret)
        self.assertIsNone(connector.lease_until)
        assert connector.next_run_at is not None
        self.assertGreater(connector.next_run_at, timezone.now() + dt.timedelta(minutes=59))
        self.assertEqual(services.connectors_run_due(), 0, "not due again before its interval")
        self.assertTrue(AuditEntry.objects.filter(action="datahub_connector.run").exists())
        self.assertNotIn("s3cret", json.dumps(list(AuditEntry.objects.values_list("changes", flat=True))))

    def test_csv_answers_are_read_like_an_upload(self) -> None:
        self.connect("/rows.csv", fmt="csv", json_path="")
        services.connectors_run_due()
        run = self.only_run()
        self.assertEqual((run.status, run.rows), (RunStatus.SUCCESS, 2))
        self.assertEqual(Record.objects.get(data__ma_co_so="CS01").data["so_giuong"], 1234)

    def test_endpoint_down_is_a_failed_run_with_back_off(self) -> None:
        connector = self.connect("/rows.json", url=f"http://127.0.0.1:{_closed_port()}/rows.json")
        services.connectors_run_due()
        run = self.only_run()
        self.assertEqual(run.status, RunStatus.FAILED)
        self.assertIn("Không kết nối được", run.error)
        self.assert_nothing_stored()
        connector.refresh_from_db()
        self.assertEqual(connector.failures, 1)
        assert connector.next_run_at is not None
        self.assertLess(connector.next_run_at, timezone.now() + dt.timedelta(minutes=2))

    def test_slow_endpoint_times_out(self) -> None:
        self.connect("/slow", timeout_seconds=1)
        services.connectors_run_due()
        run = self.only_run()
        self.assertEqual(run.status, RunStatus.FAILED)
        self.assertIn("Hết thời gian chờ", run.error)
        self.assertLess(run.duration_ms, 2400)
        self.assert_nothing_stored()

    def test_garbage_answer_is_a_failed_run(self) -> None:
        self.connect("/garbage")
        services.connectors_run_due()
        run = self.only_run()
        self.assertEqual((run.status, run.http_status), (RunStatus.FAILED, 200))
        self.assertIn("JSON", run.error)
        self.assert_nothing_stored()

    def test_missing_json_path_is_named(self) -> None:
        self.connect("/rows.json", json_path="data.rows")
        services.connectors_run_due()
        self.assertIn("rows", self.only_run().error)
        self.assert_nothing_stored()

    def test_rows_failing_the_schema_are_a_rejected_submission_kept_for_audit(self) -> None:
        self.connect("/bad-rows.json")
        services.connectors_run_due()
        run = self.only_run()
        self.assertEqual(run.status, RunStatus.REJECTED)
        assert run.submission is not None
        self.assertEqual(run.submission.status, SubmissionStatus.REJECTED)
        self.assertFalse(Record.objects.exists())

    def test_500_then_recovery_after_the_back_off(self) -> None:
        self.server.flaky_calls = 0
        connector = self.connect("/flaky")
        services.connectors_run_due()
        first = self.only_run()
        self.assertEqual((first.status, first.http_status), (RunStatus.FAILED, 500))
        self.assertIn("500", first.error)
        self.assertEqual(services.connectors_run_due(), 0, "waits for its back-off")
        with frozen(timezone.now() + dt.timedelta(seconds=61)):
            self.assertEqual(services.connectors_run_due(), 1)
        second = ConnectorRun.objects.exclude(pk=first.pk).get()
        self.assertEqual((second.status, second.attempt, second.rows), (RunStatus.SUCCESS, 2, 1))
        connector.refresh_from_db()
        self.assertEqual(connector.failures, 0)
        self.assertEqual(Record.objects.get().data["ma_co_so"], "CS03")

    def test_a_claimed_connector_is_not_run_twice(self) -> None:
        connector = self.connect("/rows.json")
        lease = services.connectors.connector_claim(pk=connector.pk)
        self.assertIsNotNone(lease)
        self.assertEqual(services.connectors_run_due(), 0)
        self.assertIsNone(services.connectors.connector_claim(pk=connector.pk))


class ConnectorSettingsTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def set(self, actor: Any = None, **changes: Any) -> Connector:
        values: dict[str, Any] = {"url": "https://api.example.vn/rows", "auth_header": "Authorization"}
        values.update(changes)
        return services.connector_set(
            actor=actor or self.admin, dataset=self.dataset, values=services.ConnectorSettings(**values)
        )

    def test_each_bad_setting_is_named_and_nothing_is_written(self) -> None:
        cases: dict[str, dict[str, Any]] = {
            "url": {"url": "ftp://example.vn/x"},
            "method": {"method": "DELETE"},
            "fmt": {"fmt": "xml"},
            "json_path": {"json_path": "data..items"},
            "auth_header": {"auth_header": "Bad Header:"},
            "auth_secret": {"auth_secret": "a\r\nX-Injected: 1"},
            "interval_minutes": {"interval_minutes": 1},
            "timeout_seconds": {"timeout_seconds": 0},
        }
        for field, changes in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.set(**changes)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Connector.objects.exists())

    def test_only_administrators_set_connectors(self) -> None:
        for persona in (self.operator, self.officer_a):
            with self.subTest(persona=persona.username), self.assertRaises(PermissionDenied):
                self.set(actor=persona)
        self.assertFalse(Connector.objects.exists())

    def test_the_secret_is_kept_unless_replaced_or_removed(self) -> None:
        from ioc.datahub.secrets import unseal

        connector = self.set(auth_secret="token-1")
        sealed = connector.auth_secret
        connector = self.set(interval_minutes=30)
        self.assertEqual((connector.auth_secret, unseal(connector.auth_secret)), (sealed, "token-1"))
        self.assertEqual(self.set(auth_secret="").auth_secret, "")

    def test_back_off_doubles_up_to_the_interval(self) -> None:
        delays = [next_delay(interval_minutes=10, failures=n).total_seconds() for n in range(5)]
        self.assertEqual(delays, [600, 60, 120, 240, 480])
        self.assertEqual(next_delay(interval_minutes=10, failures=9).total_seconds(), 600)
