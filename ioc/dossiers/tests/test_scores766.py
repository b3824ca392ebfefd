"""R5.3 (issue 23 item 6): Decision 766's values of one agency-month equal a hand count; the configuration sums to
100; the on-time denominator is configurable; the territory's total reaches the indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from ioc.accounts.testing import Personas
from ioc.dossiers import score766
from ioc.dossiers.models import ServiceScore
from ioc.dossiers.services import dossier_event_receive, service_scores_compute
from ioc.dossiers.services.scores import event_ratios
from ioc.dossiers.tests.helpers import event, local, procedure_create, receipt
from ioc.indicators import services as indicator_services
from ioc.indicators.models import Value

STEPS = ("tiep-nhan", "tham-dinh", "phe-duyet")


class ConfigTests(SimpleTestCase):
    def test_groups_sum_to_100_and_criteria_to_their_group(self):
        self.assertEqual(score766.config_problems(), [])
        self.assertEqual(len(score766.GROUPS), 5)

    def test_the_figures_read_in_the_decision(self):
        """The figures verified against restatements of the Decision (docs/decisions/0012): the five groups'
        maxima, the on-time rate's 20 points, group 1's 4 points for procedures published on time, group 5's 6
        points for the satisfaction rate."""
        groups = {g.code: g.points for g in score766.GROUPS}
        self.assertEqual(groups, {"cong_khai": 18, "tien_do": 20, "truc_tuyen": 22, "so_hoa": 22, "hai_long": 18})
        points = {c.code: c.points for c in score766.CRITERIA}
        self.assertEqual((points["dung_han"], points["cong_khai_tthc"], points["hai_long"]), (20, 4, 6))

    def test_a_crafted_month_scores_the_hand_computed_total(self):
        # Every criterion measured: 3/4 on time, 1/2 online, 10 % paid online, 1/4 and 3/4 digitised, 4/5
        # satisfied, dataset percentages 100, 50 and 25 for the rest of groups 1 and 5.
        ratios = {
            "cong_khai_tthc": (100, 100), "cong_khai": (50, 100), "dung_han": (3, 4), "truc_tuyen": (1, 2),
            "thanh_toan": (10, 100), "so_hoa_ho_so": (1, 4), "so_hoa_ket_qua": (3, 4), "hai_long": (4, 5),
            "hai_long_khac": (25, 100),
        }  # fmt: skip
        result = score766.score(ratios)
        # 4 + 7 | 15 | 6 + 1 | 2.75 + 8.25 | 4.8 + 3
        self.assertEqual(result.groups, {"cong_khai": Decimal("11.00"), "tien_do": Decimal("15.00"),
                                         "truc_tuyen": Decimal("7.00"), "so_hoa": Decimal("11.00"),
                                         "hai_long": Decimal("7.80")})  # fmt: skip
        self.assertEqual((result.total, result.measurable), (Decimal("51.80"), Decimal(100)))

    def test_satisfaction_counts_every_dossier_not_rated_unsatisfied(self):
        """Decision 766's "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC" (0012, third search): (dossiers − those
        not satisfied) / dossiers — of three returned, one rated 3 and one not rated: 2 of 3, not 1 of 2."""
        counts = dict.fromkeys(("received", "online", "intake_digitised", "finished", "on_time", "overdue_open"), 0)
        counts |= {"returned": 3, "result_digitised": 0, "unsatisfied": 1}
        ratios = event_ratios(counts, score766.ON_TIME_DENOMINATOR)
        self.assertEqual(ratios["hai_long"], (2, 3))
        hai_long = next(c for c in score766.CRITERIA if c.code == "hai_long")
        self.assertEqual(score766.criterion_points(hai_long, *ratios["hai_long"]), Decimal("4.00"))

    def test_points_are_linear_and_none_without_data(self):
        on_time = next(c for c in score766.CRITERIA if c.code == "dung_han")
        self.assertEqual(score766.criterion_points(on_time, 2, 3), Decimal("13.33"))
        self.assertIsNone(score766.criterion_points(on_time, 0, 0))


class AgencyMonthTests(Personas, TestCase):
    """Agency A in March 2026 (limit 3 working days), four dossiers counted by hand:
    D1 online, digitised at receipt, done the same day, result digitised and returned, rated 5;
    D2 in person, done 10/3 (late), returned on paper, rated 3;
    D3 online (partial), digitised at receipt, no step done: open past due at the month's end;
    D4 by post, done on time, not returned."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        procedure_create(cls.admin)
        rows = [
            receipt("D1", local("2026-03-02", 8), digitised=True),
            receipt("D2", local("2026-03-02", 8), channel="in_person"),
            receipt("D3", local("2026-03-03", 8), channel="online_partial", digitised=True),
            receipt("D4", local("2026-03-04", 8), channel="post"),
        ]
        for code, day in (("D1", "2026-03-02"), ("D2", "2026-03-10"), ("D4", "2026-03-04")):
            rows += [
                event(code, "step_done", local(day, 9 + n), f"{code}-s{n}", step=step) for n, step in enumerate(STEPS)
            ]
        rows += [
            event("D1", "result_returned", local("2026-03-02", 14), "D1-ret", digitised=True),
            event("D1", "rating", local("2026-03-02", 15), "D1-rate", rating=5),
            event("D2", "result_returned", local("2026-03-10", 14), "D2-ret"),
            event("D2", "rating", local("2026-03-10", 15), "D2-rate", rating=3),
        ]
        summary = dossier_event_receive(agency=cls.agency_a, rows=rows, actor=cls.system_user)
        assert summary["rejected"] == 0, summary

    def agency_row(self, denominator: str = score766.ON_TIME_DENOMINATOR) -> ServiceScore:
        service_scores_compute(month=dt.date(2026, 3, 1), actor=self.system_account, denominator=denominator)
        return ServiceScore.objects.get(period="202603", scope="agency", agency=self.agency_a)

    def test_one_agency_month_equals_the_hand_count(self):
        row = self.agency_row(denominator="finished_and_overdue")
        points = {code: c["points"] for code, c in row.criteria.items()}
        self.assertEqual(row.criteria["dung_han"]["numerator"], 2)  # D1, D4 on time
        self.assertEqual(row.criteria["dung_han"]["denominator"], 4)  # D1, D2, D4 finished + D3 open past due
        self.assertEqual(points["dung_han"], 10.0)  # 20 × 2/4
        self.assertEqual(points["truc_tuyen"], 6.0)  # 12 × 2/4 (D1, D3 online)
        self.assertEqual(points["so_hoa_ho_so"], 5.5)  # 11 × 2/4 (D1, D3 digitised at receipt)
        self.assertEqual(points["so_hoa_ket_qua"], 5.5)  # 11 × 1/2 (D1 of D1, D2 returned)
        self.assertEqual(points["hai_long"], 3.0)  # 6 × 1/2 (D1 rated 5, D2 rated 3)
        for from_dataset in ("cong_khai_tthc", "cong_khai", "thanh_toan", "hai_long_khac"):
            self.assertIsNone(points[from_dataset])  # no dataset row this month
        self.assertEqual(row.groups, {"cong_khai": None, "tien_do": 10.0, "truc_tuyen": 6.0, "so_hoa": 11.0,
                                      "hai_long": 3.0})  # fmt: skip
        # 10 + 6 + 5.5 + 5.5 + 3 of the 20 + 12 + 11 + 11 + 6 points measurable
        self.assertEqual((row.total, row.measurable), (Decimal("30.00"), Decimal("60.00")))

    def test_the_on_time_denominator_is_configurable(self):
        row = self.agency_row(denominator="finished")
        self.assertEqual(row.criteria["dung_han"]["denominator"], 3)
        self.assertEqual(row.criteria["dung_han"]["points"], 13.33)  # 20 × 2/3

    def test_a_rerun_replaces_the_month_and_the_territory_reaches_the_indicators(self):
        indicator_services.catalog_version_approve(
            actor=self.admin, decision_no="02/QĐ-IOC", decision_date=dt.date(2026, 1, 2), signer="Chủ tịch UBND",
            add=[indicator_services.IndicatorSpec(
                code="dvc766_tong", name="Điểm 766", unit_label="điểm", sector="hanh-chinh-cong",
                period_type="month", levels=["territory", "commune"], definition="Tổng điểm", aggregation="none",
            )],
        )  # fmt: skip
        self.agency_row()
        self.agency_row()
        self.assertEqual(ServiceScore.objects.filter(period="202603", scope="territory").count(), 1)
        value = Value.objects.get(indicator__code="dvc766_tong", period="202603", unit__isnull=True)
        self.assertEqual(value.value, 30.0)

    def test_an_unknown_denominator_is_refused(self):
        with self.assertRaises(ValueError):
            service_scores_compute(month=dt.date(2026, 3, 1), actor=self.system_account, denominator="all")


