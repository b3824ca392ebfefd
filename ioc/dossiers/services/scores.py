"""Decision 766/QĐ-TTg's scores recomputed for a month (R5.3; issue 23 item 6): per agency, per commune and for
the whole territory, from the dossiers' figures (one grouped query per scope) and the data-hub dataset
`score766.DATASET_CODE` for what events do not carry; the month's rows replaced whole (safe to run twice); the
communes' and the territory's values handed to `indicators` through `values_import` (the public-administration
ready set: `dvc766_*`, and `ho_so_*` for the communes)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.common.periods import period_code
from ioc.datahub.models import Record
from ioc.dossiers import score766
from ioc.dossiers.choices import ONLINE_CHANNELS
from ioc.dossiers.models import Dossier, ServiceScore
from ioc.geo.models import AdminUnit
from ioc.indicators.services import ValueRow, values_check, values_import
from ioc.worktime.selectors import LOCAL_TZ

Ratios = dict[str, tuple[float, float]]
# The indicators this app fills (readysets "hanh-chinh-cong"); one not in the catalogue is skipped and counted.
INDICATOR_TOTAL = "dvc766_tong"


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime, str]:
    """The local month holding `day`: start, end (exclusive) and its DHIS2 code."""
    start = dt.datetime(day.year, day.month, 1, tzinfo=LOCAL_TZ)
    end = dt.datetime(day.year + (day.month == 12), day.month % 12 + 1, 1, tzinfo=LOCAL_TZ)
    return start, end, period_code(day, "month")


def _counts(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The counts each event criterion needs, as Count aggregates over the dossiers touching the month."""
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    returned = Q(returned_at__gte=start, returned_at__lt=end)
    overdue = Q(received_at__lt=end, due_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    return {
        "received": Count("pk", filter=received),
        "online": Count("pk", filter=received & Q(channel__in=ONLINE_CHANNELS)),
        "intake_digitised": Count("pk", filter=received & Q(intake_digitised=True)),
        "finished": Count("pk", filter=finished),
        "on_time": Count("pk", filter=finished & Q(is_late=False)),
        "overdue_open": Count("pk", filter=overdue),
        "returned": Count("pk", filter=returned),
        "result_digitised": Count("pk", filter=returned & Q(digitised=True)),
        "unsatisfied": Count("pk", filter=returned & Q(rating__lt=score766.SATISFIED_FROM)),
    }


def _touching(start: dt.datetime, end: dt.datetime) -> Q:
    return (
        Q(received_at__gte=start, received_at__lt=end)
        | Q(finished_at__gte=start, finished_at__lt=end)
        | Q(returned_at__gte=start, returned_at__lt=end)
        | (Q(received_at__lt=end, due_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end)))
    )


def event_ratios(counts: dict[str, int], denominator: str) -> Ratios:
    """(numerator, denominator) of each event criterion from one scope's counts."""
    on_time_of = counts["finished"] + (counts["overdue_open"] if denominator != score766.DENOMINATOR_FINISHED else 0)
    measures = {
        "on_time": (counts["on_time"], on_time_of),
        "online": (counts["online"], counts["received"]),
        "intake_digitised": (counts["intake_digitised"], counts["received"]),
        "result_digitised": (counts["result_digitised"], counts["returned"]),
        # Decision 766 (0012, third search): (dossiers − those not satisfied) / dossiers — an unrated one counts.
        "satisfied": (counts["returned"] - counts["unsatisfied"], counts["returned"]),
    }
    return {c.code: measures[c.measure] for c in score766.CRITERIA if c.source == "events"}


def _dataset_ratios(period: str) -> dict[tuple[str, Any], Ratios]:
    """(scope, key) → the dataset criteria's (percent, 100) for the month: a row names an agency (`co_quan`), a
    commune (its unit) or neither (the territory)."""
    found: dict[tuple[str, Any], Ratios] = defaultdict(dict)
    rows = Record.objects.filter(dataset__code=score766.DATASET_CODE, is_current=True, period=period)
    agencies = dict(Agency.objects.values_list("code", "pk"))
    for unit_id, data in rows.values_list("unit_id", "data"):
        named = str(data.get("co_quan") or "")
        agency_id = agencies.get(named)
        if named and agency_id is None:
            continue  # an unknown agency code: its figures are nobody's, least of all the territory's
        if agency_id is not None:
            key: tuple[str, Any] = (ServiceScore.Scope.AGENCY, agency_id)
        elif unit_id is not None:
            key = (ServiceScore.Scope.COMMUNE, unit_id)
        else:
            key = (ServiceScore.Scope.TERRITORY, None)
        for c in score766.CRITERIA:
            value = data.get(c.measure)
            if c.source == "dataset" and isinstance(value, int | float) and not isinstance(value, bool):
                found[key][c.code] = (float(value), 100.0)
    return found


