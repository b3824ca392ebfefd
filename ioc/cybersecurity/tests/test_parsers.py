"""R5.6: the parsers of syslog (RFC 5424, 3164), CEF, Wazuh and Suricata EVE: known messages read right, and any
input (hypothesis) either parses or is refused with a reason; none raises anything else."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from ioc.cybersecurity import parsers
from ioc.cybersecurity.choices import RejectReason

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def _either(call, *args, **kwargs):
    try:
        draft = call(*args, **kwargs)
    except parsers.Refused as exc:
        assert exc.reason in RejectReason.values, exc.reason
        assert exc.field and exc.message
        return None
    assert isinstance(draft, parsers.Draft)
    assert 1 <= draft.severity <= 5 and draft.occurred_at.tzinfo is not None
    assert len(draft.message) <= parsers.MESSAGE_MAX and len(draft.rule) <= 200 and len(draft.host) <= 255
    return draft


class KnownMessagesTest(SimpleTestCase):
    def test_rfc5424_with_structured_data(self):
        text = '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 [a@1 x="1\\]"][b@2 y="2"] su failed'
        draft = parsers.parse_syslog(text, source="s", received_at=NOW)
        self.assertEqual((draft.host, draft.rule, draft.severity), ("mymachine.example.com", "syslog:su", 5))
        self.assertEqual(draft.message, "su failed")
        self.assertEqual(draft.occurred_at, dt.datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=dt.UTC))

    def test_rfc3164_takes_the_year_and_zone_of_its_arrival(self):
        draft = parsers.parse_syslog("<86>Feb 28 23:59:01 web01 sshd[42]: Failed password", source="s", received_at=NOW)
        self.assertEqual(
            (draft.host, draft.rule, draft.severity, draft.message), ("web01", "syslog:sshd", 1, "Failed password")
        )
        self.assertEqual(draft.occurred_at.isoformat(), "2026-02-28T23:59:01+07:00")
        december = parsers.parse_syslog("<86>Dec 31 23:00:00 h t: x", source="s", received_at=NOW)
        self.assertEqual(december.occurred_at.year, 2025)

    def test_cef_inside_syslog_takes_the_device_host(self):
        text = (
            r"<13>Jan  5 01:02:03 fw CEF:0|Forti\|net|FortiGate|7.0|123|Port scan|8|src=1.2.3.4 dvchost=fw1 msg=a b\=c"
        )
        draft = parsers.parse_syslog(text, source="s", received_at=NOW)
        self.assertEqual(
            (draft.format, draft.host, draft.rule, draft.severity), ("cef", "fw1", "cef:Forti|net/FortiGate:123", 4)
        )
        self.assertEqual(draft.message, "Port scan (a b=c)")

    def test_wazuh_and_eve(self):
        wazuh = {
            "timestamp": "2026-01-01T00:00:00.000+0700",
            "rule": {"level": 12, "id": "5712", "description": "brute force"},
            "agent": {"name": "web01"},
        }
        draft = parsers.parse_json_event(wazuh, source="s")
        self.assertEqual((draft.format, draft.host, draft.rule, draft.severity), ("wazuh", "web01", "wazuh:5712", 4))
        eve = {
            "timestamp": "2026-01-01T00:00:00.000000+0000",
            "event_type": "alert",
            "src_ip": "1.2.3.4",
            "dest_ip": "10.0.0.1",
            "alert": {"signature_id": 2001, "signature": "ET SCAN", "severity": 1},
        }
        draft = parsers.parse_json_event(eve, source="s")
        self.assertEqual((draft.format, draft.rule, draft.severity), ("eve", "suricata:2001", 4))

    def test_refusals_name_their_field(self):
        cases = [
            (lambda: parsers.parse_syslog("no pri", source="s", received_at=NOW), "pri"),
            (lambda: parsers.parse_syslog("<999>x", source="s", received_at=NOW), "pri"),
            (lambda: parsers.parse_cef("CEF:0|a|b", source="s", received_at=NOW), "header"),
            (lambda: parsers.parse_cef("CEF:0|a|b|c|d|e|11|", source="s", received_at=NOW), "severity"),
            (lambda: parsers.parse_json_event({"rule": {"level": 99}}, source="s"), "rule.level"),
            (lambda: parsers.parse_json_event({"event_type": "dns"}, source="s"), "event_type"),
            (lambda: parsers.parse_json_event([1], source="s"), "event"),
            (lambda: parsers.decode_line(b"\xff\xfe"), "line"),
            (lambda: parsers.decode_line(b"x" * 70_000), "line"),
        ]
        for call, field in cases:
            with self.subTest(field=field), self.assertRaises(parsers.Refused) as caught:
                call()
            self.assertEqual(caught.exception.field, field)


class AnyInputTest(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=300))
    def test_syslog_bytes(self, raw):
        try:
            text = parsers.decode_line(raw)
        except parsers.Refused:
            return
        _either(parsers.parse_syslog, text, source="s", received_at=NOW)

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(r"<\d{1,3}>(1 )?[ -~]{0,80}", fullmatch=True))
    def test_syslog_shaped_text(self, text):
        _either(parsers.parse_syslog, text, source="s", received_at=NOW)

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), min_size=0, max_size=9).map(
            lambda parts: "CEF:" + "|".join(parts)
        )
    )
    def test_cef(self, text):
        _either(parsers.parse_cef, text, source="s", received_at=NOW)

    def test_cef_severity_in_digits_int_refuses(self):
        # found by hypothesis: "²".isdigit() is true, int("²") raises; a refusal, never a crash
        for severity in ("²", "٣", "10", "11"):
            _either(parsers.parse_cef, f"CEF:0|V|P|1|100|Tên|{severity}|src=1.2.3.4", source="s", received_at=NOW)
        self.assertIsNone(_either(parsers.parse_cef, "CEF:0|V|P|1|100|Tên|²|src=1.2.3.4", source="s", received_at=NOW))

    @settings(max_examples=300, deadline=None)
    @given(JSON)
    def test_json(self, doc):
        _either(parsers.parse_json_event, doc, source="s")

    @settings(max_examples=200, deadline=None)
    @given(st.fixed_dictionaries({"timestamp": st.text(max_size=30) | st.none(), "rule": JSON, "agent": JSON}))
    def test_wazuh_shaped(self, doc):
        _either(parsers.parse_json_event, doc, source="s")

    @settings(max_examples=200, deadline=None)
    @given(
        st.fixed_dictionaries(
            {
                "timestamp": st.text(max_size=30),
                "event_type": st.just("alert"),
                "alert": st.dictionaries(st.sampled_from(["severity", "signature_id", "signature"]), JSON, max_size=3),
            }
        )
    )
    def test_eve_shaped(self, doc):
        _either(parsers.parse_json_event, doc, source="s")
