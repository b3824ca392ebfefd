"""Rows against a dataset's Table Schema (R1.2, R1.4): types, constraints, code lists, primary keys, units,
periods and points, with one conflict `{row, field, value, reason}` per problem (`ioc.common.imports`).

Pure reads: nothing here writes, so the ingest service runs it before its write transaction. Row numbers are
the spreadsheet's (the header is row 1) for files and 1-based positions for JSON rows; header problems are on
row 1 (files) or row 0 (the whole submission).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ioc.common import spreadsheet
from ioc.common.imports import ImportConflict
from ioc.common.periods import period_parse
from ioc.common.text import fold
from ioc.datahub import cells
from ioc.datahub.reading import Table, legacy_encoding
from ioc.datahub.rules import RuleSet
from ioc.datahub.schema import primary_key
from ioc.geo import selectors as geo
from ioc.geo.models import AdminUnit

MAX_CODES_SHOWN = 12
CHECKED_CONSTRAINTS = ("enum", "minimum", "maximum", "minLength", "maxLength", "pattern")


@dataclass(frozen=True)
class FieldSpec:
    """One schema field, compiled once per submission."""

    name: str
    title: str
    type: str
    required: bool
    role: str
    enum: tuple[Any, ...] | None
    enum_text: frozenset[str]
    minimum: Any
    maximum: Any
    min_length: int | None
    max_length: int | None
    pattern: re.Pattern[str] | None
    convert: Callable[[Any], Any]
    constrained: bool

    @classmethod
    def of(cls, spec: dict[str, Any]) -> FieldSpec:
        c = spec.get("constraints") or {}
        return cls(
            name=spec["name"],
            title=str(spec.get("title") or spec["name"]),
            type=spec.get("type", "string"),
            required=bool(c.get("required")) or False,
            role=str(spec.get("ioc:role", "")),
            enum=tuple(c["enum"]) if c.get("enum") else None,
            enum_text=frozenset(str(e) for e in c.get("enum") or ()),
            minimum=c.get("minimum"),
            maximum=c.get("maximum"),
            min_length=c.get("minLength"),
            max_length=c.get("maxLength"),
            pattern=re.compile(str(c["pattern"])) if c.get("pattern") else None,
            convert=CONVERTERS[spec.get("type", "string")],
            constrained=any(
                c.get(k) is not None for k in ("enum", "minimum", "maximum", "minLength", "maxLength", "pattern")
            ),
        )


@dataclass
class CleanRow:
    """A row that passed: its JSON data and the real columns derived from it."""

    row: int
    data: dict[str, Any]
    pk_hash: str
    unit_ref: str = ""
    period: str = ""
    lat: float | None = None
    lon: float | None = None
    unit_id: int | None = None
    commune_id: int | None = None
    grid_cell: str = ""


@dataclass
class Checked:
    """The outcome of checking: valid rows, conflicts, and what the quality measures need (R1.4)."""

    rows: list[CleanRow] = field(default_factory=list)
    conflicts: list[ImportConflict] = field(default_factory=list)
    total: int = 0
    header_failed: bool = False
    filled_cells: int = 0
    cells: int = 0
    normalised: int = 0
    duplicates: int = 0
    code_errors: int = 0
    rule_errors: int = 0  # rows that passed every cell but broke a cross-field rule (`rules.py`)

    def add(self, row: int, name: str, value: Any, reason: str) -> None:
        self.conflicts.append(ImportConflict(row=row, field=name, value=_shown(value), reason=reason))


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class RowChecker:
    """Checks rows of one dataset: compile the schema once, then `check` each row."""

    def __init__(self, schema: dict[str, Any], *, default_period: str = "") -> None:
        self.fields = [FieldSpec.of(f) for f in schema.get("fields", [])]
        self.by_name = {f.name: f for f in self.fields}
        # only these fields set a real column (`_apply_role`); the others are skipped per row
        self.role_fields = [f for f in self.fields if f.role in ROLES or f.type == "geopoint"]
        self.key = primary_key(schema) or [f.name for f in self.fields]
        self.default_period = default_period
        self.rules = RuleSet(schema)
        self.seen: dict[str, int] = {}
        self.letters: dict[str, str] = {}  # field → spreadsheet column letter (files), to name refused cells
        self.result = Checked()

    def check(self, row: int, values: dict[str, Any], columns: dict[str, int] | None = None) -> None:
        """Check one row (`values` by field name; `columns`: field → column index, to name cells)."""
        self.result.total += 1
        before = len(self.result.conflicts)
        data: dict[str, Any] = {}
        for spec in self.fields:
            letter = self.letters.get(spec.name, "") if columns is not None else ""
            data[spec.name] = self._cell(row, spec, values.get(spec.name), letter)
        if len(self.result.conflicts) > before:
            return
        clean = self.derive(row, data)
        if clean is not None and len(self.result.conflicts) == before:
            self.count_filled(data)
            self.result.rows.append(clean)

    def _cell(self, row: int, spec: FieldSpec, raw: Any, letter: str) -> Any:
        outcome = cell_outcome(spec, raw, letter, row)
        self.result.normalised += outcome.normalised
        self.result.code_errors += outcome.code_error
        if outcome.reason:
            self.result.add(row, spec.name, outcome.shown, outcome.reason)
        return outcome.value

    def derive(self, row: int, data: dict[str, Any]) -> CleanRow | None:
        """A row whose cells passed: its cross-field rules (R1.4 "đúng"), its key (once per submission) and the
        real columns its roles set; None (with the conflicts added) when it fails."""
        if self.rules and (broken := self.rules.broken(data)):
            self.result.rule_errors += 1
            for name, value, reason in broken:
                self.result.add(row, name, value, reason)
            return None
        key_values = [data.get(name) for name in self.key]
        pk_hash = hashlib.sha256(_KEY_JSON.encode(key_values).encode()).hexdigest()
        first = self.seen.get(pk_hash)
        if first is not None:
            self.result.duplicates += 1
            self.result.add(
                row,
                ",".join(self.key),
                ", ".join(str(v) for v in key_values),
                _("Trùng khóa chính với dòng %(n)d") % {"n": first},
            )
            return None
        self.seen[pk_hash] = row
        clean = CleanRow(row=row, data=data, pk_hash=pk_hash, period=self.default_period)
        for spec in self.role_fields:
            value = data.get(spec.name)
            if value is None:
                continue
            if not self._apply_role(row, spec, value, clean):
                return None
        return clean

    def _apply_role(self, row: int, spec: FieldSpec, value: Any, clean: CleanRow) -> bool:
        if spec.role == "unit":
            clean.unit_ref = str(value)
        elif spec.role == "period":
            try:
                clean.period = _period_code(str(value))
            except ValidationError:
                self.result.add(row, spec.name, value, _("Kỳ không hợp lệ (ví dụ 2025, 2025Q3, 202507)"))
                return False
        elif spec.role == "lat":
            clean.lat = float(value)
        elif spec.role == "lon":
            clean.lon = float(value)
        elif spec.role == "geopoint" or spec.type == "geopoint":
            clean.lat, clean.lon = cells.to_geopoint(value)
        return True

    def count_filled(self, data: dict[str, Any]) -> None:
        values = tuple(data.values())
        self.result.cells += len(values)
        self.result.filled_cells += len(values) - values.count(None)


ROLES = frozenset({"unit", "period", "lat", "lon", "geopoint"})
# The key's JSON, hashed into `pk_hash` (stored: never change its form): `json.dumps(key, ensure_ascii=False,
# default=str)`, with the encoder made once rather than per row.
_KEY_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


@functools.lru_cache(maxsize=4096)
def _period_code(text: str) -> str:
    """A period's DHIS2 code (cached: a file repeats a few periods on every row)."""
    return period_parse(text).code


