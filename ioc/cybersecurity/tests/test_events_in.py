"""R5.6: security events in — the API (scope `cybersecurity.events`, import summary naming row, field, reason), the
syslog listener on an ephemeral loopback port (UDP, TCP with octet counting and LF framing), unregistered senders and
bad lines counted per reason on /metrics, duplicates ignored, event rules raising and resolving `cyber.event`."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from ioc.accounts.testing import Personas, personas_create
from ioc.cybersecurity import services
from ioc.cybersecurity.ingest import Parsed, SourceMap, syslog_batch, syslog_parse, syslog_store
from ioc.cybersecurity.models import Rejection, SecurityEvent
from ioc.cybersecurity.syslog import Buffer, Framer, Line, Listener, send_udp
from ioc.incidents.choices import AlertState
from ioc.incidents.models import Alert

WAZUH = {
    "timestamp": "2026-01-05T08:00:00.000+0700",
    "rule": {"level": 12, "id": "5712", "description": "sshd: brute force"},
    "agent": {"name": "web01"},
}


def _line(n: int, host: str = "fw1") -> bytes:
    stamp = (timezone.now() - dt.timedelta(seconds=n)).isoformat()
    return f"<34>1 {stamp} {host} sshd {n} - - Failed password {n}".encode()


class ApiTest(Personas, TestCase):
    url = "/api/v1/cybersecurity/events/"

    def test_events_are_stored_once_with_the_token_agency(self):
        cef = "CEF:0|Fortinet|FortiGate|7.0|100|Port scan|5|rt=1767600000000 dvchost=fw1"
        body = {"events": [WAZUH, cef, WAZUH]}
        response = self.client.post(self.url, body, content_type="application/json", **self.bearer())
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["imported"], 2)
        self.assertEqual(response.json()["ignored"], 1)  # the repeat within the request
        again = self.client.post(self.url, body, content_type="application/json", **self.bearer())
        self.assertEqual((again.json()["imported"], again.json()["ignored"]), (0, 3))
        self.assertEqual(set(SecurityEvent.objects.values_list("agency_id", flat=True)), {self.agency_a.pk})

    def test_refusals_name_row_field_and_reason_and_are_counted(self):
        body = {"events": [WAZUH, {"rule": {"level": 99}}, {"foo": 1}, "CEF:0|a"]}
        response = self.client.post(self.url, body, content_type="application/json", **self.bearer())
        summary = response.json()
        self.assertEqual((summary["status"], summary["imported"], summary["rejected"]), ("partial", 1, 3))
        self.assertEqual(
            [(c["row"], c["field"]) for c in summary["conflicts"]], [(2, "rule.level"), (3, "event"), (4, "header")]
        )
        counts = dict(Rejection.objects.filter(channel="api").values_list("reason", "count"))
        self.assertEqual(counts, {"shape": 2, "malformed": 1})

    def test_a_body_that_is_not_a_list_is_a_400_naming_events(self):
        response = self.client.post(self.url, {"events": "x"}, content_type="application/json", **self.bearer())
        self.assertEqual(response.status_code, 400)
        self.assertIn("events", response.json()["error"]["fields"])
        self.assertFalse(SecurityEvent.objects.exists())

    def test_a_nul_anywhere_in_an_event_is_a_400_naming_the_place(self):
        # issue 16: PostgreSQL stores no NUL (a 500 there before); keys and values, JSON events and text lines
        for event, place in (
            ({**WAZUH, "rule": {**WAZUH["rule"], "description": "brute\u0000"}}, "events.1.rule.description"),
            ({**WAZUH, "k\u0000": 1}, "events.1.k\u0000"),
            ("CEF:0|a|b|1|100|x\u0000|5|", "events.1"),
        ):
            with self.subTest(place=place):
                body = {"events": [WAZUH, event]}
                response = self.client.post(self.url, body, content_type="application/json", **self.bearer())
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(place, response.json()["error"]["fields"])
        self.assertFalse(SecurityEvent.objects.exists())

    def test_no_token_no_entry(self):
        response = self.client.post(self.url, {"events": [WAZUH]}, content_type="application/json")
        self.assertIn(response.status_code, (401, 403))
        self.assertFalse(SecurityEvent.objects.exists())

    def test_refusals_are_on_metrics(self):
        services.rejection_count(reason="oversized", channel="syslog", sample="x", n=3)
        with override_settings(METRICS_ALLOWED_CIDRS=["127.0.0.0/8"]):
            text = self.client.get(reverse("web:metrics"), REMOTE_ADDR="127.0.0.1").content.decode()
        self.assertIn('ioc_cyber_events_rejected_total{channel="syslog",reason="oversized"} 3.0', text)


class RulesTest(Personas, TestCase):
    def test_a_rule_raises_once_over_its_threshold_and_resolves_after_a_quiet_window(self):
        services.event_rule_set(
            actor=self.admin,
            code="ssh",
            name="Dò mật khẩu SSH",
            rule_prefix="syslog:sshd",
            min_severity=3,
            threshold=3,
            window_minutes=10,
        )
        sources = SourceMap()
        services.event_source_set(actor=self.admin, name="Tường lửa", address="10.9.0.1", agency=self.agency_a)
        now = timezone.now()

        def lines(a: int, b: int) -> list[tuple[bytes, str]]:
            return [(f"<34>1 {now.isoformat()} web01 sshd - - - fail {n}".encode(), "10.9.0.1") for n in range(a, b)]

        syslog_batch(lines=lines(0, 2), sources=sources, actor=self.system_account)
        self.assertFalse(Alert.objects.filter(source="cybersecurity").exists())
        syslog_batch(lines=lines(2, 6), sources=sources, actor=self.system_account)
        alert = Alert.objects.get(source="cybersecurity", dedup_key="web01:ssh")
        self.assertEqual((alert.kind, alert.state), ("cyber.event", AlertState.NEW))
        self.assertEqual(services.event_rules_sweep(actor=self.system_account), 0)
        later = timezone.now() + dt.timedelta(minutes=11)
        self.assertEqual(services.event_rules_sweep(actor=self.system_account, now=later), 1)
        alert.refresh_from_db()
        self.assertEqual(alert.state, AlertState.RESOLVED)

    def test_a_watched_assets_host_raises_that_assets_alert_and_resolves_it_after_a_move(self):
        """R5.6: events naming a watched asset's host are that asset's alert (`<asset>:<rule>`, as its checks), and
        the sweep resolves it by the key it was raised with, even after the asset's address changed."""
        services.event_rule_set(
            actor=self.admin, code="ssh", name="Dò mật khẩu SSH", rule_prefix="syslog:sshd", min_severity=3
        )
        asset = services.asset_create(
            actor=self.admin,
            code="cong-dvc",
            name="Cổng dịch vụ công",
            kind="portal",
            agency=self.agency_a,
            url="https://DichVuCong.hy.gov.vn:8443/trang-chu",
        )
        services.event_source_set(actor=self.admin, name="Tường lửa", address="10.9.0.1", agency=self.agency_a)
        now = timezone.now()
        line = f"<34>1 {now.isoformat()} dichvucong.hy.gov.vn sshd - - - fail".encode()
        syslog_batch(lines=[(line, "10.9.0.1")], sources=SourceMap(), actor=self.system_account)
        alert = Alert.objects.get(source="cybersecurity", kind="cyber.event")
        self.assertEqual(alert.dedup_key, "cong-dvc:ssh")
        self.assertEqual(alert.payload["asset"], "cong-dvc")
        self.assertIn("Cổng dịch vụ công", alert.title)
        services.asset_update(actor=self.admin, asset=asset, url="https://dvc-moi.hy.gov.vn/")
        # A match after the move, while the alert is open, stays on that alert (no second one nothing resolves).
        again = f"<34>1 {timezone.now().isoformat()} dichvucong.hy.gov.vn sshd - - - fail again".encode()
        syslog_batch(lines=[(again, "10.9.0.1")], sources=SourceMap(), actor=self.system_account)
        self.assertEqual(SecurityEvent.objects.filter(host="dichvucong.hy.gov.vn").count(), 2)  # judged, not a repeat
        self.assertEqual(Alert.objects.filter(source="cybersecurity", kind="cyber.event").count(), 1)
        later = timezone.now() + dt.timedelta(minutes=11)
        self.assertEqual(services.event_rules_sweep(actor=self.system_account, now=later), 1)
        alert.refresh_from_db()
        self.assertEqual(alert.state, AlertState.RESOLVED)

    def test_unregistered_senders_and_bad_lines_are_counted_never_stored(self):
        services.event_source_set(actor=self.admin, name="Máy chủ", address="10.9.0.2", agency=self.agency_b)
        batch = [(_line(1), "10.9.0.9"), (b"\xff\xfe", "10.9.0.2"), (b"garbage", "10.9.0.2"), (_line(2), "10.9.0.2")]
        result = syslog_batch(lines=batch, sources=SourceMap(), actor=self.system_account)
        self.assertEqual((result.stored, result.rejected), (1, 3))
        counts = dict(Rejection.objects.filter(channel="syslog").values_list("reason", "count"))
        self.assertEqual(counts, {"unregistered": 1, "encoding": 1, "malformed": 1})
        self.assertEqual(SecurityEvent.objects.get().agency_id, self.agency_b.pk)

    def test_old_events_are_purged(self):
        services.event_source_set(actor=self.admin, name="Máy chủ", address="10.9.0.2", agency=self.agency_b)
        syslog_batch(lines=[(_line(1), "10.9.0.2")], sources=SourceMap(), actor=self.system_account)
        self.assertEqual(services.events_purge(actor=self.system_account), 0)
        self.assertEqual(
            services.events_purge(actor=self.system_account, now=timezone.now() + dt.timedelta(days=9999)), 1
        )


