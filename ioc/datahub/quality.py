"""Quality "đúng, đủ, sạch, sống" (R1.4), per submission and per dataset, with the definitions shown on screen.

- đúng (correct): share of rows passing the schema (types, constraints, code lists, units, points) and its
  cross-field rules (`ioc:rules`, counted apart as `rule_errors`); numeric
  outliers by the robust z-score |0.6745 (x − median) / MAD| > 3.5 are counted beside it;
- đủ (complete): share of filled cells among the accepted rows, and of the units reported last time that are
  present again;
- sạch (clean): share of rows without a duplicate key or an unlisted code; cells whose text needed
  normalising (spaces, Unicode composition) are counted;
- sống (live): the mean of what is known of: the age of the newest accepted data against the dataset's expected
  frequency, the on-time rate of its obligations (R1.3) and the health of its pull connector (successful runs).
"""

from __future__ import annotations

import statistics
from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.datahub.validation import Checked, CleanRow

Z_LIMIT = 3.5
MIN_VALUES_FOR_OUTLIERS = 8
OUTLIERS_SHOWN = 20

DEFINITIONS = (
    (
        "dung",
        _("Đúng"),
        _(
            "Tỷ lệ dòng đạt cấu trúc: kiểu dữ liệu, ràng buộc, danh mục mã, đơn vị, tọa độ và các quy tắc liên "
            "trường (ví dụ ngày kết thúc không trước ngày bắt đầu). "
            "Giá trị bất thường (z-score bền vững > 3,5) được đếm riêng."
        ),
    ),
    (
        "du",
        _("Đủ"),
        _("Tỷ lệ ô có dữ liệu trong các dòng được nhận, và tỷ lệ đơn vị đã báo cáo kỳ trước có mặt trong lần nộp này."),
    ),
    (
        "sach",
        _("Sạch"),
        _(
            "Tỷ lệ dòng không trùng khóa và không dùng mã ngoài danh mục; "
            "số ô phải chuẩn hóa (khoảng trắng, mã Unicode) được đếm riêng."
        ),
    ),
    (
        "song",
        _("Sống"),
        _(
            "Trung bình của các phần đã có: tuổi của dữ liệu mới nhất được nhận so với tần suất cập nhật; tỷ lệ "
            "lần gửi đúng hạn theo nghĩa vụ trong 28 ngày qua; sức khỏe kết nối kéo (tỷ lệ chạy thành công trong "
            "10 lần gần nhất)."
        ),
    ),
)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def outliers(rows: list[CleanRow], numeric_fields: list[str]) -> list[dict[str, Any]]:
    """Cells whose robust z-score exceeds Z_LIMIT, per numeric field (fields with too few values are skipped)."""
    found: list[dict[str, Any]] = []
    for name in numeric_fields:
        values = [(r.row, r.data[name]) for r in rows if isinstance(r.data.get(name), int | float)]
        if len(values) < MIN_VALUES_FOR_OUTLIERS:
            continue
        numbers = [v for _row, v in values]
        median = statistics.median(numbers)
        mad = statistics.median(abs(v - median) for v in numbers)
        if mad == 0:
            continue
        found.extend(
            {"row": row, "field": name, "value": v} for row, v in values if abs(0.6745 * (v - median) / mad) > Z_LIMIT
        )
    return found


def submission_quality(
    checked: Checked, *, numeric_fields: list[str], expected_units: set[int] | None = None
) -> dict[str, Any]:
    """The measures of one submission (stored on it as JSON)."""
    total = checked.total
    valid = len(checked.rows)
    unclean = min(total, checked.duplicates + checked.code_errors)
    found = outliers(checked.rows, numeric_fields)
    present = {r.unit_id for r in checked.rows if r.unit_id}
    units = _pct(len(present & expected_units), len(expected_units)) if expected_units else None
    return {
        "rows": total,
        "dung": _pct(valid, total),
        "rule_errors": checked.rule_errors,
        "outliers": len(found),
        "outlier_cells": found[:OUTLIERS_SHOWN],
        "du": _pct(checked.filled_cells, checked.cells),
        "units_present": units,
        "sach": _pct(total - unclean, total),
        "duplicates": checked.duplicates,
        "code_errors": checked.code_errors,
        "normalised": checked.normalised,
    }


def freshness(age_days: float | None, limit_days: int) -> dict[str, Any]:
    """Sống: the data age against the frequency's limit (100 when fresh, falling linearly to 0 at twice it)."""
    if age_days is None:
        return {"age_days": None, "limit_days": limit_days, "song": None}
    score = max(0.0, min(100.0, 100.0 * (2 - age_days / limit_days))) if age_days > limit_days else 100.0
    return {"age_days": round(age_days, 1), "limit_days": limit_days, "song": round(score, 1)}


def liveness(*, age: float | None, on_time: float | None, connector: float | None) -> dict[str, Any]:
    """Sống: the mean of its known parts — the age score, the on-time rate (%) and the connector's health (%) —
    with each part kept beside it (None when nothing is known)."""
    parts = [value for value in (age, on_time, connector) if value is not None]
    song = round(sum(parts) / len(parts), 1) if parts else None
    return {"song": song, "song_age": age, "on_time": on_time, "connector_health": connector}
