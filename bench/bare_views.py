"""Bare Django views doing the database work of Open311 `requests.json` with raw SQL (issue 3 "Speed").

They run in the same gunicorn, behind the same middleware, on the same database as the real endpoint; what they
leave out is the application layer: forms and parameter checks, services, ORM, selectors, formats, masking.

- GET  /bench/bare/requests.json?start_date&end_date&status&page_size&page — the page query (reports joined with
  category, agency, commune, original of a duplicate and the time of the last public event; 50 per page, newest
  first, spam hidden) plus the public photos of the page: the two queries of the real endpoint.
- POST /bench/bare/requests.json (api_key, service_code, lat, long, description, email) — token and category
  look-ups, the point's commune (the same in-memory index), then in one transaction: the report, its timeline
  event, the reporter's contact, the audit entry and the outbox row of the receipt notification.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from bench.builders import _columns, _values
from ioc.assignments.models import Assignment  # noqa: F401  (the report's FK target must be loaded)
from ioc.audit.models import AuditEntry
from ioc.citizen_reports.models import Report, ReporterContact, ReportEvent
from ioc.geo.selectors import grid_cell, unit_at_point
from ioc.notifications.models import Outbox

OPEN = ("received", "awaiting_approval", "verified", "forwarded", "in_progress", "resolved")
CLOSED = ("published", "rejected", "duplicate")
PAGE_SQL = """
SELECT r.id, r.tracking_code, r.status, r.description, r.address, r.lat, r.lon, r.received_at, r.closed_at,
       r.deadline_at, r.rejection_reason, r.result, c.code, c.name, a.name, u.code, u.hierarchy,
       (SELECT e.at FROM citizen_reports_reportevent e WHERE e.report_id = r.id AND e.is_public = %s
        ORDER BY e.at DESC LIMIT 1),
       d.tracking_code
