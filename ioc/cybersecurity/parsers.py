"""R5.6: security events in, normalised: syslog (RFC 5424 and RFC 3164), CEF (alone or inside syslog), Wazuh alert
JSON and Suricata EVE. Each parser returns a `Draft` or raises `Refused(reason, field, message)`; none crashes on
any input (hypothesis tests feed them garbage)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from ioc.cybersecurity.choices import MAX_EVENT_BYTES, EventFormat, RejectReason

MESSAGE_MAX = 2000


class Refused(Exception):
    """An event not accepted: its reason (RejectReason), the field at fault and a message naming it."""

    def __init__(self, reason: str, field: str, message: str) -> None:
        super().__init__(message)
        self.reason, self.field, self.message = reason, field, message


@dataclass(frozen=True)
class Draft:
    """One normalised event before it is stored (R5.6: time, source, host, rule, severity, agency)."""

    occurred_at: dt.datetime
    format: str
    source: str
    host: str
    rule: str
    severity: int
    message: str
    agency_id: int | None = None

    @functools.cached_property
    def digest(self) -> str:  # cached: the batch writer reads it three times
        key = "\x1f".join((self.format, self.source, self.host, self.rule, self.occurred_at.isoformat(), self.message))
        return hashlib.sha256(key.encode()).hexdigest()


def _ascii_digits(value: str) -> bool:
    """0–9 only: `str.isdigit()` also takes "²" or "٣", which `int()` refuses (found by hypothesis)."""
    return value.isascii() and value.isdigit()


def _cut(text: str, n: int) -> str:
    return text[:n]


def decode_line(raw: bytes) -> str:
    """Bytes of one line → text; oversized and invalid UTF-8 are refused by name."""
    if len(raw) > MAX_EVENT_BYTES:
        raise Refused(RejectReason.OVERSIZED, "line", f"Dòng dài {len(raw)} byte > {MAX_EVENT_BYTES} / Line too long")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(RejectReason.ENCODING, "line", f"Không phải UTF-8 / Invalid UTF-8 at byte {exc.start}") from exc
    return text.removeprefix("\ufeff").rstrip("\r\n\x00")


# --- syslog -------------------------------------------------------------------------------------------------------

_PRI = re.compile(r"<(\d{1,3})>")
_RFC5424 = re.compile(r"1 (\S+) (\S+) (\S+) (\S+) (\S+) ")
_RFC3164 = re.compile(r"([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) ")
_TAG = re.compile(r"([^:\[\s]{1,48})(?:\[[^\]]*\])?: ?")
_MONTHS = {
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
_SYSLOG_SEVERITY = {0: 5, 1: 5, 2: 5, 3: 4, 4: 3, 5: 2, 6: 1, 7: 1}


def parse_syslog(text: str, *, source: str, received_at: dt.datetime) -> Draft:
    """One syslog message (5424 or 3164); a CEF payload inside is parsed as CEF with the syslog host."""
    match = _PRI.match(text)
    if match is None or int(match.group(1)) > 191:
        raise Refused(RejectReason.MALFORMED, "pri", "Thiếu hoặc sai <PRI> / Missing or invalid <PRI>")
    severity = _SYSLOG_SEVERITY[int(match.group(1)) % 8]
    rest = text[match.end() :]
    if rest.startswith("1 "):
        host, app, when, message = _rfc5424(rest, received_at)
    else:
        host, app, when, message = _rfc3164(rest, received_at)
    if message.startswith("CEF:"):
        return parse_cef(message, source=source, host=host, received_at=when)
    return Draft(
        when,
        EventFormat.SYSLOG,
        source,
        _cut(host, 255),
        _cut("syslog:" + app, 200),
        severity,
        _cut(message, MESSAGE_MAX),
    )


def _rfc5424(rest: str, received_at: dt.datetime) -> tuple[str, str, dt.datetime, str]:
    match = _RFC5424.match(rest)
    if match is None:
        raise Refused(RejectReason.MALFORMED, "header", "Tiêu đề RFC 5424 không đúng / Invalid RFC 5424 header")
    stamp, host, app, _procid, _msgid = match.groups()
    when = received_at if stamp == "-" else _iso_time(stamp, "timestamp")
    body = _skip_structured_data(rest[match.end() :])
    return ("" if host == "-" else host), ("" if app == "-" else app), when, body.strip().removeprefix("\ufeff")


def _skip_structured_data(body: str) -> str:
    if body.startswith("-"):
        return body[1:]
    index, depth, escaped = 0, 0, False
    while index < len(body):
        char = body[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0 and (index + 1 == len(body) or body[index + 1] != "["):
                return body[index + 1 :]
        elif depth == 0:
            break
        index += 1
    if depth != 0 or not body.startswith("["):
        raise Refused(RejectReason.MALFORMED, "structured_data", "Dữ liệu có cấu trúc sai / Invalid STRUCTURED-DATA")
    return body[index:]


def _rfc3164(rest: str, received_at: dt.datetime) -> tuple[str, str, dt.datetime, str]:
    match = _RFC3164.match(rest)
    if match is None or match.group(1) not in _MONTHS:
        raise Refused(RejectReason.MALFORMED, "header", "Tiêu đề RFC 3164 không đúng / Invalid RFC 3164 header")
    month, day, hour, minute, second, host = match.groups()
    zone = ZoneInfo(settings.TIME_ZONE)
    local = received_at.astimezone(zone)
    try:
        when = dt.datetime(local.year, _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=zone)
    except ValueError as exc:
        raise Refused(RejectReason.MALFORMED, "timestamp", f"Thời điểm sai / Invalid time: {exc}") from exc
    if when - local > dt.timedelta(days=1):  # December's message read in January
        when = when.replace(year=when.year - 1)
    body = rest[match.end() :]
    tag = _TAG.match(body) if not body.startswith("CEF:") else None
    if tag is not None:
        return host, tag.group(1), when, body[tag.end() :].strip()
    return host, "", when, body.strip()


def _iso_time(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, str):
        raise Refused(RejectReason.SHAPE, field, "Thiếu thời điểm / Missing time")
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise Refused(RejectReason.MALFORMED, field, "Thời điểm không đúng ISO 8601 / Not an ISO 8601 time") from exc
    if when.tzinfo is None:
        raise Refused(RejectReason.MALFORMED, field, "Thời điểm thiếu múi giờ / Time without a zone")
    return when


# --- CEF ----------------------------------------------------------------------------------------------------------

_CEF_SEVERITY_WORDS = {"low": 2, "medium": 3, "high": 4, "very-high": 5, "very high": 5, "unknown": 1}
_EXT_KEY = re.compile(r"(?:^|\s)([A-Za-z0-9_.\[\]-]+)=")


def _cef_header(text: str) -> list[str]:
    fields: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text) and len(fields) < 7:
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "|\\":
            current.append(text[index + 1])
            index += 2
            continue
        if char == "|":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    if len(fields) < 7:
        raise Refused(RejectReason.MALFORMED, "header", "CEF cần 7 trường tiêu đề / CEF needs 7 header fields")
    fields.append(text[index:])
    return fields


def cef_extension(text: str) -> dict[str, str]:
    """`key=value` pairs; a value runs to the next key, `\\=` and `\\\\` unescaped."""
    keys = list(_EXT_KEY.finditer(text))
    pairs: dict[str, str] = {}
    for n, key in enumerate(keys):
        end = keys[n + 1].start() if n + 1 < len(keys) else len(text)
        raw = text[key.end() : end].strip()
        pairs[key.group(1)] = raw.replace("\\=", "=").replace("\\n", "\n").replace("\\\\", "\\")
    return pairs


def _cef_severity(value: str) -> int:
    value = value.strip().lower()
    if value in _CEF_SEVERITY_WORDS:
        return _CEF_SEVERITY_WORDS[value]
    if not _ascii_digits(value) or int(value) > 10:
        raise Refused(RejectReason.MALFORMED, "severity", "Mức độ CEF phải là 0–10 / CEF severity must be 0–10")
    level = int(value)
    return 2 if level <= 3 else 3 if level <= 6 else 4 if level <= 8 else 5


def parse_cef(text: str, *, source: str, host: str = "", received_at: dt.datetime) -> Draft:
    """`CEF:0|vendor|product|version|signature|name|severity|extension`."""
    if not text.startswith("CEF:"):
        raise Refused(RejectReason.MALFORMED, "header", "Không bắt đầu bằng CEF: / Does not start with CEF:")
    _version, vendor, product, _dv, signature, name, severity, ext = _cef_header(text[4:])
    pairs = cef_extension(ext)
    when = _cef_time(pairs.get("rt", ""), received_at)
    where = pairs.get("dvchost") or pairs.get("dhost") or host
    rule = _cut(f"cef:{vendor}/{product}:{signature}", 200)
    message = name + (f" ({pairs['msg']})" if pairs.get("msg") else "")
    return Draft(
        when, EventFormat.CEF, source, _cut(where, 255), rule, _cef_severity(severity), _cut(message, MESSAGE_MAX)
    )


def _cef_time(value: str, fallback: dt.datetime) -> dt.datetime:
    if _ascii_digits(value) and len(value) >= 12:
        try:
            return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)
        except (OverflowError, ValueError, OSError) as exc:
            raise Refused(RejectReason.MALFORMED, "rt", "Thời điểm rt sai / Invalid rt") from exc
    return fallback


# --- Wazuh and Suricata EVE ---------------------------------------------------------------------------------------


def _dict(obj: Any, key: str) -> dict[str, Any]:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, dict):
        raise Refused(RejectReason.SHAPE, key, f"Thiếu đối tượng “{key}” / Missing object {key!r}")
    return value


def _int(obj: dict[str, Any], key: str, low: int, high: int, field: str) -> int:
    value = obj.get(key)
    if isinstance(value, str) and _ascii_digits(value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Refused(RejectReason.SHAPE, field, f"Cần số nguyên {low}–{high} / An integer {low}–{high} is required")
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def parse_wazuh(doc: Any, *, source: str) -> Draft:
    """A Wazuh alert (`alerts.json` line): timestamp, rule.level 0–15, rule.id, rule.description, agent.name."""
    rule = _dict(doc, "rule")
    level = _int(rule, "level", 0, 16, "rule.level")
    severity = 1 if level <= 3 else 2 if level <= 7 else 3 if level <= 11 else 4 if level <= 14 else 5
    agent = doc.get("agent") if isinstance(doc.get("agent"), dict) else {}
    rule_id = _text(rule.get("id"))
    if not rule_id:
        raise Refused(RejectReason.SHAPE, "rule.id", "Thiếu rule.id / Missing rule.id")
    return Draft(
        _iso_time(doc.get("timestamp"), "timestamp"),
        EventFormat.WAZUH,
        source,
        _cut(_text(agent.get("name") or agent.get("ip")), 255),
        _cut("wazuh:" + rule_id, 200),
        severity,
        _cut(_text(rule.get("description")) or _text(doc.get("full_log")), MESSAGE_MAX),
    )


def parse_eve(doc: Any, *, source: str) -> Draft:
    """A Suricata EVE `alert` record: timestamp, alert.signature_id, alert.signature, alert.severity 1–4."""
    if not isinstance(doc, dict) or doc.get("event_type") != "alert":
        raise Refused(RejectReason.SHAPE, "event_type", "Chỉ nhận event_type “alert” / Only alert records")
    alert = _dict(doc, "alert")
    level = _int(alert, "severity", 1, 4, "alert.severity")
    signature_id = _int(alert, "signature_id", 0, 2**53, "alert.signature_id")
    host = _text(doc.get("host") or doc.get("dest_ip"))
    message = "{} {}→{}".format(_text(alert.get("signature")), _text(doc.get("src_ip")), _text(doc.get("dest_ip")))
    return Draft(
        _iso_time(doc.get("timestamp"), "timestamp"),
        EventFormat.EVE,
        source,
        _cut(host, 255),
        f"suricata:{signature_id}",
        {1: 4, 2: 3, 3: 2, 4: 1}[level],
        _cut(message.strip(), MESSAGE_MAX),
    )


def parse_json_event(doc: Any, *, source: str) -> Draft:
    """Wazuh or EVE, told apart by their shape."""
    if isinstance(doc, dict) and "event_type" in doc:
        return parse_eve(doc, source=source)
    if isinstance(doc, dict) and "rule" in doc:
        return parse_wazuh(doc, source=source)
    raise Refused(RejectReason.SHAPE, "event", "Không phải cảnh báo Wazuh hay bản ghi EVE / Neither Wazuh nor EVE")