class DatasetRowsTests(Personas, TestCase):
    """The criteria events do not carry come from the `dich_vu_cong_766` dataset: a row names an agency, a commune
    or neither (the territory); a row naming an agency code nobody has is nobody's, never the territory's."""

    def test_an_unknown_agency_code_does_not_overwrite_the_territory(self):
        from ioc.datahub import services as datahub_services
        from ioc.datahub.testing import dataset_make
        from ioc.dossiers.datasets import service_766_schema
        from ioc.dossiers.services.scores import _dataset_ratios

        dataset = dataset_make(
            actor=self.admin, owner=self.agency_a, code=score766.DATASET_CODE, schema=service_766_schema()
        )
        criterion = next(c for c in score766.CRITERIA if c.source == "dataset")
        rows = [
            {"thang": "202603", "ma_xa": "", "co_quan": "", criterion.measure: 90},
            {"thang": "202603", "ma_xa": "", "co_quan": "KHONG-CO-MA-NAY", criterion.measure: 10},
            {"thang": "202603", "ma_xa": "", "co_quan": self.agency_a.code, criterion.measure: 40},
        ]
        result = datahub_services.submission_ingest(
            actor=self.admin, dataset=dataset, agency=self.agency_a, channel="push", rows=rows
        )
        self.assertEqual(result.status, "accepted", result.summary)
        ratios = _dataset_ratios("202603")
        self.assertEqual(ratios[(ServiceScore.Scope.TERRITORY, None)][criterion.code], (90.0, 100.0))
        self.assertEqual(ratios[(ServiceScore.Scope.AGENCY, self.agency_a.pk)][criterion.code], (40.0, 100.0))
        self.assertEqual(len(ratios), 2)
