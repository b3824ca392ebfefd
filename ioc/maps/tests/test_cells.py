"""Issue 20 "Speed" (R6.1, R6.2): a wide view's per-cell counts from cached tiles and exact edge strips equal the hook's
own answer over the whole view; the clusters drawn from them are the same; the memo is per user
and zoom and expires."""

from __future__ import annotations

import random
import time

from django.test import SimpleTestCase, TestCase, override_settings

from ioc.citizen_reports.selectors.maps import citizen_reports_cell_counts
from ioc.geo.selectors import BBox, grid_cell
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.maps import cells, layers
from ioc.maps.memo import memo_clear, memoised
from ioc.maps.tests.support import MapWorld, point_in


class PointHook:
    """What a layer's `cells` hook answers, over a list of points in memory: points in the box (borders included)
    counted per grid cell; it records the boxes it was asked about."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        self.points = points
        self.boxes: list[BBox] = []

    def __call__(self, *, user, bbox, zoom):
        self.boxes.append(bbox)
        out: dict[str, int] = {}
        for lat, lon in self.points:
            if bbox.min_lat <= lat <= bbox.max_lat and bbox.min_lon <= lon <= bbox.max_lon:
                cell = grid_cell(lat, lon)
                out[cell] = out.get(cell, 0) + 1
        return out


def tricky_points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    """Random points in 20.0–21.4 × 105.6–106.6, a third of them on a cell or tile border (exact or within 1e-9)."""
    points = []
    for k in range(n):
        lat, lon = rng.uniform(20.0, 21.4), rng.uniform(105.6, 106.6)
        if k % 3 == 1:
            lat = round(lat, 2) + rng.choice([0.0, 1e-9, -1e-9])
        if k % 3 == 2:
            lon = round(lon * 2) / 2 + rng.choice([0.0, 1e-9, -1e-9])
        points.append((lat, lon))
    return points


@override_settings(MAPS_CACHE_SECONDS=60)
class TiledCountsTest(SimpleTestCase):
    def setUp(self):
        memo_clear()
        self.addCleanup(memo_clear)

    def test_wide_views_count_exactly_what_the_hook_counts_over_the_view(self):
        rng = random.Random(20)
        hook = PointHook(tricky_points(rng, 6000))
        boxes = [BBox(20.0, 105.5, 21.5, 107.0), BBox(20.5, 106.0, 21.0, 106.5), BBox(20.51, 105.99, 20.9, 106.55)]
        for _i in range(40):
            south, west = rng.uniform(19.9, 21.2), rng.uniform(105.5, 106.5)
            boxes.append(BBox(south, west, south + rng.uniform(0.05, 1.2), west + rng.uniform(0.05, 1.2)))
        for box in boxes:
            with self.subTest(box=box):
                expected = hook(user=None, bbox=box, zoom=10)
                self.assertEqual(cells.cell_counts(hook, user=None, bbox=box, zoom=10), expected)
                self.assertEqual(
                    layers._clusters(layers._from_cells(cells.cell_counts(hook, user=None, bbox=box, zoom=10)), 10),
                    layers._clusters(layers._from_cells(expected), 10),
                )

    def test_a_narrow_view_asks_the_hook_once_for_itself(self):
        hook = PointHook([(20.6512, 106.0544)])
        box = BBox(20.64, 106.04, 20.66, 106.07)
        self.assertEqual(cells.cell_counts(hook, user=None, bbox=box, zoom=15), {"2065:10605": 1})
        self.assertEqual(hook.boxes, [box])

    def test_tiles_are_kept_per_user_and_zoom_and_the_border_is_always_read(self):
        hook = PointHook([(20.7512, 106.2544)])
        box = BBox(20.2, 105.7, 21.2, 106.7)
        first = cells.cell_counts(hook, user=None, bbox=box, zoom=10)
        asked = len(hook.boxes)
        hook.points.append((20.7513, 106.2545))  # inside an interior cell
        hook.points.append((20.2001, 106.0))  # in the edge ring
        again = cells.cell_counts(hook, user=None, bbox=box, zoom=10)
        self.assertEqual(len(hook.boxes), asked + 4)  # the four strips only
        self.assertEqual(again, {**first, "2020:10600": 1})
        self.assertEqual(cells.cell_counts(hook, user=None, bbox=box, zoom=9)["2075:10625"], 2)  # another key
        with override_settings(MAPS_CACHE_SECONDS=0):
            self.assertEqual(cells.cell_counts(hook, user=None, bbox=box, zoom=10)["2075:10625"], 2)
        memo_clear()
        self.assertEqual(cells.cell_counts(hook, user=None, bbox=box, zoom=10)["2075:10625"], 2)


class TiledReportCountsTest(MapWorld, TestCase):
    """The real hook (citizen reports, the user's scope) gives the same counts through the tiles."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        lat, lon = point_in()
        cls.reports = [cls.report(code=code) for code in HUNG_YEN_COMMUNES[:4]]
        cls.reports.append(cls.report(lat=round(lat, 2), lon=round(lon, 2)))  # on a cell corner
        cls.forward(cls.reports[0])

    def setUp(self):
        memo_clear()
        self.addCleanup(memo_clear)

    @override_settings(MAPS_CACHE_SECONDS=60)
    def test_the_tiled_counts_equal_the_hook_over_the_view_for_each_persona(self):
        lat, lon = point_in()
        views = [BBox(lat - 0.3, lon - 0.5, lat + 0.3, lon + 0.5), BBox(round(lat, 2), lon - 0.4, lat + 0.4, lon + 0.4)]
        for user in (self.operator, self.officer_a, self.officer_b, self.leader):
            for box in views:
                for zoom in (10, 13):
                    with self.subTest(user=user.username, box=box, zoom=zoom):
                        expected = citizen_reports_cell_counts(user=user, bbox=box, zoom=zoom)
                        got = cells.cell_counts(citizen_reports_cell_counts, user=user, bbox=box, zoom=zoom)
                        self.assertEqual(got, expected)
        self.assertEqual(
            sum(cells.cell_counts(citizen_reports_cell_counts, user=self.operator, bbox=views[0], zoom=13).values()), 5
        )


class MemoTest(SimpleTestCase):
    def setUp(self):
        memo_clear()
        self.addCleanup(memo_clear)
        self.calls = 0

    def compute(self):
        self.calls += 1
        return self.calls

    def test_a_value_is_kept_for_its_seconds_then_computed_again(self):
        with override_settings(MAPS_CACHE_SECONDS=0.2):
            self.assertEqual([memoised("k", self.compute) for _i in range(3)], [1, 1, 1])
            self.assertEqual(memoised("other", self.compute), 2)
            time.sleep(0.25)
            self.assertEqual(memoised("k", self.compute), 3)

    def test_zero_seconds_computes_every_time(self):
        with override_settings(MAPS_CACHE_SECONDS=0):
            self.assertEqual([memoised("k", self.compute) for _i in range(3)], [1, 2, 3])
