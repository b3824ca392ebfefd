"""R2.1: an indicator's colour bands — an ordered list of `{from, to, colour, label}` that colours its value on the
sector dashboard's cards and on the commune choropleth (quintiles are used only when an indicator has none).

A band holds `from <= value < to`; an empty `from` (first band only) is open below, an empty `to` (last band only)
is open above. Bands are in ascending order and never overlap; a gap between two bands is allowed (a value there
has no band: its card keeps the status colour, its commune is drawn grey, "outside the bands"). The colour is
`#rgb` or `#rrggbb`, so it can go into a style attribute as it is.
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_BANDS = 12
MAX_LABEL = 60
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_KEYS = {"from", "to", "colour", "label"}


def _bound(raw: Any) -> tuple[float | None, bool]:
    """The bound as a number (None when open) and whether it was acceptable."""
    if raw is None or raw == "":
        return None, True
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, False
    return float(raw), math.isfinite(raw)


def _one_band_problems(n: int, band: Any, last: bool) -> list[str]:
    if not isinstance(band, dict) or not {"colour", "label"} <= set(band) or not set(band) <= _KEYS:
        return [f"dải {n}: cần các khoá from, to, colour, label / band {n}: keys are from, to, colour, label"]
    problems = []
    low, low_ok = _bound(band.get("from"))
    high, high_ok = _bound(band.get("to"))
    if not (low_ok and high_ok):
        problems.append(f"dải {n}: cận phải là số / band {n}: from and to must be numbers")
    if low is not None and high is not None and low >= high:
        problems.append(f"dải {n}: cận dưới phải nhỏ hơn cận trên / band {n}: from must be below to")
    if low is None and n > 1 and low_ok:
        problems.append(f"dải {n}: chỉ dải đầu được để trống cận dưới / band {n}: only the first band may omit from")
    if high is None and not last and high_ok:
        problems.append(f"dải {n}: chỉ dải cuối được để trống cận trên / band {n}: only the last band may omit to")
    if not isinstance(band.get("colour"), str) or not _COLOUR.fullmatch(band["colour"]):
        problems.append(f"dải {n}: màu viết dạng #RRGGBB / band {n}: colour must be #RRGGBB or #RGB")
    label = band.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        problems.append(f"dải {n}: cần nhãn (tối đa {MAX_LABEL} ký tự) / band {n}: a label of 1–{MAX_LABEL} characters")
    return problems


def bands_problems(bands: Any) -> list[str]:
    """Why `bands` cannot be approved (empty when it can): shape, bounds, colour and label of each band, then their
    order and overlaps. Each reason names the band (counted from 1)."""
    if bands in (None, ""):
        return []
    if not isinstance(bands, list):
        return ["dải màu phải là danh sách / bands must be a list"]
    if len(bands) > MAX_BANDS:
        return [f"tối đa {MAX_BANDS} dải màu / at most {MAX_BANDS} bands"]
    problems = [p for n, band in enumerate(bands, 1) for p in _one_band_problems(n, band, n == len(bands))]
    if problems:
        return problems
    for n in range(2, len(bands) + 1):
        before, band = bands[n - 2], bands[n - 1]
        low, before_low, before_high = _bound(band.get("from"))[0], _bound(before.get("from"))[0], before.get("to")
        if low is None:
            continue  # reported above
        if before_low is not None and low < before_low:
            problems.append(f"dải {n}: các dải phải tăng dần / band {n}: bands must be in ascending order")
        elif before_high is not None and low < float(before_high):
            problems.append(f"dải {n}: chồng lên dải {n - 1} / band {n}: overlaps band {n - 1}")
    return problems


def band_for(bands: list[dict[str, Any]] | None, value: float | None) -> dict[str, Any] | None:
    """The band holding `value` (None without bands, without a value, or in a gap)."""
    if value is None or not bands:
        return None
    for band in bands:
        low, high = band.get("from"), band.get("to")
        if (low is None or value >= low) and (high is None or value < high):
            return band
    return None
