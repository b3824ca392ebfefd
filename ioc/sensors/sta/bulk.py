"""The dataArray extension's request body (R5.5), parsed and validated before the write transaction:

    [{"Datastream": {"@iot.id": 1},
      "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
      "dataArray@iot.count": 2,
      "dataArray": [["2025-07-01T00:00:00Z", 20, 1], ["2025-07-01T00:15:00Z", 21, 1]]}]

A row whose length differs from the components, an unknown component, a count that does not match the rows or a
bad value refuses the whole request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from ioc.sensors.drafts import DraftError, numeric_result, parse_interval, parse_time, ref_key
from ioc.sensors.services import ObservationRow

ROWS_MAX = 500_000
_INT_LIMIT = 10**308  # integers inside it convert to a finite double (float() of a larger one overflows)


def _phenomenon(value: Any, fields: dict[str, Any]) -> None:
    fields["phenomenon_time"], fields["phenomenon_time_end"] = parse_interval(value, "phenomenonTime")


def _result(value: Any, fields: dict[str, Any]) -> None:
    fields["result"], fields["result_number"] = value, numeric_result(value)


def _result_time(value: Any, fields: dict[str, Any]) -> None:
    fields["result_time"] = None if value is None else parse_time(value, "resultTime")


def _valid(value: Any, fields: dict[str, Any]) -> None:
    fields["valid_start"], fields["valid_end"] = (None, None) if value is None else parse_interval(value, "validTime")


def _json(name: str) -> Callable[[Any, dict[str, Any]], None]:
    def set_value(value: Any, fields: dict[str, Any]) -> None:
        fields[name] = value

    return set_value


COMPONENTS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "phenomenonTime": _phenomenon,
    "result": _result,
    "resultTime": _result_time,
    "resultQuality": _json("result_quality"),
    "validTime": _valid,
    "parameters": _json("parameters"),
}
FEATURE = "FeatureOfInterest/id"


def _components(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
        raise DraftError("components: cần một mảng tên / components: an array of names is expected")
    unknown = [c for c in value if c not in COMPONENTS and c != FEATURE]
    if unknown:
        raise DraftError(f"components: không hỗ trợ {unknown[0]} / unsupported component {unknown[0]}")
    if "result" not in value:
        raise DraftError("components: thiếu result / components: result is mandatory")
    if len(set(value)) != len(value):
        raise DraftError("components: bị lặp / components: repeated")
    return value


def _row(components: list[str], values: Any, index: int) -> ObservationRow:
    if not isinstance(values, list) or len(values) != len(components):
        raise DraftError(
            f"dataArray[{index}]: số giá trị khác số components / dataArray[{index}]: length differs from components"
        )
    fields: dict[str, Any] = {}
    feature: int | str | None = None
    for name, value in zip(components, values, strict=True):
        if name == FEATURE:
            feature = ref_key(value)
        else:
            try:
                COMPONENTS[name](value, fields)
            except DraftError as exc:
                raise DraftError(f"dataArray[{index}].{exc}") from None
    if fields.get("result") is None:
        raise DraftError(f"dataArray[{index}]: thiếu result / dataArray[{index}]: result is mandatory")
    return ObservationRow(fields, feature)


PLAIN = (["phenomenonTime", "result"], ["result", "phenomenonTime"])


def _utc_instant(value: Any, index: int) -> tuple[dt.datetime, str | None]:
    """(the time, its SQLite text): `YYYY-MM-DDTHH:MM:SSZ` by slicing, anything else by `parse_interval` (no
    interval here: an interval needs `phenomenon_time_end`, which the plain rows do not carry)."""
    if type(value) is str and len(value) == 20 and value[19] == "Z" and value[10] == "T":
        try:
            return dt.datetime.fromisoformat(value), f"{value[:10]} {value[11:19]}"
        except ValueError:
            pass  # the general parser below names the error
    try:
        start, end = parse_interval(value, "phenomenonTime")
    except DraftError as exc:
        raise DraftError(f"dataArray[{index}].{exc}") from None
    if end is not None:
        raise _Interval
    return start, None


class _Interval(Exception):
    """A plain batch with an interval time: parsed again by the general rows."""


def _plain_rows(components: list[str], rows: list[Any]) -> list[ObservationRow]:
    """R5.5, issue 11 "Speed": the common batch (phenomenonTime and result only) without the per-component
    dispatch; the same checks and messages as `_row`."""
    at = components.index("phenomenonTime")
    made: list[ObservationRow] = []
    append = made.append
    for index, values in enumerate(rows):
        if type(values) is not list or len(values) != 2:
            _row(components, values, index)  # raises the general message
        start, text = _utc_instant(values[at], index)
        result = values[1 - at]
        if result is None:
            raise DraftError(f"dataArray[{index}]: thiếu result / dataArray[{index}]: result is mandatory")
        kind = type(result)  # numeric_result, inlined for the common kinds
        if kind is float:
            number = result if result - result == 0 else None  # inf - inf and nan - nan are nan
        else:
            number = float(result) if kind is int and -_INT_LIMIT < result < _INT_LIMIT else numeric_result(result)
        fields = {"phenomenon_time": start, "phenomenon_time_end": None, "result": result, "result_number": number}
        append(ObservationRow(fields, None, text))
    return made


def _batch(item: Any, index: int) -> tuple[int | str, list[ObservationRow]]:
    if not isinstance(item, dict):
        raise DraftError(f"[{index}]: cần một đối tượng JSON / a JSON object is expected")
    unknown = sorted(set(item) - {"Datastream", "components", "dataArray", "dataArray@iot.count"})
    if unknown:
        raise DraftError(f"[{index}]: thuộc tính không tồn tại: {unknown[0]} / unknown property: {unknown[0]}")
    stream = item.get("Datastream")
    if not isinstance(stream, dict) or "@iot.id" not in stream:
        raise DraftError(f"[{index}].Datastream: cần @iot.id / Datastream needs @iot.id")
    components = _components(item.get("components"))
    rows = item.get("dataArray")
    if not isinstance(rows, list):
        raise DraftError(f"[{index}].dataArray: cần một mảng / dataArray: an array is expected")
    count = item.get("dataArray@iot.count")
    if count is not None and count != len(rows):
        raise DraftError(f"[{index}]: dataArray@iot.count khác số dòng / dataArray@iot.count differs from the rows")
    if components in PLAIN:
        with contextlib.suppress(_Interval):
            return ref_key(stream["@iot.id"]), _plain_rows(components, rows)
    return ref_key(stream["@iot.id"]), [_row(components, values, i) for i, values in enumerate(rows)]


def parse_create_observations(body: Any) -> list[tuple[int | str, list[ObservationRow]]]:
    if not isinstance(body, list) or not body:
        raise DraftError("Cần một mảng các Datastream / An array of Datastream batches is expected")
    batches = [_batch(item, i) for i, item in enumerate(body)]
    if sum(len(rows) for _key, rows in batches) > ROWS_MAX:
        raise DraftError(f"Tối đa {ROWS_MAX} dòng mỗi yêu cầu / At most {ROWS_MAX} rows per request")
    return batches