@dataclass(frozen=True)
class CellOutcome:
    """What one cell came to: its typed value, or the reason it was refused and the value shown with it; and
    whether it counted as normalised text or an unlisted code (R1.4 "sạch")."""

    value: Any = None
    reason: str = ""
    shown: Any = ""
    normalised: int = 0
    code_error: int = 0
    names_cell: bool = False  # the reason names the cell (a legacy font): not to be reused for another cell


EMPTY = CellOutcome()


def cell_outcome(spec: FieldSpec, raw: Any, letter: str, row: int, *, plain: bool = False) -> CellOutcome:
    """One cell against its field: text cleaned (NFC, spaces) and refused when formula-like or typed in a legacy
    font; required; converted to the field's type; constraints. Pure: the same cell gives the same outcome (the
    legacy-font reason names the cell, so only that one depends on `letter` and `row`). `plain`: the caller
    knows the text is clean and free of legacy-font letters (`columns.plain_column`), so only formulas are
    looked for."""
    normalised = 0
    if plain:
        if raw and raw[0] in spreadsheet.FORMULA_START and spreadsheet.is_formula(raw):
            return CellOutcome(reason=_text_refusal(raw, letter, row), shown=raw)
    elif isinstance(raw, str):
        cleaned = cells.text_clean(raw)
        if cleaned is not raw:  # text_clean hands a clean cell back as it is
            if spec.type == "string" or cleaned != raw.strip():
                normalised = 1
            raw = cleaned
        if raw and (reason := _text_refusal(raw, letter, row)):
            return CellOutcome(reason=reason, shown=raw, normalised=normalised, names_cell=True)
    if raw is None or raw == "":
        if spec.required:
            return CellOutcome(reason=_("Thiếu giá trị bắt buộc"), shown="", normalised=normalised)
        return CellOutcome(normalised=normalised) if normalised else EMPTY
    try:
        value = spec.convert(raw)
    except (cells.CellError, ValueError, TypeError) as exc:
        reason = _("Sai kiểu dữ liệu (%(type)s): %(why)s") % {"type": spec.type, "why": exc}
        return CellOutcome(reason=reason, shown=raw, normalised=normalised)
    reason = _constraint_refusal(spec, value) if spec.constrained else ""
    if reason:
        code_error = 0
        if spec.enum is not None and reason.startswith("enum:"):
            code_error, reason = 1, reason[5:]
        return CellOutcome(reason=reason, shown=raw, normalised=normalised, code_error=code_error)
    return CellOutcome(value=value, normalised=normalised)