class FramerTest(TestCase):
    def test_octet_counting_and_line_feeds_mixed_and_split(self):
        framer = Framer()
        stream = b"5 hello11 hello world<1>a b\nline two\n"
        frames = [f for i in range(0, len(stream), 3) for f in framer.feed(stream[i : i + 3])]
        self.assertEqual(frames, [b"hello", b"hello world", b"<1>a b", b"line two"])

    def test_oversized_frames_are_marked_and_skipped(self):
        framer = Framer()
        frames = framer.feed(b"70000 " + b"x" * 70000 + b"3 abc" + b"y" * 70000 + b"\nok\n")
        self.assertEqual(len(frames), 4)
        self.assertEqual(frames[1], b"abc")
        self.assertEqual(frames[3], b"ok")

    def test_a_run_of_empty_lines_is_skipped_without_recursion(self):
        # each empty line was one more nested call: 5,000 of them ended the connection's thread (RecursionError)
        self.assertEqual(Framer().feed(b"\r\n" * 5000 + b"ok\n" + b"\n" * 5000 + b"2 hi"), [b"ok", b"hi"])

    def test_an_empty_counted_frame_is_a_frame(self):
        self.assertEqual(Framer().feed(b"0 3 abc"), [b"", b"abc"])


class BufferTest(TestCase):
    def test_put_waits_while_the_buffer_is_full(self):
        buffer: Buffer[int] = Buffer(limit=2)
        buffer.put_many([1, 2])
        writer = threading.Thread(target=buffer.put_many, args=([3],), daemon=True)
        writer.start()
        writer.join(0.3)
        self.assertTrue(writer.is_alive())  # held back: a TCP reader stops reading, the sender slows down
        self.assertEqual(buffer.take(5, 0), [1, 2])
        writer.join(10)
        self.assertFalse(writer.is_alive())
        self.assertEqual(buffer.take(5, 0), [3])


