"""Charts of reports (R8.3): a table figure's column as a horizontal bar chart, drawn by matplotlib's Agg
backend (no display) into PNG bytes for the .docx."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

BARS_MAX = 15
LABEL_MAX = 40


def bar_chart_png(table: Mapping[str, Any], column: int) -> bytes | None:
    """The table's rows (at most 15, by the column's value) as bars of `column`; None when nothing to draw."""
    columns = table.get("columns") or []
    if not 0 < column < len(columns):
        return None
    pairs = [(str(row[0])[:LABEL_MAX], row[column]) for row in table.get("rows") or [] if _number(row[column])]
    pairs = sorted(pairs, key=lambda p: -p[1])[:BARS_MAX]
    if not pairs:
        return None
    figure = Figure(figsize=(6.3, 0.35 * len(pairs) + 1.2), dpi=150)
    axes = figure.add_subplot()
    labels, values = zip(*reversed(pairs), strict=True)
    axes.barh(labels, values, color="#206bc4")
    axes.set_title(str(columns[column]), fontsize=10)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
