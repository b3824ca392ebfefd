"""The load mix as a registry (issue 16): every domain's write paths and its public responses.

A domain that lands later adds its entry here (CONVENTIONS.md, "A new domain"): a `Domain` with

- `prepare(world)`: in-process, Django set up on the harness's database, after the shared world (`world_base`):
  creates what its writes need (through the services) and returns JSON values the senders read (ids, codes);
- `writes`: `WritePath`s, each a `send(target, n)` making ONE request (HTTP, or an MQTT QoS 1 publish) numbered
  `n` and returning an `Expect` when the write was acknowledged (2xx, PUBACK), None when it was not;
- `check(expect)`: in-process again after the run: "" when the acknowledged write is present and complete,
  otherwise what is wrong (counted as lost); `doubled(expect)`: how many extra copies of it exist;
- `public`: the paths whose anonymous responses the personal-data crawl reads (no canary contact may show);
  `{key}` in a path stands for an acknowledged write's key (a tracking code, say).

The crash harness (bench/load/crash.py) drives the mix; the scale-out run drives the same mix.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CANARY_DOMAIN = "canary.invalid"
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # observations of the run: T0 + n seconds, one stream per transport


@dataclass(frozen=True)
class Expect:
    """What an acknowledged write must have left: its write path, a key and the expected row."""

    kind: str
    key: str
    row: dict[str, Any]


@dataclass
class Target:
    """Where the senders write: the web server, the MQTT publisher (None without a broker) and the world."""

    base: str
    world: dict[str, Any]
    mqtt: Any = None
    timeout: float = 15.0

    def call(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, Any] | None:
        """One request; (status, parsed JSON or None), or None when there was no answer at all."""
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {self.world['token']}"}
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return answer.status, _json(answer.read())
        except urllib.error.HTTPError as error:
            try:
                return error.code, _json(error.read())
            except (OSError, http.client.HTTPException):
                return None
        # Refused, reset, timed out, truncated (a server killed mid-answer: IncompleteRead is no OSError, and it
        # ended a sender thread): not acknowledged.
        except (OSError, ValueError, http.client.HTTPException):
            return None

    def post_json(self, path: str, payload: Any) -> tuple[int, Any] | None:
        return self.call("POST", path, json.dumps(payload).encode(), "application/json")


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


# --- what several domains' entries share ------------------------------------------------------------------------------


def _nothing(world: dict[str, Any]) -> dict[str, Any]:
    """`prepare` of a domain whose writes need nothing beyond the shared world."""
    return {}


def _one_row_acknowledged(answer: tuple[int, Any] | None) -> bool:
    """A batch API (events, items) acknowledged the one row sent: 200, and it was imported or, a retry of a row
    already stored, ignored."""
    if answer is None or answer[0] != 200 or not isinstance(answer[1], dict):
        return False
    return bool(answer[1].get("imported", 0) + answer[1].get("ignored", 0) == 1)


def _rows(label: str, **lookup: Any) -> Any:
    """The rows of model `app_label.Model` matching `lookup` (models are read only in-process, after the run)."""
    from django.apps import apps

    return apps.get_model(label).objects.filter(**lookup)


def _row_check(label: str, what: str, lookup: dict[str, Any], **expected: Any) -> str:
    """ "" when one row matches `lookup` and holds the `expected` values, else what is wrong."""
    row = _rows(label, **lookup).first()
    if row is None:
        return f"no {what}"
    wrong = {name: getattr(row, name) for name, value in expected.items() if getattr(row, name) != value}
    return "" if not wrong else f"{what} {wrong}"


def _extra_rows(label: str, **lookup: Any) -> int:
    """How many more rows than one match `lookup` (a write stored twice)."""
    return max(0, int(_rows(label, **lookup).count()) - 1)


@dataclass(frozen=True)
class WritePath:
    name: str
    weight: int
    send: Callable[[Target, int], Expect | None]
    transport: str = "http"


@dataclass(frozen=True)
class Domain:
    name: str
    prepare: Callable[[dict[str, Any]], dict[str, Any]]
    writes: tuple[WritePath, ...]
    check: Callable[[Expect], str]
    doubled: Callable[[Expect], int]
    public: tuple[str, ...] = field(default_factory=tuple)


DOMAINS: list[Domain] = []


def register(domain: Domain) -> Domain:
    DOMAINS.append(domain)
    return domain


def domain_of(kind: str) -> Domain:
    return next(d for d in DOMAINS if any(w.name == kind for w in d.writes))


def public_paths(keys: dict[str, list[str]] | None = None) -> list[str]:
    """Every registered public response (the personal-data crawl reads them anonymously); a path with `{key}` once
    per key given for its domain (`keys`: domain name → keys of acknowledged writes)."""
    found: list[str] = []
    for domain in DOMAINS:
        for path in domain.public:
            if "{key}" in path:
                found += [path.format(key=key) for key in (keys or {}).get(domain.name, [])]
            else:
                found.append(path)
    return found


# --- the shared world ----------------------------------------------------------------------------------------------

COMMUNE = "11953"  # a commune of the test subset (ioc.geo.testing.SUBSET), inside province 33


def world_base() -> dict[str, Any]:
    """The test subset of units, province 33 as the territory, the personas and their all-scopes token."""
    from django.conf import settings
    from shapely import from_geojson

    from ioc.accounts.testing import personas_create, system_actor
    from ioc.geo.models import AdminUnit
    from ioc.geo.services import territory_set
    from ioc.geo.testing import load_subset

    load_subset(actor=system_actor())
    territory_set(
        actor=system_actor(), profile=settings.IOC_PROFILE, name="Tỉnh Hưng Yên", root_code="33", act_date=T0.date()
    )
    people = personas_create()
    point = from_geojson(AdminUnit.objects.get(hierarchy="2025", code=COMMUNE).geometry).representative_point()
    return {
        "token": people.system_token,
        "agency_a": people.agency_a.pk,
        "system_user": people.system_user.pk,
        "lat": point.y,
        "lon": point.x,
    }


# --- citizen reports (Open311 POST; the receipt e-mail is the outbox work) -------------------------------------------


def _reports_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.testing import system_actor
    from ioc.agencies.models import Agency
    from ioc.citizen_reports import services

    category = services.category_create(
        actor=system_actor(),
        code="crash-road",
        name="Đường hư hỏng, ổ gà",
        group="Hạ tầng giao thông",
        default_agency=Agency.objects.get(pk=world["agency_a"]),
        evidence_photo_required=False,
    )
    return {"report_category": category.code}


def _report_send(target: Target, n: int) -> Expect | None:
    world = target.world
    marker = f"[tải {n}]"
    email = f"crash{n}@{CANARY_DOMAIN}"
    form = {
        "api_key": world["token"],
        "service_code": world["report_category"],
        "lat": world["lat"],
        "long": world["lon"],
        "description": f"Ổ gà lớn giữa đường, xe máy đi qua rất nguy hiểm {marker}",
        "email": email,
    }
    body = urllib.parse.urlencode(form).encode()
    answer = target.call("POST", "/open311/v2/requests.json", body, "application/x-www-form-urlencoded")
    if answer is None or answer[0] != 200 or not isinstance(answer[1], list):
        return None
    code = answer[1][0]["service_request_id"]
    return Expect("citizen_reports.open311", code, {"marker": marker, "email": email})


def _report_check(expect: Expect) -> str:
    from ioc.citizen_reports.models import Report, ReporterContact
    from ioc.citizen_reports.privacy import decrypt

    report = Report.objects.filter(tracking_code=expect.key).first()
    if report is None:
        return "no report"
    if expect.row["marker"] not in report.description or report.channel != "open311" or report.unit_id is None:
        return f"report incomplete: {report.description!r} {report.channel} {report.unit_id}"
    contact = ReporterContact.objects.filter(report=report).first()
    if contact is None or decrypt(contact.email_encrypted) != expect.row["email"]:
        return "contact missing"
    return ""


register(
    Domain(
        name="citizen_reports",
        prepare=_reports_prepare,
        writes=(WritePath("citizen_reports.open311", 4, _report_send),),
        check=_report_check,
        doubled=lambda expect: _extra_rows("citizen_reports.Report", description__endswith=expect.row["marker"]),
        public=(
            "/open311/v2/requests.json",
            "/open311/v2/services.json",
            "/open311/v2/requests/{key}.json",
            "/phan-anh/tra-cuu/{key}/",
            "/phan-anh/cong-khai/",
            "/phan-anh/ban-do/du-lieu.geojson",
        ),
    )
)


# --- sensors (CreateObservations over HTTP; QoS 1 publishes through the MQTT bridge) -------------------------------

ROWS_PER_REQUEST = 5


def _stream(world: dict[str, Any], name: str) -> int:
    from ioc.accounts.models import User
    from ioc.sensors.drafts import parse_draft
    from ioc.sensors.models import Datastream
    from ioc.sensors.selectors import viewer_for
    from ioc.sensors.services import entity_create

    user = User.objects.get(pk=world["system_user"])
    body = {
        "name": name,
        "description": f"Trạm {name}",
        "Locations": [
            {
                "name": f"Vị trí {name}",
                "description": "Cột đo",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [world["lon"], world["lat"]]},
            }
        ],
        "Datastreams": [
            {
                "name": f"Mực nước {name}",
                "description": "Mực nước sông",
                "unitOfMeasurement": {"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"},
                "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                "Sensor": {"name": f"S {name}", "description": "radar", "encodingType": "text/html", "metadata": "x"},
                "ObservedProperty": {"name": f"P {name}", "definition": "http://example.org/h", "description": "h"},
            }
        ],
    }
    entity_create(actor=user, agency_id=world["agency_a"], viewer=viewer_for(user), draft=parse_draft("Things", body))
    return int(Datastream.objects.get(name=f"Mực nước {name}").pk)


def _sensors_prepare(world: dict[str, Any]) -> dict[str, Any]:
    return {"http_stream": _stream(world, "crash-http"), "mqtt_stream": _stream(world, "crash-mqtt")}


def _stamp(seconds: int) -> str:
    return (T0 + dt.timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def _observations_send(target: Target, n: int) -> Expect | None:
    first = n * ROWS_PER_REQUEST
    rows = [[_stamp(first + i), first + i] for i in range(ROWS_PER_REQUEST)]
    batch = {"Datastream": {"@iot.id": target.world["http_stream"]}, "components": ["phenomenonTime", "result"]}
    answer = target.post_json("/sta/v1.1/CreateObservations", [{**batch, "dataArray": rows}])
    if answer is None or answer[0] != 201:
        return None
    return Expect("sensors.create_observations", f"http:{n}", {"stream": target.world["http_stream"], "first": first})


def _mqtt_send(target: Target, n: int) -> Expect | None:
    if target.mqtt is None:
        return None
    topic = f"v1.1/Datastreams({target.world['mqtt_stream']})/Observations"
    payload = json.dumps({"phenomenonTime": _stamp(n), "result": n})
    info = target.mqtt.publish(topic, payload, qos=1)
    try:
        info.wait_for_publish(5)
    except (RuntimeError, ValueError):
        return None
    if not info.is_published():
        return None
    return Expect("sensors.mqtt", f"mqtt:{n}", {"stream": target.world["mqtt_stream"], "first": n, "rows": 1})


def _observation_counts(expect: Expect) -> dict[Any, list[Any]]:
    from ioc.sensors.models import Observation

    rows = expect.row.get("rows", ROWS_PER_REQUEST)
    first = expect.row["first"]
    times = [T0 + dt.timedelta(seconds=first + i) for i in range(rows)]
    found: dict[Any, list[Any]] = {t: [] for t in times}
    stored = Observation.objects.filter(datastream_id=expect.row["stream"], phenomenon_time__in=times)
    for when, result in stored.values_list("phenomenon_time", "result"):
        found[when].append(result)
    return found


def _observations_check(expect: Expect) -> str:
    found = _observation_counts(expect)
    first = expect.row["first"]
    for i, (when, results) in enumerate(sorted(found.items())):
        if not results:
            return f"no observation at {when.isoformat()}"
        if any(r != first + i for r in results):
            return f"observation at {when.isoformat()} holds {results}"
    return ""


def _observations_doubled(expect: Expect) -> int:
    return sum(max(0, len(results) - 1) for results in _observation_counts(expect).values())


register(
    Domain(
        name="sensors",
        prepare=_sensors_prepare,
        writes=(
            WritePath("sensors.create_observations", 3, _observations_send),
            WritePath("sensors.mqtt", 3, _mqtt_send, transport="mqtt"),
        ),
        check=_observations_check,
        doubled=_observations_doubled,
        public=("/sta/v1.1/Things", "/sta/v1.1/Datastreams", "/sta/v1.1/Observations"),
    )
)


# --- data hub (small pushes stored at once; large ones as durable ingest jobs) ---------------------------------------

LARGE_EVERY = 5  # every 5th push is over the synchronous limit: a 202 and an IngestJob row


def _datahub_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.testing import system_actor
    from ioc.agencies.models import Agency
    from ioc.datahub.choices import SYNC_ROW_LIMIT
    from ioc.datahub.testing import dataset_make, revenue_schema

    owner = Agency.objects.get(pk=world["agency_a"])
    dataset_make(actor=system_actor(), owner=owner, code="test", schema=revenue_schema(), name="Thu ngân sách")
    return {"dataset": "test", "large_rows": SYNC_ROW_LIMIT + 1}


def _push_send(target: Target, n: int) -> Expect | None:
    """Small pushes write keys of their own (three days each from 1900); large ones all update the same 5,001
    keys from 2000 with new values, so every row of each is a new version written by that job."""
    large = n % LARGE_EVERY == LARGE_EVERY - 1
    size = target.world["large_rows"] if large else 3
    start = dt.date(2000, 1, 1) if large else dt.date(1900, 1, 1) + dt.timedelta(days=n * 3)
    rows = [
        {"ma_xa": COMMUNE, "ky": (start + dt.timedelta(days=i)).strftime("%Y%m%d"), "thu_ngan_sach": n * 10 + i}
        for i in range(size)
    ]
    answer = target.post_json(f"/api/v1/datahub/datasets/{target.world['dataset']}/submissions/", {"rows": rows})
    if answer is None or answer[0] not in (201, 202) or not isinstance(answer[1], dict):
        return None
    row: dict[str, Any] = {"rows": size, "periods": [rows[0]["ky"], rows[-1]["ky"]]}
    if answer[0] == 202:
        return Expect("datahub.push", f"job:{answer[1]['id']}", {**row, "job": answer[1]["id"]})
    submission = answer[1]["submission"]["id"]
    return Expect("datahub.push", f"submission:{submission}", {**row, "submission": submission})


def _push_check(expect: Expect) -> str:
    from ioc.datahub.models import IngestJob, Record, Submission

    submission_id: int = expect.row.get("submission", 0)
    if "job" in expect.row:
        job = IngestJob.objects.filter(pk=expect.row["job"]).first()
        if job is None:
            return "no ingest job"
        if job.state != "done" or job.submission_id is None:
            return f"ingest job {job.state} ({job.attempts} attempts): {job.last_error[:200]}"
        submission_id = job.submission_id
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return "no submission"
    records = Record.objects.filter(submission=submission).count()
    written = submission.rows_imported + submission.rows_updated
    if (written, records) != (expect.row["rows"], expect.row["rows"]):
        return f"{written} rows written, {records} records of {expect.row['rows']}"
    return ""


def _push_doubled(expect: Expect) -> int:
    """Extra submissions of this push: a small push's keys stored by two submissions, or a job imported twice
    (a large submission no job names, received after this job was queued and before the next one)."""
    from ioc.datahub.models import IngestJob, Submission

    if "job" not in expect.row:
        first, last = expect.row["periods"]
        owners = Submission.objects.filter(records__period__gte=first, records__period__lte=last).distinct()
        return max(0, owners.count() - 1)
    queued = list(IngestJob.objects.order_by("created_at").values_list("pk", "created_at"))
    mine = next(i for i, (pk, _at) in enumerate(queued) if pk == expect.row["job"])
    orphans = Submission.objects.filter(
        rows_total=expect.row["rows"], job__isnull=True, received_at__gte=queued[mine][1]
    )
    if mine + 1 < len(queued):
        orphans = orphans.filter(received_at__lt=queued[mine + 1][1])
    return orphans.count()


register(
    Domain(
        name="datahub",
        prepare=_datahub_prepare,
        writes=(WritePath("datahub.push", 2, _push_send),),
        check=_push_check,
        doubled=_push_doubled,
        public=(),  # no anonymous page yet
    )
)


# --- incidents (alerts from information systems) ----------------------------------------------------------------------


def _alert_send(target: Target, n: int) -> Expect | None:
    body = {
        "source": "sensors",
        "dedup_key": f"crash-{n}",
        "kind": "env.flood_level",
        "severity": 2,
        "title": f"Mực nước trạm {n} vượt báo động 1",
        "unit": COMMUNE,
        "payload": {"level_cm": n},
    }
    answer = target.post_json("/api/v1/incidents/alerts/", body)
    if answer is None or answer[0] != 201:
        return None
    return Expect("incidents.alert", f"crash-{n}", {"level_cm": n})


def _alert_check(expect: Expect) -> str:
    from ioc.incidents.models import Alert

    alert = Alert.objects.filter(dedup_key=expect.key).first()
    if alert is None:
        return "no alert"
    if alert.payload != {"level_cm": expect.row["level_cm"]} or alert.count != 1:
        return f"alert payload {alert.payload}, count {alert.count}"
    return ""


register(
    Domain(
        name="incidents",
        prepare=_nothing,
        writes=(WritePath("incidents.alert", 2, _alert_send),),
        check=_alert_check,
        doubled=lambda expect: _extra_rows("incidents.Alert", dedup_key=expect.key),
        public=(),
    )
)


# --- cybersecurity (security events from a SIEM, issue 21) ------------------------------------------------------------


def _cyber_send(target: Target, n: int) -> Expect | None:
    event = {
        "timestamp": (T0 + dt.timedelta(seconds=n)).isoformat(),
        "rule": {"level": 5, "id": f"crash-{n}", "description": f"Sự kiện thử {n}"},
        "agent": {"name": "crash-host"},
    }
    if not _one_row_acknowledged(target.post_json("/api/v1/cybersecurity/events/", {"events": [event]})):
        return None
    return Expect("cybersecurity.event", f"wazuh:crash-{n}", {"message": f"Sự kiện thử {n}"})


register(
    Domain(
        name="cybersecurity",
        prepare=_nothing,
        writes=(WritePath("cybersecurity.event", 1, _cyber_send),),
        check=lambda expect: _row_check(
            "cybersecurity.SecurityEvent", "event", {"rule": expect.key}, message=expect.row["message"]
        ),
        doubled=lambda expect: _extra_rows("cybersecurity.SecurityEvent", rule=expect.key),
        public=(),
    )
)


# --- indicators (DHIS2 dataValueSets) ---------------------------------------------------------------------------------


def _indicators_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.models import User
    from ioc.indicators import services

    leader = User.objects.get(username="persona-leader")
    spec: Any = {
        "code": "crash_revenue",
        "name": "Thu ngân sách (phép thử)",
        "unit_label": "tỷ đồng",
        "sector": "kinh-te",
        "period_type": "month",
        "levels": ["territory", "commune"],
        "definition": "Tổng thu ngân sách trên địa bàn",
        "agency": "persona-agency-a",
    }
    services.catalog_version_approve(
        actor=leader, add=[spec], decision_no="15/QĐ-UBND", decision_date=T0.date(), signer="Chủ tịch"
    )
    return {"indicator": "crash_revenue"}


def _period(n: int) -> str:
    year, month = divmod(n, 12)
    return f"{1900 + year:04d}{month + 1:02d}"


def _values_send(target: Target, n: int) -> Expect | None:
    value = {"dataElement": target.world["indicator"], "period": _period(n), "orgUnit": COMMUNE, "value": str(n)}
    answer = target.post_json("/api/v1/indicators/dataValueSets/", {"dataValues": [value]})
    if answer is None or answer[0] != 200 or not isinstance(answer[1], dict) or answer[1].get("imported") != 1:
        return None
    return Expect("indicators.values", _period(n), {"value": n})


def _values_check(expect: Expect) -> str:
    from ioc.indicators.models import Value

    stored = list(Value.objects.filter(indicator__code="crash_revenue", period=expect.key, unit__code=COMMUNE))
    if not stored:
        return "no value"
    if stored[0].value != expect.row["value"]:
        return f"value {stored[0].value}"
    return ""


def _values_doubled(expect: Expect) -> int:
    return 0  # one row per (indicator, unit, period) by constraint: a repeat updates it


register(
    Domain(
        name="indicators",
        prepare=_indicators_prepare,
        writes=(WritePath("indicators.values", 2, _values_send),),
        check=_values_check,
        doubled=_values_doubled,
        public=(),  # no anonymous page yet
    )
)


# --- federation (a child center's signed messages to this center, R9.1, R9.3) ----------------------------------------

FEDERATION_KEY_ID = "crash-child"
FEDERATION_SECRET = "crash-federation-secret-" + "s" * 24
FEDERATION_PATH = "/api/v1/federation/messages/"


def _federation_prepare(world: dict[str, Any]) -> dict[str, Any]:
    """A child link with its key, set on a written request as an administrator does (the services)."""
    from ioc.accounts.choices import RequestKind
    from ioc.accounts.models import User
    from ioc.accounts.services import account_request_record
    from ioc.federation import services

    admin = User.objects.get(username="persona-admin")
    link = services.link_create(
        actor=admin,
        code="crash-huyen",
        name="Trung tâm huyện (phép thử)",
        role="child",
        flows=["citizen_reports.daily"],
    )
    request = account_request_record(
        kind=RequestKind.ISSUE_TOKEN,
        document_no="16/QĐ-LT",
        document_date=T0.date(),
        issuing_body="UBND tỉnh",
        approver=admin,
        requested_by=admin,
    )
    services.link_keys_set(
        actor=admin, link=link, account_request=request, key_id=FEDERATION_KEY_ID, secret=FEDERATION_SECRET
    )
    return {"federation_key_id": FEDERATION_KEY_ID}


def _federation_message_id(n: int) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ioc-crash-federation-{n}"))


def _federation_send(target: Target, n: int) -> Expect | None:
    """One signed batch of one daily summary (docs/federation.md: HMAC-SHA256 over method, path, timestamp, body
    digest and delivery id); a new delivery id per request, the message id fixed by `n`."""
    import hashlib
    import hmac
    import time
    import uuid

    day = (T0 + dt.timedelta(days=n)).date().isoformat()
    message = {
        "message_id": _federation_message_id(n),
        "flow": "citizen_reports.daily",
        "object_key": f"crash:{n}",
        "version": 1,
        "payload": {"day": day, "communes": [{"unit": COMMUNE, "received": n}], "received": n},
    }
    body = json.dumps({"messages": [message]}).encode()
    stamp, delivery = str(int(time.time())), str(uuid.uuid4())
    text = "\n".join(["POST", FEDERATION_PATH, stamp, hashlib.sha256(body).hexdigest(), delivery]).encode()
    headers = {
        "Content-Type": "application/json",
        "X-IOC-Key-Id": target.world["federation_key_id"],
        "X-IOC-Timestamp": stamp,
        "X-IOC-Delivery-Id": delivery,
        "X-IOC-Signature": "sha256=" + hmac.new(FEDERATION_SECRET.encode(), text, hashlib.sha256).hexdigest(),
    }
    request = urllib.request.Request(target.base + FEDERATION_PATH, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=target.timeout) as answer:
            status, parsed = answer.status, _json(answer.read())
    except (OSError, ValueError):
        return None
    results = parsed.get("results") if status == 200 and isinstance(parsed, dict) else None
    if not results or results[0].get("status") not in ("applied", "duplicate"):
        return None
    return Expect("federation.messages", _federation_message_id(n), {"key": f"crash:{n}", "received": n})


def _federation_check(expect: Expect) -> str:
    from ioc.federation.models import InboxMessage, ReceivedRecord

    inbox = InboxMessage.objects.filter(message_id=expect.key).first()
    if inbox is None:
        return "no inbox message"
    record = ReceivedRecord.objects.filter(object_key=expect.row["key"]).first()
    if record is None or record.data.get("received") != expect.row["received"]:
        return f"received record {record.data if record else None}"
    return ""


def _federation_doubled(expect: Expect) -> int:
    from ioc.federation.models import InboxMessage, ReceivedRecord

    extra = InboxMessage.objects.filter(message_id=expect.key).count() - 1
    return max(0, extra) + max(0, ReceivedRecord.objects.filter(object_key=expect.row["key"]).count() - 1)


# --- dossiers (the one-stop shop's events; issue 23) ----------------------------------------------------------------


def _dossiers_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.models import User
    from ioc.dossiers.testing import SAMPLE_PROCEDURE, sample_procedure

    sample_procedure(actor=User.objects.get(username="persona-admin"))
    return {"procedure": SAMPLE_PROCEDURE}


def _dossier_send(target: Target, n: int) -> Expect | None:
    moment = (T0 + dt.timedelta(minutes=n)).isoformat()
    event = {
        "event_id": f"crash-{n}-r",
        "dossier": f"CRASH-{n}",
        "kind": "receipt",
        "occurred_at": moment,
        "procedure": target.world["procedure"],
        "channel": "online_full",
        "documents": ["Đơn đề nghị", "Bản sao CCCD"],
        "phone": f"0900000{n % 1000:03d}",
    }
    if not _one_row_acknowledged(target.post_json("/api/v1/dossiers/events/", {"events": [event]})):
        return None
    return Expect("dossiers.events", f"CRASH-{n}", {"event_id": f"crash-{n}-r"})


def _dossier_check(expect: Expect) -> str:
    from ioc.dossiers.models import Dossier

    dossier = Dossier.objects.filter(code=expect.key).first()
    if dossier is None:
        return "no dossier"
    ids = list(dossier.events.values_list("source_event_id", flat=True))
    return "" if ids == [expect.row["event_id"]] else f"events {ids}"


register(
    Domain(
        name="federation",
        prepare=_federation_prepare,
        writes=(WritePath("federation.messages", 1, _federation_send),),
        check=_federation_check,
        doubled=_federation_doubled,
        public=(),  # nothing anonymous
    )
)

register(
    Domain(
        name="dossiers",
        prepare=_dossiers_prepare,
        writes=(WritePath("dossiers.events", 2, _dossier_send),),
        check=_dossier_check,
        doubled=lambda expect: _extra_rows("dossiers.DossierEvent", source_event_id=expect.row["event_id"]),
        public=(),  # the citizens' lookup is a POST (the number never goes into a URL)
    )
)


# --- media_watch (items pushed by a social-listening system; issue 22) ------------------------------------------------

MEDIA_SOURCE = "Mạng xã hội (tải thử)"


def _media_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.models import User
    from ioc.media_watch import services
    from ioc.media_watch.models import Source
    from ioc.media_watch.services.config import SourceSettings

    if not Source.objects.filter(name=MEDIA_SOURCE).exists():
        admin = User.objects.get(username="persona-admin")
        services.source_set(actor=admin, values=SourceSettings(name=MEDIA_SOURCE, kind="export"))
    return {"media_source": MEDIA_SOURCE}


def _media_url(n: int) -> str:
    return f"https://social.example.invalid/crash/{n}"


def _media_send(target: Target, n: int) -> Expect | None:
    row = {
        "title": f"Phản ánh thử số {n} về đường ngập ở khu phố {n % 97}",
        "body": f"Nội dung thử {n}: nước ngập {n % 7 + 1} tấc trước cổng chợ.",
        "url": _media_url(n),
        "published_at": (T0 + dt.timedelta(seconds=n)).isoformat(),
    }
    answer = target.post_json("/api/v1/media-watch/items/", {"source": target.world["media_source"], "items": [row]})
    if not _one_row_acknowledged(answer):  # a retry of a stored item is merged (ignored)
        return None
    return Expect("media_watch.items", _media_url(n), {"title": row["title"]})


register(
    Domain(
        name="media_watch",
        prepare=_media_prepare,
        writes=(WritePath("media_watch.items", 1, _media_send),),
        check=lambda expect: _row_check("media_watch.Item", "item", {"url": expect.key}, title=expect.row["title"]),
        doubled=lambda expect: _extra_rows("media_watch.Item", url=expect.key),
        public=(),  # the watch has no anonymous page
    )
)


# The domains whose writes go through staff pages (sharing, reporting): bench/load/pages.py registers them.
from bench.load import pages  # noqa: E402, F401
