"""R2.3: values in — from a form, the API or a DHIS2-style `dataValueSets` import — all or nothing.

Every row is checked first (indicator known and active, the reporter's right to it, the period of the indicator's
type, a unit at one of its levels inside the territory, a finite number, not negative unless allowed, no repeat in
the batch); any conflict rejects the whole batch and the import summary names each row, field and reason. A clean
batch is written in one transaction with one audit entry, then aggregates, formulas, statuses and warnings are
recomputed for what it touched, and the data calls it answers are closed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from ioc.audit.services import audit_record_bulk
from ioc.common.bulk import insert_returning
from ioc.common.imports import ImportConflict, ImportSummary, import_summary
from ioc.geo import selectors as geo_selectors
from ioc.indicators.choices import Level, Source
from ioc.indicators.models import Indicator, Value
from ioc.indicators.periods import matches, start_date
from ioc.indicators.services._base import current_version, reportable_ids
from ioc.indicators.services.calls import calls_answer
from ioc.indicators.services.recompute import indicators_recompute

if TYPE_CHECKING:
    from ioc.accounts.models import User

TERRITORY = "territory"
MAX_ROWS = 50_000


class ValueRow(TypedDict):
    """One reported value: `indicator` code, DHIS2 `period`, `unit` (a 2025 commune code, or empty / "territory" /
    the territory's province code for the whole territory) and `value` as text or number."""

    indicator: str
    period: str
    unit: str
    value: str | float


@dataclass(frozen=True)
class CleanRow:
    indicator: Indicator
    unit_id: int | None
    period: str
    value: float


class _Units:
    """The territory's communes by code and the codes that mean the whole territory."""

    def __init__(self, profile: str) -> None:
        territory = geo_selectors.territory_get(profile=profile)
        self.by_code: dict[str, int] = {}
        self.root_codes = {"", TERRITORY}
        if territory is not None:
            self.by_code = dict(geo_selectors.territory_communes(territory=territory).values_list("code", "pk"))
            if territory.root is not None:
                self.root_codes.add(territory.root.code)


def _value(raw: str | float, indicator: Indicator) -> tuple[float | None, str]:
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return None, "Giá trị không phải là số / Not a number"
    if not math.isfinite(number):
        return None, "Giá trị không hữu hạn / Not a finite number"
    if number < 0 and not indicator.allow_negative:
        return None, "Chỉ số này không nhận giá trị âm / Negative values are not allowed for this indicator"
    return number, ""


def _check(
    row: ValueRow, n: int, *, allowed: set[int], indicators: dict[str, Indicator], units: _Units
) -> tuple[CleanRow | None, list[ImportConflict]]:
    def conflict(field: str, value: object, reason: str) -> list[ImportConflict]:
        return [ImportConflict(row=n, field=field, value=str(value)[:200], reason=reason)]

    code, period, unit_code = str(row.get("indicator", "")), str(row.get("period", "")), str(row.get("unit") or "")
    indicator = indicators.get(code)
    if indicator is None:
        return None, conflict("dataElement", code, "Không có chỉ số đang áp dụng với mã này / Unknown or retired")
    if indicator.pk not in allowed:
        return None, conflict("dataElement", code, "Chỉ số của cơ quan khác / Another agency's indicator")
    if indicator.source == Source.FORMULA:
        return None, conflict("dataElement", code, "Chỉ số tính theo công thức, không nhập / Computed by formula")
    try:
        if not matches(period, indicator.period_type):
            return None, conflict("period", period, "Kỳ không đúng loại kỳ của chỉ số / Wrong period type")
    except ValidationError:
        return None, conflict("period", period, "Kỳ không hợp lệ (2025, 2025Q3, 202507) / Invalid period")
    unit_id: int | None
    if unit_code in units.root_codes:
        unit_id, level = None, Level.TERRITORY
    elif unit_code in units.by_code:
        unit_id, level = units.by_code[unit_code], Level.COMMUNE
    else:
        return None, conflict("orgUnit", unit_code, "Đơn vị không thuộc địa bàn / Unit outside the territory")
    if level not in indicator.levels:
        return None, conflict("orgUnit", unit_code, "Chỉ số không báo cáo ở cấp này / Not reported at this level")
    number, problem = _value(row.get("value", ""), indicator)
    if number is None:
        return None, conflict("value", row.get("value", ""), problem)
    return CleanRow(indicator, unit_id, period, number), []


def values_check(
    *, actor: User, rows: Sequence[ValueRow], profile: str | None = None
) -> tuple[list[CleanRow], list[ImportConflict]]:
    """Every row checked (1-based row numbers) against the territory of `profile` (the deployment's by default);
    clean rows and conflicts."""
    if len(rows) > MAX_ROWS:
        return [], [ImportConflict(row=0, field="dataValues", value=str(len(rows)), reason="Quá nhiều dòng / Too many")]
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    units = _Units(profile or settings.IOC_PROFILE)
    allowed = reportable_ids(actor, indicators.values())
    clean: list[CleanRow] = []
    conflicts: list[ImportConflict] = []
    seen: set[tuple[int, int | None, str]] = set()
    for n, row in enumerate(rows, start=1):
        found, problems = _check(row, n, allowed=allowed, indicators=indicators, units=units)
        if found is not None:
            key = (found.indicator.pk, found.unit_id, found.period)
            if key in seen:
                problems = [
                    ImportConflict(
                        row=n,
                        field="dataValues",
                        value=found.period,
                        reason="Trùng dòng trước trong lô / Repeats an earlier row",
                    )
                ]
            seen.add(key)
        conflicts.extend(problems)
        if found is not None and not problems:
            clean.append(found)
    return clean, conflicts


def _existing(rows: Iterable[CleanRow]) -> dict[tuple[int, int | None, str], Value]:
    rows = list(rows)
    ids = {r.indicator.pk for r in rows}
    periods = {r.period for r in rows}
    found = Value.objects.filter(indicator_id__in=ids, period__in=periods)
    return {(v.indicator_id, v.unit_id, v.period): v for v in found}


def values_write(*, actor: User, rows: Sequence[CleanRow]) -> tuple[int, int]:
    """Insert or update checked rows in bulk under the current version; (inserted, updated)."""
    if not rows:  # an empty batch writes nothing, even before a catalogue version is approved (found by fuzzing)
        return 0, 0
    version = current_version()
    assert version is not None  # an active indicator implies an approved version
    existing = _existing(rows)
    new: list[Value] = []
    changed: list[Value] = []
    for row in rows:
        found = existing.get((row.indicator.pk, row.unit_id, row.period))
        if found is None:
            new.append(
                Value(
                    indicator=row.indicator,
                    unit_id=row.unit_id,
                    period=row.period,
                    period_start=start_date(row.period),
                    value=row.value,
                    version=version,
                    reported_by=actor,
                )
            )
        else:
            found.value, found.version, found.reported_by, found.computed = row.value, version, actor, False
            changed.append(found)
    insert_returning(new)  # bulk_create without its per-value compiler
    Value.objects.bulk_update(changed, ["value", "version", "reported_by", "computed", "updated_at"], batch_size=2000)
    return len(new), len(changed)


@transaction.atomic
def values_import(
    *, actor: User, rows: Sequence[ValueRow], dry_run: bool = False, profile: str | None = None
) -> ImportSummary:
    """R2.3: check and store a batch of values; any conflict stores nothing. `dry_run` checks and counts only.
    `profile` names the territory (the deployment's, `IOC_PROFILE`, unless a demo loads another)."""
    clean, conflicts = values_check(actor=actor, rows=rows, profile=profile)
    if conflicts:
        return import_summary(conflicts=conflicts, ignored=len(clean))
    existing = _existing(clean)
    updates = sum(1 for r in clean if (r.indicator.pk, r.unit_id, r.period) in existing)
    if dry_run:
        return import_summary(imported=len(clean) - updates, updated=updates)
    inserted, updated = values_write(actor=actor, rows=clean)
    audit_record_bulk(
        actor=actor,
        action="indicator_value.import",
        object_type="indicators.value",
        rows=[(r.indicator.code, r.unit_id, r.period, r.value) for r in clean],
    )
    touched = {(r.indicator.pk, r.period) for r in clean}
    indicators_recompute(actor=actor, indicator_ids={i for i, _p in touched}, periods={p for _i, p in touched})
    calls_answer(actor=actor, touched=touched)
    return import_summary(imported=inserted, updated=updated)
