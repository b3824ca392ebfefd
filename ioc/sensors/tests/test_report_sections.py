"""R8.1, R5.5, R4.1: the sensors' section of the reports ("báo cáo"): readings, readings out of the normal band,
rule firings and the alerts handed to the inbox, and Datastreams without data, per period and scope, through the
viewer's visibility; the monthly operations report holds them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import translation

from ioc.common.periods import period_parse
from ioc.common.report_sections import FigureContext, ReportScope, figure_get, section_get
from ioc.common.testing import frozen
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.reporting import services as reporting
from ioc.reporting.models import ReportTemplate
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream
from ioc.sensors.rules_catalogue import normal_upper
from ioc.sensors.selectors import Viewer, viewer_for
from ioc.sensors.services import ObservationRow, entity_create, observations_create
from ioc.sensors.tests.rules_support import RuleWorld
from ioc.sensors.tests.sta_support import COMMUNE, thing_payload

NAMES = ("datastreams", "readings", "out_of_band", "firings", "alerts", "stale")
JULY = dt.datetime(2025, 7, 14, 8, 0, tzinfo=dt.UTC)


class SensorsReportSectionTest(RuleWorld, TestCase):
    """Agency A's PM2.5 station ("Trạm Bụi") reads 20 in June and 30, 60, 90 in July under a rule raising above 50
    (fires once, handed to the inbox); agency A's second station sends nothing; agency B's restricted station reads
    10 and 70 in July (fires the same rule; seen by agency B only)."""

    hidden: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls._thing("Trạm Lặng", cls.agency_a.pk)
        cls.hidden = cls._thing("Trạm Kín", cls.agency_b.pk, sensitivity="restricted")

    @classmethod
    def _thing(cls, name: str, agency_id: int, **kw: Any) -> Datastream:
        draft = parse_draft("Things", thing_payload(name, **kw))
        entity_create(actor=cls.system_user, agency_id=agency_id, viewer=viewer_for(cls.system_user), draft=draft)
        return Datastream.objects.get(thing__name=name)

    def setUp(self) -> None:
        self.read(dt.datetime(2025, 6, 20, 8, 0, tzinfo=dt.UTC), 20.0)
        self.rule(for_seconds=0)
        for hours, value in ((0, 30.0), (1, 60.0), (2, 90.0)):
            self.read(JULY + dt.timedelta(hours=hours), value)
        rows = [
            ObservationRow({"phenomenon_time": JULY + dt.timedelta(hours=h), "result": v, "result_number": v})
            for h, v in ((0, 10.0), (1, 70.0))
        ]
        with frozen(JULY + dt.timedelta(hours=2)):
            observations_create(
                actor=self.system_user,
                agency_id=self.agency_b.pk,
                viewer=Viewer(True, self.agency_b.pk),  # the restricted station is seen by its agency only
                batches=[(self.hidden.pk, rows)],
            )

    def figures(self, user: Any, period: str = "202507", scope: ReportScope | None = None) -> dict[str, Any]:
        p = period_parse(period)
        ctx = FigureContext(user, period, p.start, p.end, scope or ReportScope(), JULY)
        return {name: figure_get(f"sensors.{name}").compute(ctx) for name in (*NAMES, "by_property", "stale_list")}  # type: ignore[union-attr]

    def values(self, *args: Any, **kw: Any) -> list[Any]:
        found = self.figures(*args, **kw)
        return [found[name] for name in NAMES]

    def test_the_territorys_month_as_the_operator_sees_it(self) -> None:
        found = self.figures(self.operator)
        # datastreams, readings, out of band (60 and 90 from 50 µg/m³), firings, alerts, stale ("Trạm Lặng")
        self.assertEqual([found[n] for n in NAMES], [2, 3, 2, 1, 1, 1])
        table = found["by_property"].as_data()
        self.assertEqual(table["rows"], [["Bụi PM2.5", 2, 3, 2, 1, 1]])
        self.assertEqual(table["totals"], ["Tổng cộng", 2, 3, 2, 1, 1])
        stale = found["stale_list"].as_data()
        self.assertEqual(stale["rows"], [["Trạm Lặng", "PM2.5 Trạm Lặng", "chưa có số đo"]])

    def test_a_new_context_reads_again(self) -> None:
        # The figures of one context are read once (period_figures); an equal context made later (a refresh) is
        # another object and reads the new data.
        p = period_parse("202507")
        first = FigureContext(self.operator, "202507", p.start, p.end, ReportScope(), JULY)
        readings = figure_get("sensors.readings")
        assert readings is not None
        self.assertEqual(readings.compute(first), 3)
        self.read(JULY + dt.timedelta(hours=5), 20.0)
        self.assertEqual(readings.compute(first), 3)  # the same report's figures stay one reading
        again = FigureContext(self.operator, "202507", p.start, p.end, ReportScope(), JULY)
        self.assertEqual(again, first)
        self.assertEqual(readings.compute(again), 4)

    def test_the_normal_band_of_pm25_ends_at_50(self) -> None:
        self.assertEqual(normal_upper("pm25"), 50)
        self.assertIsNone(normal_upper("rainfall"))  # a single reading of rain is not judged
        self.assertEqual(normal_upper("water_level", {"alarm_levels": [2.0, 3.0, 4.0]}), 2.0)
        self.assertIsNone(normal_upper("water_level", {}))  # a gauge without alarm levels

    def test_other_periods(self) -> None:
        self.assertEqual(self.values(self.operator, "202506"), [2, 1, 0, 0, 0, 1])
        # August: nothing read, both streams stale ("Trạm Bụi" had begun in June)
        self.assertEqual(self.values(self.operator, "202508"), [2, 0, 0, 0, 0, 2])
        # May: before "Trạm Bụi" began, only the station that never sent counts as stale
        self.assertEqual(self.values(self.operator, "202505"), [2, 0, 0, 0, 0, 1])

    def test_an_agencys_scope_and_a_restricted_station(self) -> None:
        agency_b = ReportScope(kind="agency", agency_id=self.agency_b.pk)
        # the PM2.5 rule watches every PM2.5 stream: B's 70 fired it too
        self.assertEqual(self.values(self.officer_b, scope=agency_b), [1, 2, 1, 1, 1, 0])
        self.assertEqual(self.values(self.operator, scope=agency_b), [0, 0, 0, 0, 0, 0])  # restricted to B
        agency_a = ReportScope(kind="agency", agency_id=self.agency_a.pk)
        self.assertEqual(self.values(self.officer_a, scope=agency_a), [2, 3, 2, 1, 1, 1])

    def test_a_communes_scope(self) -> None:
        here = AdminUnit.objects.get(hierarchy="2025", code=COMMUNE)
        self.assertEqual(
            self.values(self.operator, scope=ReportScope(kind="commune", unit_id=here.pk)), [2, 3, 2, 1, 1, 1]
        )
        other = AdminUnit.objects.get(hierarchy="2025", code=next(c for c in HUNG_YEN_COMMUNES if c != COMMUNE))
        self.assertEqual(self.values(self.operator, scope=ReportScope(kind="commune", unit_id=other.pk)), [0] * 6)

    def test_the_monthly_operations_report_holds_the_section(self) -> None:
        template = ReportTemplate.objects.get(code="operations-monthly")
        report = reporting.report_generate(actor=self.operator, template=template, period="202507", now=JULY)
        self.assertEqual([report.figures[f"sensors.{n}"]["value"] for n in NAMES], [2, 3, 2, 1, 1, 1])
        section = section_get("sensors")
        assert section is not None
        self.assertIn(str(section.title), [s["title"] for s in report.content])

    def test_the_labels_in_english(self) -> None:
        section = section_get("sensors")
        assert section is not None
        with translation.override("en"):
            self.assertEqual(str(section.title), "Sensors and monitoring")
            labels = {f.code: str(f.label) for f in section.figures}
        self.assertEqual(labels["sensors.out_of_band"], "Readings out of the normal band")
        self.assertEqual(labels["sensors.stale"], "Datastreams without readings in the period")
