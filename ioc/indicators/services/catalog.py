"""R2.1, R2.2: the indicator catalogue changes only by an approved version (a decision: number, date, signer).

Adding, changing or retiring indicators makes one new version; each touched indicator gets a revision holding its
definition as approved. Values keep the version they were reported under.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from ioc.agencies.selectors import agency_get
from ioc.audit.services import audit_record
from ioc.datahub import selectors as datahub_selectors
from ioc.indicators.bands import bands_problems
from ioc.indicators.choices import Aggregation, Direction, Level, PeriodType, Source, SourceAggregate
from ioc.indicators.formula import check_formulas
from ioc.indicators.models import CatalogVersion, Indicator, IndicatorRevision
from ioc.indicators.services._base import CATALOG_ROLES, current_version, require_roles
from ioc.sensors import selectors as sensor_selectors

if TYPE_CHECKING:
    from ioc.accounts.models import User

_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
SPEC_FIELDS = (
    "name", "name_en", "unit_label", "sector", "period_type", "levels", "aggregation", "weight_code", "direction",
    "range_low", "range_high", "tolerance", "bands", "source", "dataset_field", "formula", "allow_negative",
    "definition", "citation", "source_aggregate",
)  # fmt: skip


class IndicatorSpec(TypedDict):
    """An indicator's definition as a decision approves it (`agency` is the responsible agency's code)."""

    code: str
    name: str
    unit_label: str
    sector: str
    period_type: str
    levels: list[str]
    definition: str
    name_en: NotRequired[str]
    agency: NotRequired[str | None]
    aggregation: NotRequired[str]
    weight_code: NotRequired[str]
    direction: NotRequired[str]
    range_low: NotRequired[float | None]
    range_high: NotRequired[float | None]
    tolerance: NotRequired[float]
    bands: NotRequired[list[dict[str, Any]]]
    source: NotRequired[str]
    dataset_field: NotRequired[str]
    datastream: NotRequired[int | None]
    source_aggregate: NotRequired[str]
    formula: NotRequired[str]
    allow_negative: NotRequired[bool]
    citation: NotRequired[str]


def _definition_problems(spec: IndicatorSpec) -> dict[str, list[str]]:
    """The single-spec rules, by the field they concern."""
    problems: dict[str, list[str]] = defaultdict(list)
    if not _CODE.fullmatch(spec.get("code", "")):
        problems["code"].append(
            "mã bắt đầu bằng chữ thường, gồm chữ thường, số, gạch dưới (tối đa 40) / code: a-z first, then a-z, 0-9, _"
        )
    for name in ("name", "definition"):
        if not spec.get(name):
            problems[name].append("thiếu tên hoặc định nghĩa / name and definition are required")
    if spec.get("period_type") not in PeriodType.values:
        problems["period_type"].append("kỳ báo cáo không hợp lệ / unknown period type")
    levels = spec.get("levels") or []
    if not levels or not set(levels) <= set(Level.values):
        problems["levels"].append("cấp báo cáo phải là territory và/hoặc commune / levels: territory, commune")
    if spec.get("aggregation", Aggregation.SUM) not in Aggregation.values:
        problems["aggregation"].append("cách tổng hợp không hợp lệ / unknown aggregation")
    if spec.get("aggregation") == Aggregation.WEIGHTED_MEAN and not spec.get("weight_code"):
        problems["weight_code"].append("trung bình có trọng số cần chỉ số trọng số / weighted mean needs weight_code")
    direction = spec.get("direction", Direction.HIGHER)
    if direction not in Direction.values:
        problems["direction"].append("chiều đánh giá không hợp lệ / unknown direction")
    if direction == Direction.RANGE and (spec.get("range_low") is None or spec.get("range_high") is None):
        problems["range_low"].append(
            "chiều 'trong khoảng' cần cận dưới và cận trên / a range needs range_low and range_high"
        )
    bands = bands_problems(spec.get("bands"))
    if bands:
        problems["bands"].extend(bands)
    for name, reasons in _source_problems(spec).items():
        problems[name].extend(reasons)
    return dict(problems)


def _source_problems(spec: IndicatorSpec) -> dict[str, list[str]]:
    """R2.1: a formula needs its text; a dataset field names a numeric field of a catalogued dataset; a sensor-fed
    indicator names an existing datastream and is reported for the whole territory."""
    source = spec.get("source", Source.MANUAL)
    if source not in Source.values:
        return {"source": ["nguồn không hợp lệ / unknown source"]}
    if spec.get("source_aggregate", SourceAggregate.SUM) not in SourceAggregate.values:
        return {"source_aggregate": ["cách tính từ nguồn không hợp lệ / unknown source aggregate"]}
    if source == Source.FORMULA and not spec.get("formula"):
        return {"formula": ["chỉ số tính theo công thức cần công thức / a formula indicator needs its formula"]}
    if source == Source.DATASET:
        problem = dataset_field_problem(spec.get("dataset_field", ""))
        return {"dataset_field": [problem]} if problem else {}
    if source == Source.SENSOR:
        if not _datastream_known(spec.get("datastream")):
            return {"datastream": ["không có chuỗi quan trắc với mã này / no datastream with this id"]}
        if list(spec.get("levels") or []) != [Level.TERRITORY]:
            return {"levels": ["chỉ số từ chuỗi quan trắc chỉ ở cấp toàn địa bàn / a sensor-fed indicator: territory"]}
    return {}


def _datastream_known(pk: int | None) -> bool:
    if not pk:
        return False
    try:
        sensor_selectors.datastreams_by_ids(ids=[pk])
    except ValidationError:
        return False
    return True


def dataset_field_problem(reference: str) -> str:
    """Why `dataset.field` does not name a numeric field of a catalogued dataset ("" when it does)."""
    code, _dot, name = reference.partition(".")
    if not code or not name:
        return "trường dữ liệu viết dạng mã_bộ_dữ_liệu.tên_trường / write dataset_code.field_name"
    dataset = datahub_selectors.dataset_for_push(code=code)
    if dataset is None:
        return "không có bộ dữ liệu với mã này / no dataset with this code"
    types = {f["name"]: f.get("type", "string") for f in dataset.fields}
    if types.get(name) not in ("number", "integer"):
        return "bộ dữ liệu không có trường số với tên này / the dataset has no numeric field of this name"
    return ""


def spec_problems(
    spec: IndicatorSpec, *, adding: bool, existing: dict[str, bool] | None = None
) -> dict[str, list[str]]:
    """R2.1: what is wrong with one definition, by field (the configuration page shows each on its field)."""
    existing = dict(Indicator.objects.values_list("code", "is_active")) if existing is None else existing
    problems = _definition_problems(spec)
    code = spec.get("code", "")
    if adding and code in existing:
        problems.setdefault("code", []).append("mã đã có trong bộ chỉ số / code already in the catalogue")
    if not adding and not existing.get(code):
        problems.setdefault("code", []).append(
            "không có chỉ số đang áp dụng với mã này / no active indicator with this code"
        )
    if spec.get("agency") and agency_get(code=spec["agency"] or "") is None:
        problems.setdefault("agency", []).append("không có cơ quan với mã này / unknown agency code")
    return problems


def _field_values(spec: IndicatorSpec) -> dict[str, Any]:
    values: dict[str, Any] = {name: spec[name] for name in SPEC_FIELDS if name in spec}  # type: ignore[literal-required]
    values.setdefault("citation", "đề xuất")
    if "agency" in spec:
        code = spec["agency"]
        values["agency"] = agency_get(code=code) if code else None
    if "datastream" in spec:
        values["datastream_id"] = spec["datastream"] or None
    return values


def _check_all(
    add: Sequence[IndicatorSpec], change: Sequence[IndicatorSpec], retire: Sequence[str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    existing = dict(Indicator.objects.values_list("code", "is_active"))
    for key, specs in (("add", add), ("change", change)):
        for spec in specs:
            problems = spec_problems(spec, adding=key == "add", existing=existing)
            code = spec.get("code", "")
            for name, reasons in problems.items():
                errors.setdefault(key, []).extend(f"{code}: {name}: {reason}" for reason in reasons)
    unknown = [code for code in retire if not existing.get(code)]
    if unknown:
        errors["retire"] = ["không có chỉ số đang áp dụng / no active indicator: " + ", ".join(unknown)]
    return errors


def _formula_errors(add: Sequence[IndicatorSpec], change: Sequence[IndicatorSpec], retire: Sequence[str]) -> list[str]:
    """The catalogue's formulas after the change: unknown codes and cycles are refused."""
    active = Indicator.objects.filter(is_active=True).exclude(code__in=retire)
    known = set(active.values_list("code", flat=True))
    formulas = dict(active.filter(source=Source.FORMULA).values_list("code", "formula"))
    for spec in [*add, *change]:
        known.add(spec["code"])
        formulas.pop(spec["code"], None)
        if spec.get("source") == Source.FORMULA and spec.get("formula"):
            formulas[spec["code"]] = spec.get("formula", "")
    return [f"{code}: {reason}" for code, reason in sorted(check_formulas(formulas, known).items())]


