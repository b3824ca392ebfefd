"""Issue 20 part 5: the sector dashboards — which domains appear, their figures against known data, the filters
(bad and future periods are form errors), scope, and the XLSX export with formula-like text escaped."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas, system_actor
from ioc.citizen_reports import services as report_services
from ioc.citizen_reports.models import Category
from ioc.geo.models import AdminUnit
from ioc.geo.services import territory_set
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.indicators.testing import sample_catalogue
from ioc.regulation import services as regulation_services
from ioc.regulation.testing import sample_regulation_load
from ioc.sectors import selectors

KINH_TE = "kinh-te-xa-hoi"
TUONG_TAC = "tuong-tac-cong-dan"
DAY = dt.date(2025, 12, 31)


class SectorsMixin(Personas):
    communes: list[AdminUnit]
    category: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actor = system_actor()
        territory_set(
            actor=actor,
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )
        act = sample_regulation_load(actor=actor, profile=settings.IOC_PROFILE)
        regulation_services.monitored_domains_set(
            actor=actor,
            act=act,
            items=[
                {"code": "phan-anh", "name": "Phản ánh (không có chỉ số)", "source": "999:2.1"},
                {"code": KINH_TE, "name": "Chỉ tiêu kinh tế - xã hội", "source": "999:2.2"},
                {"code": TUONG_TAC, "name": "Tương tác phục vụ công dân", "source": "999:2.1"},
                {"code": "an-toan-thong-tin", "name": "An toàn thông tin", "source": "999:2.2"},
            ],
        )
        cls.communes = list(AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:3]).order_by("code"))
        sample_catalogue(actor=actor, agency=cls.agency_a, communes=cls.communes)
        cls.category = report_services.category_create(
            actor=actor, code="sec-road", name='=HYPERLINK("http://x")', default_agency=cls.agency_a
        )
        for unit in cls.communes[:2]:
            report_services.report_receive(
                channel="web", category=cls.category, description="Ổ gà lớn giữa đường", unit=unit
            )


@override_settings(CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0)
class SectorSelectorsTest(SectorsMixin, TestCase):
    def test_only_domains_with_indicators_or_a_monitor_appear(self):
        domains = selectors.domain_list()
        self.assertEqual([d.code for d in domains], [KINH_TE, TUONG_TAC])
        self.assertEqual(domains[0].sectors, ("kinh-te",))
        self.assertEqual(domains[1].monitors, ("citizen_reports",))

    def test_trend_forecast_and_ranking_against_the_sample_values(self):
        board = selectors.domain_dashboard(
            user=self.leader, domain=selectors.domain_get(code=KINH_TE), start=dt.date(2024, 1, 1), end=DAY
        )
        self.assertEqual([c.indicator.code for c in board.cards], ["thu_ngan_sach"])
        chart = board.charts[0]
        self.assertEqual(len(chart["periods"]), 24)
        self.assertEqual(chart["periods"][-1], "202512")
        self.assertIn("forecast", chart)
        # Communes get 20 + month + 3·i; December of the last year ranks the third commune first.
        self.assertEqual([f.value for f in board.ranking], [38.0, 35.0, 32.0])
        self.assertEqual(board.ranking_period, "202512")

    def test_the_period_and_the_unit_narrow_the_trend(self):
        board = selectors.domain_dashboard(
            user=self.leader,
            domain=selectors.domain_get(code=KINH_TE),
            start=dt.date(2025, 7, 1),
            end=dt.date(2025, 9, 30),
            unit=self.communes[1],
        )
        chart = board.charts[0]
        self.assertEqual(chart["periods"], ["202507", "202508", "202509"])
        self.assertEqual(chart["values"], [30.0, 31.0, 32.0])
        self.assertNotIn("forecast", chart)

    def test_reports_breakdowns_count_the_period_in_the_users_scope(self):
        domain = selectors.domain_get(code=TUONG_TAC)
        today = timezone.localdate()
        board = selectors.domain_dashboard(user=self.operator, domain=domain, start=today, end=today)
        tables = {b.key: b for b in board.breakdowns}
        self.assertEqual(tables["reports_category"].rows, [('=HYPERLINK("http://x")', 2)])
        self.assertEqual(tables["reports_commune"].total, 2)
        narrowed = selectors.domain_dashboard(
            user=self.operator, domain=domain, start=today, end=today, unit=self.communes[0]
        )
        self.assertEqual({b.key: b.total for b in narrowed.breakdowns}["reports_category"], 1)
        other = selectors.domain_dashboard(user=self.officer_b, domain=domain, start=today, end=today)
        self.assertEqual({b.key: b.total for b in other.breakdowns}["reports_category"], 0)


class SectorPagesTest(SectorsMixin, TestCase):
    def setUp(self):
        self.sign_in(self.client, self.leader)

    def test_the_index_lists_the_domains(self):
        page = self.client.get("/linh-vuc/").content.decode()
        self.assertIn(f'data-domain="{KINH_TE}"', page)
        self.assertNotIn('data-domain="an-toan-thong-tin"', page)

    def test_a_domain_page_draws_its_charts_from_json(self):
        response = self.client.get(f"/linh-vuc/{KINH_TE}/", {"start": "2024-01-01", "end": "2025-12-31"})
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('id="sector-chart-data-thu_ngan_sach"', page)
        self.assertIn("sectors/dashboard.js", page)
        self.assertIn("data-chart-png", page)

    def test_a_card_shows_its_indicators_colour_band(self):
        from ioc.indicators import services as indicator_services
        from ioc.indicators.testing import SAMPLE_CODE

        bands = [
            {"from": None, "to": 100, "colour": "#d63939", "label": "Thấp"},
            {"from": 100, "to": None, "colour": "#2fb344", "label": "Cao"},
        ]
        indicator_services.catalog_version_approve(
            actor=self.leader, decision_no="02/QĐ", decision_date=dt.date(2025, 6, 1), signer="Chủ tịch",
            change=[indicator_services.IndicatorSpec(
                code=SAMPLE_CODE, name="Thu ngân sách nhà nước trên địa bàn", unit_label="tỷ đồng", sector="kinh-te",
                period_type="month", levels=["territory", "commune"], definition="Tổng thu ngân sách.", bands=bands,
            )],
        )  # fmt: skip
        page = self.client.get(f"/linh-vuc/{KINH_TE}/", {"start": "2024-01-01", "end": "2025-12-31"}).content.decode()
        self.assertIn('data-band="Cao" data-band-colour="#2fb344"', page)  # December 2025: 32 + 35 + 38 = 105

    def test_a_future_period_is_a_form_error(self):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = self.client.get(f"/linh-vuc/{KINH_TE}/", {"end": tomorrow})
        self.assertEqual(response.status_code, 400)
        self.assertIn('data-error="end"', response.content.decode())

    def test_bad_periods_and_units_name_their_field(self):
        cases = [
            ({"start": "2025-05-01", "end": "2025-04-01"}, "end"),
            ({"start": "hôm qua"}, "start"),
            ({"start": "2019-01-01", "end": "2025-01-01"}, "start"),
            ({"unit": "00070"}, "unit"),  # a commune outside the territory
        ]
        for params, field in cases:
            response = self.client.get(f"/linh-vuc/{KINH_TE}/", params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn(f'data-error="{field}"', response.content.decode(), params)
            xlsx = self.client.get(f"/linh-vuc/{KINH_TE}/xlsx/", params)
            self.assertEqual(xlsx.status_code, 400, params)
            self.assertIn(field, xlsx.content.decode())

    def test_an_unknown_domain_is_404(self):
        self.assertEqual(self.client.get("/linh-vuc/an-toan-thong-tin/").status_code, 404)

    def test_the_xlsx_holds_the_tables_and_never_a_formula(self):
        response = self.client.get(f"/linh-vuc/{TUONG_TAC}/xlsx/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = next(s for s in book.worksheets if "lĩnh vực" in s.title)
        self.assertEqual(sheet.cell(2, 1).value, '\'=HYPERLINK("http://x")')
        self.assertEqual(sheet.cell(2, 1).data_type, "s")
        self.assertEqual(sheet.cell(2, 2).value, 2)
        self.assertIn("Chỉ số", book.sheetnames)

    def test_a_citizen_is_refused(self):
        self.client.logout()
        self.sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get("/linh-vuc/").status_code, 403)
