"""R8.1, R2.3, issue 17: the indicators' report figures for every scope but an area, and for a briefing narrowed to
one sector, equal `selectors.report_warnings` / `report_indicator_count` narrowed the same way, and those hold the
agency's indicators, the commune's warnings (by unit) and the sector's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.report_sections import FigureContext, ReportScope, focus_get, section_get
from ioc.geo.models import AdminUnit
from ioc.indicators import selectors
from ioc.indicators.models import Indicator, IndicatorWarning
from ioc.indicators.tests.support import catalogue, communes, spec, territory


class ScopedIndicatorFiguresTest(Personas, TestCase):
    """Indicator `thu` (economy, agency A, territory and communes) and `kham` (health, agency B, territory only);
    warnings this month: two of `thu` in the first commune, one of `thu` in the second, one of `kham` for the
    territory; one of `thu` in the first commune two months ago (outside the period)."""

    units: list[AdminUnit]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()
        cls.units = communes(2)
        catalogue(
            cls.leader,
            spec("thu", agency=cls.agency_a.code),
            spec("kham", sector="y-te", agency=cls.agency_b.code, levels=["territory"]),
        )
        thu, kham = Indicator.objects.get(code="thu"), Indicator.objects.get(code="kham")
        for n, (indicator, unit, kind) in enumerate(
            [
                (thu, cls.units[0], "not_met"),
                (thu, cls.units[0], "likely_miss"),
                (thu, cls.units[1], "not_met"),
                (kham, None, "not_met"),
                (thu, cls.units[0], "not_met"),
            ]
        ):
            warning = IndicatorWarning.objects.create(
                indicator=indicator, unit=unit, period="202507", kind=kind, dedup_key=f"w{n}", value=1.0, target=2.0
            )
        IndicatorWarning.objects.filter(pk=warning.pk).update(created_at=timezone.now() - dt.timedelta(days=60))

    def figures(self, scope: ReportScope, user: Any = None) -> dict[str, Any]:
        now = timezone.now()
        ctx = FigureContext(
            user=user or self.operator,
            period_code="",
            start=now - dt.timedelta(days=1),
            end=now + dt.timedelta(days=1),
            scope=scope,
            now=now,
        )
        section = section_get("indicators")
        assert section is not None
        return {f.code: f.compute(ctx) for f in section.figures if f.covers(scope)}

    def assert_selectors(self, values: dict[str, Any], user: Any = None, **narrow: Any) -> None:
        now = timezone.now()
        warnings = selectors.report_warnings(
            user=user or self.operator, start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=1), **narrow
        )
        self.assertEqual(values["indicators.warnings"], warnings.count())
        self.assertEqual(values["indicators.not_met"], warnings.filter(kind="not_met").count())
        self.assertEqual(len(values["indicators.warning_list"].rows), warnings.count())
        count = selectors.report_indicator_count(
            agency_id=narrow.get("agency_id"), commune_level="unit_id" in narrow, sector=narrow.get("sector", "")
        )
        self.assertEqual(values["indicators.count"], count)

    def test_the_territory(self) -> None:
        values = self.figures(ReportScope())
        self.assert_selectors(values)
        self.assertEqual((values["indicators.count"], values["indicators.warnings"]), (2, 4))

    def test_an_agencys_report_counts_its_indicators_and_their_warnings(self) -> None:
        values = self.figures(ReportScope(kind="agency", agency_id=self.agency_b.pk))
        self.assert_selectors(values, agency_id=self.agency_b.pk)
        self.assertEqual((values["indicators.count"], values["indicators.warnings"]), (1, 1))
        values = self.figures(ReportScope(kind="agency", agency_id=self.agency_a.pk), user=self.officer_a)
        self.assert_selectors(values, user=self.officer_a, agency_id=self.agency_a.pk)
        self.assertEqual((values["indicators.count"], values["indicators.warnings"]), (1, 3))

    def test_a_communes_report_counts_its_warnings_by_unit(self) -> None:
        unit = self.units[0]
        values = self.figures(ReportScope(kind="commune", unit_id=unit.pk))
        self.assert_selectors(values, unit_id=unit.pk)
        # Two this month in the first commune (one not met); `kham` is not reported per commune.
        self.assertEqual(
            (values["indicators.count"], values["indicators.warnings"], values["indicators.not_met"]), (1, 2, 1)
        )
        self.assertEqual({row[1] for row in values["indicators.warning_list"].rows}, {unit.name})

    def test_a_briefing_narrowed_to_one_sector(self) -> None:
        focus = focus_get("sector")
        assert focus is not None
        self.assertEqual(focus.resolve("y-te"), "Y tế")
        self.assertIsNone(focus.resolve("khong-co"))
        values = self.figures(ReportScope(focus_kind="sector", focus_code="y-te"))
        self.assert_selectors(values, sector="y-te")
        self.assertEqual((values["indicators.count"], values["indicators.warnings"]), (1, 1))
        self.assertEqual([row[0] for row in values["indicators.warning_list"].rows], ["Chỉ số kham"])