def _text_refusal(text: str, letter: str, row: int) -> str:
    if spreadsheet.is_formula(text):
        return _("Ô có dạng công thức (bắt đầu bằng =, +, -, @): không tiếp nhận để tránh chèn công thức độc hại")
    encoding = legacy_encoding(text)
    if encoding:
        cell = _(" (ô %(cell)s)") % {"cell": f"{letter}{row}"} if letter else ""
        return _(
            "Chữ gõ bằng bảng mã %(encoding)s%(cell)s, không phải Unicode. Cách sửa: dùng Unikey → Công cụ chuyển mã "
            "(%(encoding)s → Unicode) cho bảng tính rồi gửi lại"
        ) % {"encoding": encoding, "cell": cell}
    return ""


def _constraint_refusal(spec: FieldSpec, value: Any) -> str:
    if spec.enum is not None and str(value) not in spec.enum_text and value not in spec.enum:
        codes = ", ".join(str(e) for e in spec.enum[:MAX_CODES_SHOWN])
        return "enum:" + _("Mã không có trong danh mục (%(codes)s)") % {"codes": codes}
    if spec.minimum is not None and _compare(value) < _compare(spec.minimum):
        return _("Nhỏ hơn giá trị tối thiểu %(v)s") % {"v": spec.minimum}
    if spec.maximum is not None and _compare(value) > _compare(spec.maximum):
        return _("Lớn hơn giá trị tối đa %(v)s") % {"v": spec.maximum}
    if isinstance(value, str):
        return _length_refusal(spec, value)
    return ""


def _length_refusal(spec: FieldSpec, value: str) -> str:
    if spec.min_length is not None and len(value) < spec.min_length:
        return _("Ngắn hơn %(n)d ký tự") % {"n": spec.min_length}
    if spec.max_length is not None and len(value) > spec.max_length:
        return _("Dài hơn %(n)d ký tự") % {"n": spec.max_length}
    if spec.pattern is not None and not spec.pattern.fullmatch(value):
        return _("Không đúng định dạng %(p)s") % {"p": spec.pattern.pattern}
    return ""


def _compare(value: Any) -> Any:
    return str(value) if isinstance(value, str) else value


def _lon_lat(lat: float, lon: float) -> str:
    return f"{lon}, {lat}"


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": lambda v: str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v)),
    "integer": lambda v: cells.to_number(v, integer=True),
    "number": lambda v: float(cells.to_number(v)),
    "boolean": cells.to_boolean,
    "date": lambda v: _iso(cells.to_date(v)),
    "datetime": lambda v: _iso(cells.to_datetime(v)),
    "year": cells.to_year,
    "geopoint": lambda v: _lon_lat(*cells.to_geopoint(v)),
}


def header_map(header: list[str], fields: list[FieldSpec], result: Checked) -> dict[str, int] | None:
    """Field name → column index, matching names or Vietnamese titles without regard to case and marks.
    None (and the conflicts on row 1) for a file that is not the template, a renamed or a missing column."""
    wanted = {fold(f.name): f.name for f in fields} | {fold(f.title): f.name for f in fields}
    columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for index, text in enumerate(header):
        name = wanted.get(fold(text))
        if name is None or name in columns:
            unknown.append((index, text))
        else:
            columns[name] = index
    if not columns:
        result.add(
            1,
            "",
            ", ".join(header[:8]),
            _("Tệp không đúng mẫu của bộ dữ liệu: không có cột nào trùng tên với cấu trúc"),
        )
    else:
        _header_conflicts(fields, columns, unknown, result)
    result.header_failed = bool(result.conflicts)
    return None if result.header_failed else columns


