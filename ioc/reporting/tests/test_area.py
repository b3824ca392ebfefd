"""Issue 17 (R8.1): a report for an area of the map selection. Its figures equal the map hooks' answers
(`*_counts_in_area`) for the same area and period; sections that cannot count in an area say so; the scope is stored,
shown in the header and rebuilt on refresh; a bad or foreign area is a form error naming `area` and why, and writes
nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import docx
import shapely
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.models import RoleAssignment
from ioc.audit.models import AuditEntry
from ioc.citizen_reports.selectors import citizen_reports_counts_in_area
from ioc.common.periods import period_parse
from ioc.geo.selectors import area_from_unit
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.incidents import services as incident_services
from ioc.incidents.models import Incident
from ioc.incidents.selectors import incidents_counts_in_area
from ioc.reporting import services
from ioc.reporting.choices import AREA_MAX_VERTICES
from ioc.reporting.documents import build_docx
from ioc.reporting.models import Report
from ioc.reporting.tests.support import COMMUNE, MONTH, NOW, VN, ReportingData, commune

OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]
OUTSIDE = [21.0285, 105.8542]  # Hà Nội, outside the hung-yen territory


def square(lat: float, lon: float, half: float = 0.01) -> dict[str, Any]:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


class AreaReportTest(ReportingData, TestCase):
    lat: float
    lon: float

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = shapely.from_geojson(commune().geometry).representative_point()
        cls.lat, cls.lon = float(p.y), float(p.x)
        for n, (day, kind) in enumerate(((3, "fire"), (18, "env.flood_level"))):  # two July incidents at the point
            alert = incident_services.alert_raise(
                source="people",
                dedup_key=f"area-{n}",
                kind=kind,
                severity=3,
                title=f"Cháy cỏ {n}",
                occurred_at=dt.datetime(2025, 7, day, 8, 0, tzinfo=VN),
                point=(cls.lat, cls.lon),
                payload={},
                actor=cls.operator,
            )
            incident = incident_services.alert_verify(alert=alert, actor=cls.operator)
            Incident.objects.filter(pk=incident.pk).update(raised_at=dt.datetime(2025, 7, day, 8, 5, tzinfo=VN))

    def generate(self, area: Any, actor: Any = None, **kw: Any) -> Report:
        return services.report_generate(
            actor=actor or self.operator,
            template=self.monthly,
            period=MONTH,
            scope_kind="area",
            area=area,
            now=NOW,
            **kw,
        )

    def values(self, report: Report) -> dict[str, Any]:
        return {code: f["value"] for code, f in report.figures.items()}

    def test_figures_of_a_commune_equal_the_map_hooks_for_the_area_and_month(self) -> None:
        report = self.generate({"unit": COMMUNE})
        period = period_parse(MONTH)
        area = area_from_unit(commune())
        reports = citizen_reports_counts_in_area(user=self.operator, area=area, start=period.start, end=period.end)
        incidents = incidents_counts_in_area(user=self.operator, area=area, start=period.start, end=period.end)
        values = self.values(report)
        self.assertEqual(values["citizen_reports.area_received"], reports["total"])
        self.assertEqual(reports["total"], 5)  # the five July reports; the June one is outside the period
        self.assertEqual(values["citizen_reports.area_open"], reports["open"])
        self.assertEqual(values["citizen_reports.area_by_category"]["totals"][1], 5)
        self.assertEqual(values["incidents.area_total"], incidents["total"])
        self.assertEqual(incidents["total"], 2)
        self.assertEqual(values["incidents.area_by_state"]["totals"][1], 2)
        self.assertEqual((report.scope_kind, report.scope_area), ("area", {"unit": COMMUNE}))
        self.assertEqual(report.scope_label, commune().full_name)
        # The territory's figures (statistics by agency, KPIs) cannot be split by area: left out, and said so.
        self.assertNotIn("citizen_reports.received", values)
        self.assertNotIn("incidents.total", values)
        notes = [b["text"] for s in report.content for b in s["blocks"] if b.get("area_note")]
        self.assertTrue(any("Phản ánh xử lý đúng hạn" in note for note in notes), notes)
        self.assertTrue(any("Sự cố nghiêm trọng" in note for note in notes), notes)

    def test_a_circle_and_a_drawn_area_count_what_lies_inside(self) -> None:
        circle = self.generate({"point": [self.lat, self.lon], "radius_m": 300})
        self.assertEqual(self.values(circle)["citizen_reports.area_received"], 5)
        self.assertIn("300 m", circle.scope_label)
        drawn = self.generate({"geometry": square(self.lat, self.lon)})
        self.assertEqual(self.values(drawn)["incidents.area_total"], 2)
        self.assertIn("vùng vẽ", drawn.scope_label)
        elsewhere = self.generate({"geometry": square(self.lat + 0.05, self.lon + 0.05, 0.005)})
        self.assertEqual(self.values(elsewhere)["citizen_reports.area_received"], 0)

    def test_refresh_rebuilds_the_stored_area(self) -> None:
        report = self.generate({"point": [self.lat, self.lon], "radius_m": 300})
        self._received(dt.datetime(2025, 7, 25, 9, 0, tzinfo=VN))
        refreshed = services.report_refresh(actor=self.operator, report=report, now=NOW)
        self.assertEqual(self.values(refreshed)["citizen_reports.area_received"], 6)

    def test_the_header_and_the_document_show_the_area(self) -> None:
        report = self.generate({"unit": COMMUNE})
        self.sign_in(self.client, self.operator)
        page = self.client.get(reverse("reporting:detail", args=[report.pk]))
        self.assertContains(page, 'id="report-scope-area"')
        self.assertContains(page, commune().full_name)
        self.assertContains(page, "chưa tách được theo vùng")
        paragraphs = [p.text for p in docx.Document(io.BytesIO(build_docx(report))).paragraphs]
        self.assertIn(f"(Phạm vi: {commune().full_name})", paragraphs)

    def assert_refused(self, area: Any, reason: str, actor: Any = None) -> None:
        before = (Report.objects.count(), AuditEntry.objects.count())
        with self.assertRaises(ValidationError) as caught:
            self.generate(area, actor=actor)
        self.assertIn("area", caught.exception.message_dict)
        self.assertIn(reason, " ".join(caught.exception.message_dict["area"]))
        self.assertEqual((Report.objects.count(), AuditEntry.objects.count()), before)

    def test_bad_areas_are_refused_naming_the_area_and_why(self) -> None:
        self.assert_refused(None, "Chọn vùng trên bản đồ")
        self.assert_refused({"geometry": {"type": "Polygon", "coordinates": []}}, "rỗng")
        self.assert_refused({"geometry": {"type": "Polygon", "coordinates": [[]]}}, "rỗng")
        bowtie = [[self.lon, self.lat], [self.lon + 0.01, self.lat + 0.01], [self.lon + 0.01, self.lat]]
        bowtie += [[self.lon, self.lat + 0.01], [self.lon, self.lat]]
        self.assert_refused({"geometry": {"type": "Polygon", "coordinates": [bowtie]}}, "Self-intersection")
        circle = shapely.Point(self.lon, self.lat).buffer(0.01, quad_segs=AREA_MAX_VERTICES // 4 + 10)
        many = json.loads(shapely.to_geojson(circle))
        self.assert_refused({"geometry": many}, f"quá {AREA_MAX_VERTICES} đỉnh")
        self.assert_refused({"point": [self.lat, self.lon], "radius_m": 0}, "radius_m")
        self.assert_refused({"unit": "00070"}, "unit")  # a commune of Hà Nội

    def test_an_area_outside_the_users_rights_is_refused(self) -> None:
        self.assert_refused({"point": OUTSIDE, "radius_m": 500}, "ngoài địa bàn")
        # An agency's officer has no territory of their own: the agency is their scope.
        self.assert_refused({"unit": COMMUNE}, "Cơ quan, đơn vị", actor=self.officer_a)
        # An officer given one commune: an area beyond it is refused, one inside it is accepted.
        RoleAssignment.objects.filter(user=self.officer_b).update(unit=commune())
        other = shapely.from_geojson(commune(OTHER_COMMUNE).geometry).representative_point()
        self.assert_refused({"point": [other.y, other.x], "radius_m": 300}, "vượt ra ngoài", actor=self.officer_b)
        inside = self.generate({"point": [self.lat, self.lon], "radius_m": 100}, actor=self.officer_b)
        self.assertEqual(inside.scope_kind, "area")

    def test_the_form_names_the_area_field(self) -> None:
        self.sign_in(self.client, self.operator)
        data = {"template": "operations-monthly", "period": MONTH, "scope_kind": "area", "area": "{not json"}
        response = self.client.post(reverse("reporting:generate"), data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.context["form"].errors), ["area"])
        data["area"] = json.dumps({"point": OUTSIDE, "radius_m": 500})
        response = self.client.post(reverse("reporting:generate"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("ngoài địa bàn", " ".join(response.context["form"].errors["area"]))
        self.assertEqual(Report.objects.count(), 0)

    def test_the_maps_action_opens_the_form_with_the_area_then_generates(self) -> None:
        self.sign_in(self.client, self.operator)
        selection = json.dumps({"point": [self.lat, self.lon], "radius_m": 300})
        opened = self.client.post(reverse("reporting:generate"), {"from_map": "1", "area": selection})
        self.assertEqual(opened.status_code, 200)
        self.assertContains(opened, 'id="generate-from-map"')
        self.assertEqual(Report.objects.count(), 0)
        form = opened.context["form"]
        self.assertEqual((form["scope_kind"].value(), form["area"].value()), ("area", selection))
        data = {"template": "operations-monthly", "period": MONTH, "scope_kind": "area", "area": selection}
        created = self.client.post(reverse("reporting:generate"), data)
        report = Report.objects.get()
        self.assertRedirects(created, reverse("reporting:detail", args=[report.pk]))
        self.assertEqual(report.scope_area, {"point": [self.lat, self.lon], "radius_m": 300.0})

    def test_the_map_offers_the_action_only_to_whom_the_form_admits(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertContains(
            self.client.get(reverse("maps:index")), f'data-report-url="{reverse("reporting:generate")}"'
        )
        RoleAssignment.objects.filter(user=self.leader).update(
            role="province_leader"
        )  # reads the map, writes no report
        self.client.logout()
        self.sign_in(self.client, self.leader)
        page = self.client.get(reverse("maps:index"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "data-report-url")