def _revise(indicator: Indicator, version: CatalogVersion, change: str) -> None:
    data = model_to_dict(indicator, exclude=["id", "version"])
    IndicatorRevision.objects.create(indicator=indicator, version=version, change=change, definition=data)


@transaction.atomic
def catalog_version_approve(
    *,
    actor: User,
    decision_no: str,
    decision_date: dt.date,
    signer: str,
    note: str = "",
    add: Sequence[IndicatorSpec] = (),
    change: Sequence[IndicatorSpec] = (),
    retire: Sequence[str] = (),
) -> CatalogVersion:
    """R2.2: approve a new version of the catalogue that adds, changes and retires indicators, all or nothing."""
    require_roles(actor, CATALOG_ROLES, "Chỉ lãnh đạo hoặc quản trị hệ thống phê duyệt bộ chỉ số")
    errors = _check_all(add, change, retire)
    if not decision_no.strip() or not signer.strip():
        errors["decision_no"] = ["Cần số quyết định và người ký / Decision number and signer are required"]
    if not (add or change or retire):
        errors["add"] = ["Phiên bản mới phải có thay đổi / A new version must change something"]
    formula_problems = [] if errors else _formula_errors(add, change, retire)
    if formula_problems:
        errors["formula"] = formula_problems
    if errors:
        raise ValidationError(errors)
    previous = current_version()
    version = CatalogVersion.objects.create(
        number=(previous.number + 1) if previous else 1,
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        signer=signer.strip(),
        note=note,
    )
    for spec in add:
        indicator = Indicator.objects.create(code=spec["code"], version=version, **_field_values(spec))
        _revise(indicator, version, "add")
    for spec in change:
        indicator = Indicator.objects.get(code=spec["code"])
        for name, value in _field_values(spec).items():
            setattr(indicator, name, value)
        indicator.version = version
        indicator.save()
        _revise(indicator, version, "change")
    for indicator in Indicator.objects.filter(code__in=retire):
        indicator.is_active = False
        indicator.version = version
        indicator.save(update_fields=["is_active", "version"])
        _revise(indicator, version, "retire")
    audit_record(
        actor=actor,
        action="indicator_catalog.approve",
        obj=version,
        changes={"add": [s["code"] for s in add], "change": [s["code"] for s in change], "retire": list(retire)},
    )
    return version
