"""Issue 17 (R8.1): a selector several figures of one report read is asked once per report (`figure_memo`), and
a domain's map hook once per report's area (`area_counts`, `area_figure`); another report asks again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import SimpleTestCase

from ioc.common.report_sections import FigureContext, ReportScope, area_counts, area_figure, figure_memo

START = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)


def context(area: Any = "area-1") -> FigureContext:
    scope = ReportScope(kind="area", area=area)
    return FigureContext(user="u", period_code="202507", start=START, end=START, scope=scope, now=START)


class MemoTest(SimpleTestCase):
    def setUp(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def hook(self, **kw: Any) -> dict[str, Any]:
        """A map hook's shape: counts for `area` in [start, end) as `user` sees them."""
        self.calls.append(kw)
        return {"total": 3, "open": 1}

    def test_the_hook_is_asked_once_per_report_with_the_reports_area_and_period(self) -> None:
        ctx = context()
        total, open_ = area_figure(self.hook, "total"), area_figure(self.hook, "open")
        self.assertEqual((total(ctx), open_(ctx), area_counts(ctx, self.hook)["total"]), (3, 1, 3))
        self.assertEqual(self.calls, [{"user": "u", "area": "area-1", "start": START, "end": START}])
        total(context(area="area-2"))
        self.assertEqual([c["area"] for c in self.calls], ["area-1", "area-2"])

    def test_answers_are_kept_by_key(self) -> None:
        ctx = context()
        counter = iter(range(10))
        self.assertEqual([figure_memo(ctx, ("a",), lambda: next(counter)) for _ in range(3)], [0, 0, 0])
        self.assertEqual(figure_memo(ctx, ("b",), lambda: next(counter)), 1)
        self.assertEqual(context(), ctx)  # the kept answers take no part in the context's equality
