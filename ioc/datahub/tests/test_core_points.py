"""R1.5, DESIGN "Contracts": rows with a point store their 2025 commune and grid cell; the per-cell shortcut
(`validation._CellCommunes`) answers exactly what `point_locate` answers, at borders too."""

from __future__ import annotations

import random

import shapely
from django.test import TestCase

from ioc.datahub.validation import _CellCommunes
from ioc.geo import selectors as geo
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES


class CellCommunesTest(TestCase):
    def test_it_agrees_with_point_locate_across_communes_and_their_borders(self) -> None:
        shapes = [
            shapely.from_geojson(u.geometry)
            for u in AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:4])
        ]
        min_x, min_y, max_x, max_y = shapely.union_all(shapes).bounds
        rng = random.Random(7)
        cells = _CellCommunes()
        compared = 0
        for _i in range(1500):
            lat, lon = rng.uniform(min_y, max_y), rng.uniform(min_x, max_x)
            try:
                expected = geo.point_locate(lat=lat, lon=lon).unit.pk
            except geo.GeoInputError:
                continue
            self.assertEqual(cells.commune_of(lat, lon, geo.grid_cell(lat, lon)), expected, (lat, lon))
            compared += 1
        self.assertGreater(compared, 1000)
        self.assertTrue(any(v is not None for v in cells.cells.values()))
        self.assertTrue(any(v is None for v in cells.cells.values()))