class ListenerTest(TransactionTestCase):
    def test_udp_and_tcp_on_an_ephemeral_loopback_port(self):
        people = personas_create()
        self.system_account = people.system_account
        services.event_source_set(actor=people.admin, name="Loopback", address="127.0.0.1", agency=people.agency_a)
        sources = SourceMap()
        sources.refresh(force=True)
        flushed: list[int] = []

        def parse(lines: list[Line]) -> list[Parsed]:  # the command's wiring: parsed in the network threads
            return syslog_parse(lines, sources=sources)

        def flush(items: list[Parsed]) -> None:
            syslog_store(items=items, actor=self.system_account)
            flushed.append(len(items))

        listener = Listener(host="127.0.0.1", port=0, parse=parse, flush=flush).start()
        try:
            send_udp("127.0.0.1", listener.port, _line(1, "udp-host"))
            with socket.create_connection(("127.0.0.1", listener.port)) as sock:
                for n in range(2, 52):
                    frame = _line(n, "tcp-host")
                    sock.sendall(str(len(frame)).encode() + b" " + frame if n % 2 else frame + b"\n")
            deadline = time.monotonic() + 10
            # Wait on the listener's own count, not on the table: the test database is SQLite in shared-cache
            # memory, where a read beside the listener thread's write fails with "table is locked".
            while sum(flushed) < 51 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            listener.stop()
        self.assertEqual(SecurityEvent.objects.filter(host="tcp-host").count(), 50)
        self.assertEqual(SecurityEvent.objects.filter(host="udp-host").count(), 1)


class LockoutTest(Personas, TestCase):
    def test_an_ioc_lockout_is_a_security_event(self):
        from axes.signals import user_locked_out

        user_locked_out.send(sender=self.__class__, request=None, username="persona-operator", ip_address="10.1.1.1")
        event = SecurityEvent.objects.get(rule="ioc:lockout")
        self.assertEqual((event.format, event.host), ("ioc", "10.1.1.1"))
        self.assertIn("persona-operator", event.message)

    def test_a_refused_bearer_token_is_a_security_event_without_its_secret(self):
        secret = "ioc_abcdefghij_" + "s" * 32  # well formed, unknown
        response = self.client.post(
            "/api/v1/cybersecurity/events/", [], content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        self.assertEqual(response.status_code, 401)
        event = SecurityEvent.objects.get(rule="ioc:token_refused")
        self.assertEqual((event.format, event.host), ("ioc", "127.0.0.1"))
        self.assertIn("/api/v1/cybersecurity/events/", event.message)
        self.assertIn("[abcdefghij]", event.message)  # the public prefix names the token, never its secret
        self.assertNotIn("s" * 32, event.message)