def _row(period: str, scope: str, key: Any, ratios: Ratios, denominator: str, now: dt.datetime) -> ServiceScore:
    result = score766.score(ratios)
    criteria = {
        code: {"numerator": ratios.get(code, (0, 0))[0], "denominator": ratios.get(code, (0, 0))[1], "points": points}
        for code, points in result.criteria.items()
    }
    return ServiceScore(
        period=period,
        scope=scope,
        agency_id=key if scope == ServiceScore.Scope.AGENCY else None,
        unit_id=key if scope == ServiceScore.Scope.COMMUNE else None,
        criteria=_jsonable(criteria),
        groups=_jsonable(result.groups),
        total=result.total,
        measurable=result.measurable,
        denominator=denominator,
        computed_at=now,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return float(value) if isinstance(value, Decimal) else value


def scope_counts(start: dt.datetime, end: dt.datetime) -> dict[tuple[str, Any], dict[str, int]]:
    """(scope, key) → counts, for every agency and commune with dossiers touching the month, and the territory.
    One grouped pass by (agency, commune): the counts add up, so each scope is a sum of those cells."""
    touching = Dossier.objects.filter(_touching(start, end)).order_by()
    names = list(_counts(start, end))
    found: dict[tuple[str, Any], dict[str, int]] = {(ServiceScore.Scope.TERRITORY, None): dict.fromkeys(names, 0)}
    grouped: Any = touching.values("agency_id", "unit_id").annotate(**_counts(start, end))
    cells: list[dict[str, Any]] = list(grouped)
    for row in cells:
        keys = [(ServiceScore.Scope.AGENCY, row["agency_id"]), (ServiceScore.Scope.TERRITORY, None)]
        if row["unit_id"] is not None:
            keys.append((ServiceScore.Scope.COMMUNE, row["unit_id"]))
        for key in keys:
            cell = found.setdefault(key, dict.fromkeys(names, 0))
            for name in names:
                cell[name] += row[name]
    return found


@transaction.atomic
def service_scores_compute(
    *,
    month: dt.date,
    actor: User,
    denominator: str = score766.ON_TIME_DENOMINATOR,
    now: dt.datetime | None = None,
) -> list[ServiceScore]:
    """R5.3: Decision 766's scores of the month holding `month`, per agency, commune and the territory; the
    month's earlier rows replaced; communes and territory handed to the indicators. The rows written."""
    if denominator not in score766.DENOMINATORS:
        raise ValueError(denominator)
    now = now or timezone.now()
    start, end, period = month_bounds(month)
    counts = scope_counts(start, end)
    from_dataset = _dataset_ratios(period)
    rows = [
        _row(
            period, scope, key, {**event_ratios(c, denominator), **from_dataset.get((scope, key), {})}, denominator, now
        )
        for (scope, key), c in counts.items()
    ]
    rows += [
        _row(period, scope, key, ratios, denominator, now)
        for (scope, key), ratios in from_dataset.items()
        if (scope, key) not in counts
    ]
    ServiceScore.objects.filter(period=period).delete()
    ServiceScore.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="service_score.compute",
        object_type="dossiers.ServiceScore",
        object_id=period,
        row_count=len(rows),
        changes={"denominator": denominator},
    )
    indicator_rows_store(actor=actor, period=period, rows=rows, counts=counts)
    return rows


def indicator_rows(
    period: str, rows: list[ServiceScore], counts: dict[tuple[str, Any], dict[str, int]]
) -> list[ValueRow]:
    """The values for `indicators`: the 766 total and groups of the communes and the territory; the received
    count, on-time and online shares of the communes (the indicators aggregate those up themselves)."""
    codes = dict(AdminUnit.objects.filter(pk__in=[r.unit_id for r in rows if r.unit_id]).values_list("pk", "code"))
    values: list[ValueRow] = []
    for row in rows:
        if row.scope == ServiceScore.Scope.AGENCY:
            continue
        unit = codes.get(row.unit_id, "") if row.unit_id else "territory"
        if row.measurable:
            values.append(ValueRow(indicator=INDICATOR_TOTAL, period=period, unit=unit, value=float(row.total)))
        for group, points in row.groups.items():
            if points is not None:
                values.append(ValueRow(indicator=f"dvc766_{group}", period=period, unit=unit, value=points))
        c = counts.get((row.scope, row.unit_id))
        if row.scope == ServiceScore.Scope.COMMUNE and c:
            values.append(ValueRow(indicator="ho_so_tiep_nhan", period=period, unit=unit, value=c["received"]))
            if c["received"]:
                share = round(100 * c["online"] / c["received"], 2)
                values.append(ValueRow(indicator="ho_so_truc_tuyen", period=period, unit=unit, value=share))
            if c["finished"]:
                share = round(100 * c["on_time"] / c["finished"], 2)
                values.append(ValueRow(indicator="ho_so_dung_han", period=period, unit=unit, value=share))
    return values


def indicator_rows_store(
    *, actor: User, period: str, rows: list[ServiceScore], counts: dict[tuple[str, Any], dict[str, int]]
) -> tuple[int, int]:
    """Hand the values the indicators can take to `values_import` (all or nothing for those); the others — an
    indicator not in the catalogue, a unit outside the territory — are left out. (stored, skipped)."""
    values = indicator_rows(period, rows, counts)
    _clean, conflicts = values_check(actor=actor, rows=values)
    bad = {c["row"] for c in conflicts}
    good = [v for n, v in enumerate(values, start=1) if n not in bad]
    if not good:
        return 0, len(bad)
    summary = values_import(actor=actor, rows=good)
    return summary["imported"] + summary["updated"], len(bad)
