"""Every read of the shared data hub, in the user's scope (R1.1, R1.4, R1.5, R7.1, DESIGN "Datasets →
indicators" and "Map hooks").

The catalog (datasets and their schemas) is metadata every staff account may read; rows and submissions are
seen by the territory roles and by the agencies that own the dataset or sent the submission. Point datasets
of the map show their current rows unless the dataset is restricted to its owner.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import F, Max, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone

from ioc.accounts.selectors import user_scope
from ioc.common.periods import period_code, period_parse
from ioc.common.roles import STAFF_ROLES, Role, actor_has_role
from ioc.datahub.choices import FRESHNESS_DAYS, STORED_STATUSES, DatasetStatus, RunStatus, Sensitivity

# Obligations (R1.3) live in compliance.py; re-exported so the work queue finds `datahub_work_items`.
from ioc.datahub.compliance import (
    BOARD_DAYS as BOARD_DAYS,
)
from ioc.datahub.compliance import (
    AgencyCompliance as AgencyCompliance,
)
from ioc.datahub.compliance import (
    ObligationStatus as ObligationStatus,
)
from ioc.datahub.compliance import (
    compliance_board as compliance_board,
)
from ioc.datahub.compliance import (
    datahub_work_items as datahub_work_items,
)
from ioc.datahub.compliance import (
    datasets_on_time as datasets_on_time,
)
from ioc.datahub.compliance import (
    obligation_list as obligation_list,
)
from ioc.datahub.compliance import (
    obligation_status as obligation_status,
)
from ioc.datahub.compliance import (
    obligations_owed as obligations_owed,
)
from ioc.datahub.indexes import NUMERIC_TYPES as NUMERIC_TYPES  # re-exported: sharing filters the same expressions
from ioc.datahub.indexes import field_json_sql as field_json_sql
from ioc.datahub.indexes import field_sql as field_sql
from ioc.datahub.models import Connector, ConnectorRun, Dataset, IngestJob, Record, Submission, SubmissionFile
from ioc.datahub.quality import freshness, liveness
from ioc.datahub.reading import ReadError, table_read
from ioc.datahub.validation import Checked, table_check
from ioc.geo.selectors import Area, BBox, point_counts_in_area, territory_communes, territory_get

FEATURES_MAX = 5000
AGGREGATES = ("sum", "avg", "count", "min", "max")


# --- catalog -----------------------------------------------------------------------------------------------
def dataset_list(*, user: Any, owner_id: int | None = None, published_only: bool = False) -> QuerySet[Dataset]:
    """R1.1: the catalog for a staff account (agency roles see published datasets and their own drafts)."""
    if not actor_has_role(user, STAFF_ROLES | {"information_system"}):
        return Dataset.objects.none()
    qs = Dataset.objects.select_related("owner", "system")
    scope = user_scope(user=user)
    if not scope.everything:
        qs = qs.filter(Q(status=DatasetStatus.PUBLISHED) | Q(owner_id__in=scope.agency_ids))
    if published_only:
        qs = qs.filter(status=DatasetStatus.PUBLISHED)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("code")


def dataset_get(*, user: Any, code: str) -> Dataset | None:
    return dataset_list(user=user).filter(code=code).first()


def dataset_for_push(*, code: str) -> Dataset | None:
    """The dataset a push names (the view then checks the token's scope against it)."""
    return Dataset.objects.select_related("owner").filter(code=code).first()


def push_allowed(*, scopes: list[str], dataset: Dataset, agency_id: int | None) -> bool:
    """DESIGN "Tokens": `datahub.push:<code>` lets a system push to that dataset (as its own agency);
    `datahub.push:*` to every dataset its agency owns. A scope never reaches another agency's dataset through
    the wildcard."""
    if f"datahub.push:{dataset.code}" in scopes:
        return agency_id is not None
    return "datahub.push:*" in scopes and agency_id is not None and dataset.owner_id == agency_id


# --- submissions -------------------------------------------------------------------------------------------
def _scoped_submissions(user: Any) -> QuerySet[Submission]:
    scope = user_scope(user=user)
    qs = Submission.objects.select_related("dataset", "agency", "submitter")
    if scope.everything:
        return qs
    return qs.filter(Q(agency_id__in=scope.agency_ids) | Q(dataset__owner_id__in=scope.agency_ids))


def submission_list_for(*, user: Any, dataset: Dataset | None = None, status: str = "") -> QuerySet[Submission]:
    """R1.5: the submissions a user may see, newest first."""
    qs = _scoped_submissions(user)
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-pk")


def submission_get(*, user: Any, pk: int) -> Submission | None:
    return _scoped_submissions(user).filter(pk=pk).first()


def error_sheet_state(*, submission: Submission) -> str | None:
    """R1.4: the state of a submission's annotated error sheet (`SheetState`), None when its file is not kept
    (no errors, JSON rows, too large, past retention). Reads no bytes: for the submission's page."""
    return SubmissionFile.objects.filter(submission=submission).values_list("state", flat=True).first()


def ingest_job_get(*, user: Any, pk: int) -> IngestJob | None:
    """R1.2: a large import, seen by the submitting agency, the dataset's owner and the territory roles."""
    scope = user_scope(user=user)
    qs = IngestJob.objects.select_related("dataset").filter(pk=pk)
    if not scope.everything:
        qs = qs.filter(Q(agency_id__in=scope.agency_ids) | Q(dataset__owner_id__in=scope.agency_ids))
    return qs.first()


def submission_list(*, accepted_since: dt.datetime | None = None) -> QuerySet[Submission]:
    """DESIGN "Datasets → indicators": accepted (or partially accepted) submissions received after a watermark,
    oldest first — the indicators app syncs from them (a system read, no user scope)."""
    qs = Submission.objects.filter(status__in=STORED_STATUSES).select_related("dataset")
    if accepted_since is not None:
        qs = qs.filter(received_at__gt=accepted_since)
    return qs.order_by("received_at", "pk")


# --- rows and series ---------------------------------------------------------------------------------------
def record_rows(
    *, dataset: Dataset, filters: dict[str, str] | None = None, order: str = "", current: bool = True
) -> QuerySet[Record]:
    """R1.5: a dataset's rows, filtered and ordered on real columns or its `ioc:filterable` fields through the
    indexed expression (`indexes.field_sql`); no user scope: callers pass a dataset the user may read."""
    qs = Record.objects.filter(dataset=dataset)
    if current:
        qs = qs.filter(is_current=True)
    filterable = {f["name"]: f.get("type", "string") for f in dataset.fields if f.get("ioc:filterable") is True}
    for name, value in (filters or {}).items():
        if name not in filterable:
            raise ValueError(name)
        typed: Any = float(value) if filterable[name] in NUMERIC_TYPES else value
        expression = RawSQL(field_sql(name, field_type=filterable[name]), [])  # noqa: S611 - names match schema.NAME
        qs = qs.annotate(**{f"f_{name}": expression}).filter(**{f"f_{name}": typed})
    name = order.lstrip("-")
    if name in filterable:
        expression = RawSQL(field_sql(name, field_type=filterable[name]), [])  # noqa: S611 - names match schema.NAME
        qs = qs.annotate(o_key=expression).order_by(("-" if order.startswith("-") else "") + "o_key", "pk")
    else:
        qs = qs.order_by("pk")
    return qs


def record_history(*, dataset: Dataset, pk_hash: str) -> QuerySet[Record]:
    """R1.5: every version of one row, oldest first, with its submission (who, how, when)."""
    return (
        Record.objects.filter(dataset=dataset, pk_hash=pk_hash)
        .select_related("submission", "submission__submitter", "submission__agency")
        .order_by("version")
    )


def _bucket(period: str, period_type: str) -> str:
    if not period:
        return ""
    return period_code(period_parse(period).start.date(), period_type)


def dataset_field_series(
    *, dataset_code: str, field: str, agg: str, period_type: str, since_submission: int | None = None
) -> list[dict[str, Any]]:
    """DESIGN "Datasets → indicators": one value per (period of `period_type`, unit) over the current rows of
    a dataset's numeric field, aggregated with `agg` (sum, avg, count, min, max). With `since_submission`
    (a watermark: a submission id), only the (period, unit) cells that later submissions touched, recomputed
    whole."""
    dataset = Dataset.objects.get(code=dataset_code)
    if agg not in AGGREGATES or field not in {f["name"] for f in dataset.fields}:
        raise ValueError(f"{agg}:{field}")
    rows = Record.objects.filter(dataset=dataset, is_current=True).values_list(
        "period", "unit__code", "submission_id", f"data__{field}"
    )
    cells: dict[tuple[str, str], list[float]] = defaultdict(list)
    touched: set[tuple[str, str]] = set()
    for period, unit, submission_id, value in rows:
        key = (_bucket(period, period_type), unit or "")
        if since_submission is not None and submission_id > since_submission:
            touched.add(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells[key].append(float(value))
        else:
            cells.setdefault(key, [])
    keys = sorted(touched if since_submission is not None else cells)
    return [
        {"period": p, "unit": u, "value": _aggregate(agg, cells[(p, u)]), "count": len(cells[(p, u)])} for p, u in keys
    ]


def dataset_period_submissions(*, dataset_code: str, period_type: str, unit_code: str | None = None) -> dict[str, int]:
    """DESIGN "Datasets → indicators" lineage: the last submission behind each period (of `period_type`) of a
    dataset's current rows — of one unit, or of every unit when `unit_code` is None (a territory aggregate). One
    grouped query; a system read like `dataset_field_series` (the caller shows only ids and links)."""
    rows = Record.objects.filter(dataset__code=dataset_code, is_current=True).exclude(period="")
    if unit_code is not None:
        rows = rows.filter(unit__code=unit_code)
    last: dict[str, int] = {}
    for period, submission_id in (
        rows.values("period").annotate(last=Max("submission_id")).values_list("period", "last")
    ):
        bucket = _bucket(period, period_type)
        last[bucket] = max(last.get(bucket, 0), submission_id)
    return last


def _aggregate(agg: str, values: list[float]) -> float | None:
    if agg == "count":
        return float(len(values))
    if not values:
        return None
    if agg == "sum":
        return float(sum(values))
    if agg == "avg":
        return statistics.fmean(values)
    return min(values) if agg == "min" else max(values)


# --- quality -----------------------------------------------------------------------------------------------
def dataset_quality(*, dataset: Dataset, now: dt.datetime | None = None) -> dict[str, Any]:
    """R1.4 per dataset: the mean of its last submissions' measures and the age of its newest accepted data."""
    return datasets_quality(datasets=[dataset], now=now)[dataset.pk]


QUALITY_WINDOW = 20
HEALTH_RUNS = 10


def datasets_quality(*, datasets: list[Dataset], now: dt.datetime | None = None) -> dict[int, dict[str, Any]]:
    """R1.4 for a list of datasets in a few queries (not one per dataset): the mean đúng/đủ/sạch of each one's
    last QUALITY_WINDOW submissions, and sống from the age of its newest accepted submission against its
    frequency, the on-time rate of its obligations and its pull connector's health (`quality.liveness`)."""
    ids = [d.pk for d in datasets]
    newest = dict(
        Submission.objects.filter(dataset_id__in=ids, status__in=STORED_STATUSES)
        .values_list("dataset_id")
        .annotate(latest=Max("received_at"))
        .order_by()
    )
    recent: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Submission.objects.filter(dataset_id__in=ids).order_by("dataset_id", "-received_at", "-pk")
    for row in rows.values("dataset_id", "status", "quality").iterator():
        if len(recent[row["dataset_id"]]) < QUALITY_WINDOW:
            recent[row["dataset_id"]].append(dict(row))
    moment = now or timezone.now()
    result = {d.pk: _quality_of(d, recent[d.pk], newest.get(d.pk), moment) for d in datasets}
    on_time = datasets_on_time(dataset_ids=ids, now=moment)
    health = connectors_health(dataset_ids=ids)
    for pk, quality in result.items():
        quality.update(liveness(age=quality["song_age"], on_time=on_time.get(pk), connector=health.get(pk)))
    return result


def _quality_of(
    dataset: Dataset, recent: list[dict[str, Any]], newest: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    """đúng, đủ, sạch from the recent submissions; the age part of sống (`song_age`) from the newest one."""
    result: dict[str, Any] = {
        "submissions": len(recent),
        "rejected": sum(1 for s in recent if s["status"] == "rejected"),
    }
    for key in ("dung", "du", "sach"):
        values = [s["quality"].get(key) for s in recent if isinstance(s["quality"].get(key), int | float)]
        result[key] = round(statistics.fmean(values), 1) if values else None
    age = (now - newest).total_seconds() / 86400 if newest else None
    fresh = freshness(age, FRESHNESS_DAYS.get(dataset.frequency, 35))
    result.update(age_days=fresh["age_days"], limit_days=fresh["limit_days"], song_age=fresh["song"])
    return result


def agencies_quality(
    *, agency_ids: list[int], now: dt.datetime | None = None, days: int = BOARD_DAYS
) -> dict[int, dict[str, Any]]:
    """R1.4 per agency: the mean đúng/đủ/sạch of the submissions each agency sent in the last `days` days (the
    compliance board's range; rejected ones count, as for a dataset), with how many it sent and how many were
    rejected. One query; agencies that sent nothing are absent."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    sent: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = Submission.objects.filter(agency_id__in=agency_ids, received_at__gte=since).order_by()
    for row in rows.values("agency_id", "status", "quality").iterator():
        sent[row["agency_id"]].append(dict(row))
    result: dict[int, dict[str, Any]] = {}
    for agency_id, submissions in sent.items():
        entry: dict[str, Any] = {
            "submissions": len(submissions),
            "rejected": sum(1 for s in submissions if s["status"] == "rejected"),
        }
        for key in ("dung", "du", "sach"):
            values = [s["quality"].get(key) for s in submissions if isinstance(s["quality"].get(key), int | float)]
            entry[key] = round(statistics.fmean(values), 1) if values else None
        result[agency_id] = entry
    return result


def connectors_health(*, dataset_ids: list[int], window: int = HEALTH_RUNS) -> dict[int, float]:
    """R1.4 "sống": per dataset with an active pull connector that has run, the share (%) of successful runs
    among its last `window` runs (one query)."""
    ranked = ConnectorRun.objects.filter(connector__dataset_id__in=dataset_ids, connector__is_active=True).annotate(
        n=Window(RowNumber(), partition_by=F("connector_id"), order_by=[F("started_at").desc(), F("pk").desc()])
    )
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for dataset_id, status in ranked.filter(n__lte=window).values_list("connector__dataset_id", "status"):
        tally[dataset_id][0] += status == RunStatus.SUCCESS
        tally[dataset_id][1] += 1
    return {pk: round(100.0 * ok / total, 1) for pk, (ok, total) in tally.items()}


# --- map hooks ---------------------------------------------------------------------------------------------
def _mapped(user: Any) -> QuerySet[Record]:
    """Current rows with a point of published layer datasets the user may see (restricted: owners only)."""
    if not actor_has_role(user, STAFF_ROLES | {"display_screen"}):
        return Record.objects.none()
    scope = user_scope(user=user)
    qs = Record.objects.filter(
        is_current=True, lat__isnull=False, lon__isnull=False, dataset__status=DatasetStatus.PUBLISHED
    ).exclude(dataset__layer="")
    if not scope.everything:
        qs = qs.filter(~Q(dataset__sensitivity=Sensitivity.RESTRICTED) | Q(dataset__owner_id__in=scope.agency_ids))
    return qs


def datahub_counts_in_area(*, user: Any, area: Area) -> dict[str, Any]:
    """DESIGN "Map hooks": current rows of point datasets in `area` the user may see: total and by layer. A GROUP
    BY over grid cells; exact point tests only for the rows of cells the border crosses."""
    counts = point_counts_in_area(_mapped(user), area, key="dataset__layer")
    return {"total": sum(counts.values()), "by_layer": counts}


def _bbox(value: Any) -> BBox:
    if isinstance(value, BBox):
        return value
    min_lat, min_lon, max_lat, max_lon = (float(v) for v in value)
    return BBox(min_lat, min_lon, max_lat, max_lon)


def _title(dataset_fields: list[dict[str, Any]], data: dict[str, Any]) -> str:
    for spec in dataset_fields:
        if spec.get("type", "string") == "string" and spec.get("ioc:role") is None and spec["name"].startswith("ten"):
            return str(data.get(spec["name"]) or "")
    return ""


def datahub_features(*, user: Any, bbox: Any, zoom: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """DESIGN "Map hooks": the points of current rows of layer datasets the user may see in `bbox`
    (min_lat, min_lon, max_lat, max_lon), at most `limit` (≤ 5000), with their layer and dataset."""
    box = _bbox(bbox)
    qs = _mapped(user).filter(lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon)
    rows = list(
        qs.order_by("dataset_id", "pk").values_list("pk", "lat", "lon", "dataset_id", "data")[
            : max(0, min(int(limit), FEATURES_MAX))
        ]
    )
    datasets = {d.pk: d for d in Dataset.objects.filter(pk__in={r[3] for r in rows})}
    return [
        {
            "id": pk,
            "lat": lat,
            "lon": lon,
            "layer": datasets[dataset_id].layer,
            "dataset": datasets[dataset_id].code,
            "dataset_name": datasets[dataset_id].name,
            "title": _title(datasets[dataset_id].fields, data),
        }
        for pk, lat, lon, dataset_id, data in rows
    ]


# --- templates (R1.2c) ------------------------------------------------------------------------------------
POINT_ROLES = frozenset({"lat", "lon", "geopoint"})


def template_rows(*, dataset: Dataset, agency_id: int | None, limit: int = 5000) -> list[dict[str, Any]]:
    """R1.2c: what a downloaded template is pre-filled with: the last accepted values (the current rows the agency
    sent; every current row for an account of no agency) and, the first time an agency downloads a dataset kept
    by administrative unit (no points), one row per expected unit — the territory's communes — to fill in."""
    rows = Record.objects.filter(dataset=dataset, is_current=True).order_by("pk")
    if agency_id is not None:
        rows = rows.filter(submission__agency_id=agency_id)
    found = list(rows.values_list("data", flat=True)[:limit])
    roles = {spec.get("ioc:role"): spec["name"] for spec in dataset.fields}
    unit_field = roles.get("unit")
    if found or unit_field is None or POINT_ROLES & set(roles):
        return found
    territory = territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return []
    codes = territory_communes(territory=territory).values_list("code", flat=True)[:limit]
    return [{unit_field: code} for code in codes]


# --- pull connectors (R1.2b): configuration for administrators ---------------------------------------------
def connector_list(*, user: Any) -> QuerySet[Connector]:
    """R1.2b: the pull connectors, for system administrators only (they hold endpoints and sealed secrets)."""
    if not actor_has_role(user, {Role.SYSTEM_ADMIN}):
        return Connector.objects.none()
    return Connector.objects.select_related("dataset", "dataset__owner").order_by("dataset__code")


def connector_for(*, user: Any, dataset: Dataset) -> Connector | None:
    return connector_list(user=user).filter(dataset=dataset).first()


def connector_runs(*, connector: Connector, limit: int = 20) -> list[ConnectorRun]:
    """R1.2b: a connector's latest runs, newest first (status, rows, error, duration, submission)."""
    return list(connector.runs.select_related("submission").order_by("-started_at", "-pk")[:limit])


def connectors_last_runs(*, connectors: list[Connector]) -> dict[int, ConnectorRun]:
    """The newest run of each connector (one query)."""
    newest = (
        ConnectorRun.objects.filter(connector__in=connectors)
        .values("connector_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    return {run.connector_id: run for run in ConnectorRun.objects.filter(pk__in=list(newest))}


# --- files in a schema's shape, for apps that import through a template (issue 23 item 1) --------------------
def schema_file_check(*, schema: dict[str, Any], content: bytes, file_name: str = "") -> Checked:
    """R1.2c for another app's import: a CSV or workbook read (`reading.table_read`) and checked against a Table
    Schema (`validation.table_check`) exactly as an upload to a dataset is — header, cells, duplicate keys, each
    refusal with row, field and reason — without a dataset and without storing anything. An unreadable file is
    one refusal on row 1."""
    try:
        table = table_read(content=content, file_name=file_name)
    except ReadError as exc:
        result = Checked(header_failed=True)
        result.add(1, "", file_name, str(exc))
        return result
    return table_check(schema, table)


def schema_template_xlsx(*, code: str, name: str, schema: dict[str, Any]) -> bytes:
    """The data hub's `.xlsx` template (drop-downs, date formats, instructions) for a Table Schema another app
    ships, without a dataset in the catalog."""
    from ioc.datahub.workbooks import template_xlsx

    return template_xlsx(Dataset(code=code, name=name, schema=schema))