FROM citizen_reports_report r
JOIN citizen_reports_category c ON c.id = r.category_id
LEFT JOIN agencies_agency a ON a.id = r.agency_id
LEFT JOIN geo_adminunit u ON u.id = r.unit_id
LEFT JOIN citizen_reports_report d ON d.id = r.duplicate_of_id
WHERE r.status IN ({statuses}) AND r.received_at >= %s AND r.received_at <= %s
ORDER BY r.received_at DESC, r.id DESC
LIMIT %s OFFSET %s
"""
PHOTOS_SQL = """
SELECT report_id, id FROM citizen_reports_reportphoto
WHERE is_public = %s AND report_id IN ({ids}) ORDER BY kind, uploaded_at, id
"""
KEYS = (
    "id",
    "service_request_id",
    "status",
    "description",
    "address",
    "lat",
    "long",
    "requested_datetime",
    "closed_datetime",
    "expected_datetime",
    "rejection_reason",
    "result",
    "service_code",
    "service_name",
    "agency_responsible",
    "address_id",
    "hierarchy",
    "updated_datetime",
    "original",
)


IDS_SQL = """
SELECT r.id FROM citizen_reports_report r
WHERE r.status IN ({statuses}) AND r.received_at >= %s AND r.received_at <= %s
ORDER BY r.received_at DESC, r.id DESC
LIMIT %s OFFSET %s
"""


@csrf_exempt
def bare_requests(request: HttpRequest) -> HttpResponse:
    return bare_write(request) if request.method == "POST" else bare_read(request)


def bare_requests_ids_first(request: HttpRequest) -> HttpResponse:
    """The same page in three queries: the page's ids first (index only, stops at the LIMIT), then their rows
    with the joins and the last-event subquery, then the photos. SQLite otherwise builds every matching row
    (joins and subquery included) before sorting them."""
    return bare_read(request, ids_first=True)


def _moment(value: str | None, default: dt.datetime) -> dt.datetime:
    parsed = parse_datetime(value or "")
    return parsed if parsed is not None else default


def bare_read(request: HttpRequest, *, ids_first: bool = False) -> HttpResponse:
    now = timezone.now()
    start = _moment(request.GET.get("start_date"), now - dt.timedelta(days=90))
    end = _moment(request.GET.get("end_date"), now)
    statuses = CLOSED if request.GET.get("status") == "closed" else OPEN
    size = min(int(request.GET.get("page_size") or 50), 100)
    offset = (max(int(request.GET.get("page") or 1), 1) - 1) * size
    marks = ", ".join(["%s"] * len(statuses))
    with connection.cursor() as cursor:
        if ids_first:
            cursor.execute(IDS_SQL.format(statuses=marks), [*statuses, start, end, size + 1, offset])
            page = [row[0] for row in cursor.fetchall()][:size]
            rows = []
            if page:
                sql = (
                    PAGE_SQL.format(statuses=marks)
                    .replace(
                        "WHERE r.status IN (" + marks + ") AND r.received_at >= %s AND r.received_at <= %s",
                        "WHERE r.id IN (" + ", ".join(["%s"] * len(page)) + ")",
                    )
                    .replace("LIMIT %s OFFSET %s", "")
                )
                cursor.execute(sql, [True, *page])
                rows = cursor.fetchall()
        else:
            cursor.execute(PAGE_SQL.format(statuses=marks), [True, *statuses, start, end, size + 1, offset])
            rows = cursor.fetchall()[:size]
        photos: dict[int, list[int]] = {}
        if rows:
            ids = [row[0] for row in rows]
            cursor.execute(PHOTOS_SQL.format(ids=", ".join(["%s"] * len(ids))), [True, *ids])
            for report_id, photo_id in cursor.fetchall():
                photos.setdefault(report_id, []).append(photo_id)
    body = []
    for row in rows:
        item = {
            key: (str(value) if isinstance(value, dt.datetime) else value) for key, value in zip(KEYS, row, strict=True)
        }
        item["media_url"] = f"/media/{photos[row[0]][0]}" if row[0] in photos else None
        body.append(item)
    return HttpResponse(json.dumps(body, ensure_ascii=False, default=str), content_type="application/json")


def _insert(cursor: Any, model: Any, row: dict[str, Any]) -> int:
    columns = _columns(model, with_id=False)
    sql = f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
    cursor.execute(sql + " RETURNING id", _values(model, row, prep=True))
    return int(cursor.fetchone()[0])


def bare_write(request: HttpRequest) -> HttpResponse:
    data = request.POST
    prefix = str(data.get("api_key", ""))[4:14]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, user_id, scopes FROM accounts_apitoken WHERE prefix = %s AND revoked_at IS NULL", [prefix]
        )
        token = cursor.fetchone()
        if token is None:
            return JsonResponse([{"code": 403, "description": "api_key"}], status=403, safe=False)
        cursor.execute(
            "SELECT id, name FROM citizen_reports_category WHERE code = %s AND is_active = %s",
            [data.get("service_code", ""), True],
        )
        category = cursor.fetchone()
        if category is None:
            return JsonResponse([{"code": 404, "description": "service_code"}], status=404, safe=False)
        lat, lon = float(data["lat"]), float(data["long"])
        unit = unit_at_point(lat=lat, lon=lon)
        now = timezone.now()
        code = "".join(secrets.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _i in range(10))
        with transaction.atomic():
            report_id = _insert(
                cursor,
                Report,
                {
                    "tracking_code": code,
                    "private_token_digest": hashlib.sha256(code.encode()).hexdigest(),
                    "channel": "open311",
                    "category_id": category[0],
                    "description": str(data.get("description", "")),
                    "lat": lat,
                    "lon": lon,
                    "unit_id": unit.pk,
                    "grid_cell": grid_cell(lat, lon),
                    "created_by_id": token[1],
                    "received_at": now,
                },
            )
            _insert(cursor, ReportEvent, {"report_id": report_id, "at": now, "to_status": "received"})
            email = str(data.get("email", ""))
            _insert(cursor, ReporterContact, {"report_id": report_id, "email_encrypted": email, "email_index": email})
            _insert(
                cursor,
                AuditEntry,
                {
                    "created_at": now,
                    "actor_id": token[1],
                    "action": "report.receive",
                    "object_type": "citizen_reports.report",
                    "object_id": str(report_id),
                    "object_repr": code,
                    "changes": {"channel": "open311", "category": data.get("service_code")},
                },
            )
            _insert(
                cursor,
                Outbox,
                {
                    "event": "citizen_reports.received",
                    "recipient_address": email,
                    "recipient_key": "email:" + email,
                    "channel": "email",
                    "template": "citizen_reports.received",
                    "subject": "Đã tiếp nhận phản ánh " + code,
                    "body": "Mã tra cứu " + code,
                    "dedup_key": f"citizen_reports:{report_id}:received",
                    "due_at": now,
                    "next_attempt_at": now,
                    "delivery_id": uuid.uuid4(),
                    "created_at": now,
                },
            )
    return JsonResponse([{"service_request_id": code, "service_notice": ""}], status=201, safe=False)