def _header_conflicts(
    fields: list[FieldSpec], columns: dict[str, int], unknown: list[tuple[int, str]], result: Checked
) -> None:
    missing = [f for f in fields if f.name not in columns]
    titles = {f.title: f for f in missing}
    for index, text in unknown:
        if not text:
            continue
        guess = difflib.get_close_matches(text, list(titles), n=1, cutoff=0.5)
        hint = _("; có phải cột “%(title)s” bị đổi tên?") % {"title": guess[0]} if guess else ""
        result.add(
            1,
            text,
            text,
            _("Cột %(col)s “%(text)s” không có trong mẫu%(hint)s")
            % {"col": column_letter(index), "text": text, "hint": hint},
        )
    for spec in missing:
        result.add(1, spec.name, "", _("Thiếu cột “%(title)s” (%(name)s)") % {"title": spec.title, "name": spec.name})


def table_check(schema: dict[str, Any], table: Table, *, default_period: str = "") -> Checked:
    """A file's rows against the schema; the header first (nothing else is checked when it is wrong). The cells
    are checked column by column (`columns.py`), with the same outcome and report as `RowChecker.check`."""
    from ioc.datahub.columns import table_rows_check

    checker = RowChecker(schema, default_period=default_period)
    columns = header_map(table.header, checker.fields, checker.result)
    if columns is None:
        return checker.result
    checker.letters = {name: column_letter(index) for name, index in columns.items()}
    table_rows_check(checker, table, columns)
    return _resolved(checker.result)


def records_check(schema: dict[str, Any], records: list[Any], *, default_period: str = "") -> Checked:
    """JSON rows (objects keyed by field name) against the schema; unknown keys are conflicts."""
    checker = RowChecker(schema, default_period=default_period)
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            checker.result.total += 1
            checker.result.add(index, "", _shown(record), _("Mỗi dòng phải là một đối tượng JSON"))
            continue
        unknown = [key for key in record if key not in checker.by_name]
        for key in unknown:
            checker.result.add(index, str(key), _shown(record[key]), _("Trường không có trong cấu trúc"))
        if unknown:
            checker.result.total += 1
            continue
        checker.check(index, record)
    return _resolved(checker.result)


def _resolved(result: Checked) -> Checked:
    """Units by code and points by commune, in bulk; rows naming an unknown unit or a point outside fail."""
    refs = {r.unit_ref for r in result.rows if r.unit_ref}
    units = _units_by_ref(refs)
    cells = _CellCommunes()
    kept: list[CleanRow] = []
    for row in result.rows:
        if _locate(row, units, cells, result):
            kept.append(row)
    result.rows = kept
    return result


def _units_by_ref(refs: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for ref in refs:
        try:
            found[ref] = geo.unit_get(ref=ref).pk
        except (geo.UnitRefError, geo.UnitNotFoundError):
            continue
    return found


class _CellCommunes:
    """Point → commune for many points: a 0.01° grid cell lying wholly inside one commune maps every point in it
    to that commune without another look-up (most cells of a commune); other cells ask `point_locate` per point."""

    def __init__(self) -> None:
        self.cells: dict[str, int | None] = {}
        self.shapes: dict[int, Any] = {}

    def commune_of(self, lat: float, lon: float, cell: str) -> int:
        known = self.cells.get(cell, -1)
        if known is not None and known >= 0:
            return known
        match = geo.point_locate(lat=lat, lon=lon)
        if known == -1:
            inside = match.inside and self._covers(match.unit.pk, cell)
            self.cells[cell] = match.unit.pk if inside else None
        return int(match.unit.pk)

    def _covers(self, commune_id: int, cell: str) -> bool:
        if commune_id not in self.shapes:
            geometry = AdminUnit.objects.filter(pk=commune_id).values_list("geometry", flat=True).first()
            shape = shapely.from_geojson(geometry) if geometry else None
            if shape is not None:
                shapely.prepare(shape)
            self.shapes[commune_id] = shape
        shape = self.shapes[commune_id]
        box = geo.grid_cell_bbox(cell)
        return shape is not None and bool(
            shape.contains(shapely.box(box.min_lon, box.min_lat, box.max_lon, box.max_lat))
        )


def _locate(row: CleanRow, units: dict[str, int], cells: _CellCommunes, result: Checked) -> bool:
    if row.unit_ref:
        if row.unit_ref not in units:
            result.add(
                row.row, "unit", row.unit_ref, _("Mã đơn vị hành chính không tồn tại (mã xã 2025 hoặc legacy:<mã>)")
            )
            return False
        row.unit_id = units[row.unit_ref]
    if row.lat is None or row.lon is None:
        return True
    try:
        row.grid_cell = geo.grid_cell(row.lat, row.lon)
        row.commune_id = cells.commune_of(row.lat, row.lon, row.grid_cell)
    except geo.GeoInputError:
        row.grid_cell = ""
        result.add(row.row, "lat,lon", f"{row.lat}, {row.lon}", _("Tọa độ nằm ngoài lãnh thổ hoặc không hợp lệ"))
        return False
    row.unit_id = row.unit_id or row.commune_id
    return True
