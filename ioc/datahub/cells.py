"""One cell → one typed value (R1.2c, issue part 4): what offices type, read the way they mean it.

- numbers: "1.234.567", "1.234,5" (dot thousands, decimal comma), "1,5", "1.5", "1,234,567.5"; a single dot
  followed by three digits in an integer field is a thousands dot ("1.234" → 1234);
- dates: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) and ISO yyyy-mm-dd; a workbook's own dates;
- booleans: có/không, đúng/sai, x, 1/0, true/false, yes/no;
- text: NFC, trimmed, inner runs of spaces collapsed (counted as "not normalised", R1.4 "sạch").

Each converter returns the value or raises `CellError` with the reason in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from ioc.common.periods import LOCAL_TZ
from ioc.common.text import fold

_INT = re.compile(r"[+-]?\d+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?")
_PLAIN_DECIMAL = re.compile(r"[+-]?\d*[.,]\d+|[+-]?\d+[.,]?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_SPACES = re.compile(r"\s+")
_TRUE = {"co", "dung", "x", "1", "true", "yes", "c"}
_FALSE = {"khong", "sai", "0", "false", "no", "k"}


class CellError(ValueError):
    """A cell that cannot be read as its field's type; the message is the reason."""


# C0 controls that are not white space to Python (tab, line feed, vertical tab, form feed, carriage return and the
# separators 0x1c–0x1f are, and become one space like any other), DEL and lone surrogates: an old system's export or a
# pasted binary carries them, none means anything in a cell, and PostgreSQL cannot store a NUL in a JSON document (the
# whole upload would fail). They are dropped, so the cell counts as normalised.
CONTROL_BUT_NUL = "\x01-\x08\x0e-\x1b\x7f\ud800-\udfff"
_CONTROL = re.compile(f"[\x00{CONTROL_BUT_NUL}]")
_UNCLEAN = re.compile(rf"\s\s|[^\S ]|^\s|\s$|[\x00{CONTROL_BUT_NUL}]")


def text_clean(value: str) -> str:
    """NFC, trimmed, control characters dropped, inner runs of white space made one space (the common clean cell is
    returned as it is)."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        if _UNCLEAN.search(value) is None:
            return value
        return _SPACES.sub(" ", _CONTROL.sub("", value)).strip()
    return _SPACES.sub(" ", unicodedata.normalize("NFC", _CONTROL.sub("", value))).strip()


def to_number(value: Any, *, integer: bool = False) -> int | float:
    if isinstance(value, bool):
        raise CellError(_("không phải là số"))
    if isinstance(value, int | float):
        return _checked_number(value, integer)
    text = str(value).replace("\u00a0", "").replace(" ", "")
    return _checked_number(_parse_number(text, integer), integer)


def _checked_number(number: float, integer: bool) -> int | float:
    if isinstance(number, float) and not math.isfinite(number):
        raise CellError(_("không phải là số"))
    if integer:
        if float(number) != int(number):
            raise CellError(_("phải là số nguyên"))
        return int(number)
    return number


def _parse_number(text: str, integer: bool) -> int | float:
    if _INT.fullmatch(text):
        return int(text)
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        if not _GROUPED.fullmatch(text):
            raise CellError(_("không phải là số"))
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return float(text.replace(thousands, "").replace(decimal, "."))
    separator = "." if has_dot else ","
    if text.count(separator) > 1 or (integer and _GROUPED.fullmatch(text)):
        if not _GROUPED.fullmatch(text):
            raise CellError(_("không phải là số"))
        return int(text.replace(separator, ""))
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise CellError(_("không phải là số"))
    return float(text.replace(",", "."))


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _DMY.fullmatch(text)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = _YMD.fullmatch(text)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise CellError(_("ngày không tồn tại")) from exc
    raise CellError(_("không phải là ngày (dd/mm/yyyy)"))


def to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            moment = _dmy_time(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def _dmy_time(text: str) -> dt.datetime:
    day_part, _sep, time_part = text.partition(" ")
    day = to_date(day_part)
    match = _TIME.fullmatch(time_part.strip()) if time_part else None
    if time_part and match is None:
        raise CellError(_("không phải là thời điểm (dd/mm/yyyy HH:MM)"))
    hour, minute, second = (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)) if match else (0, 0, 0)
    try:
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LOCAL_TZ)
    except ValueError as exc:
        raise CellError(_("không phải là thời điểm (dd/mm/yyyy HH:MM)")) from exc


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    folded = fold(str(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("phải là có/không"))


def to_year(value: Any) -> int:
    year = to_number(value, integer=True)
    if not 1900 <= int(year) <= 2100:
        raise CellError(_("năm phải trong khoảng 1900–2100"))
    return int(year)


def to_geopoint(value: Any) -> tuple[float, float]:
    """Table Schema's default geopoint, "lon, lat" (or [lon, lat]) → (lat, lon)."""
    parts = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    if len(parts) != 2:
        raise CellError(_("tọa độ phải có dạng “kinh độ, vĩ độ”"))
    lon, lat = (float(to_number(p)) for p in parts)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CellError(_("tọa độ ngoài phạm vi"))
    return lat, lon
