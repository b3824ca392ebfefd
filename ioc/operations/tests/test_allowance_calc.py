"""R10.4: the allowance arithmetic — mid-month joiners under both prorations, a move mid-month, "chưa quy định"."""

import datetime as dt

from django.test import SimpleTestCase

from ioc.operations.allowance_calc import UNSET, line_amount, vnd

RATES = {"center": 1_000_000, "elsewhere": 500_000}
JULY = dt.date(2025, 7, 1)  # 31 days


class AllowanceCalcTest(SimpleTestCase):
    def test_a_mid_month_joiner_is_paid_by_days(self):
        line = line_amount([("center", dt.date(2025, 7, 15), None)], JULY, RATES, "by_days")
        assert line is not None
        self.assertEqual(line.days, {"center": 17})
        self.assertEqual(line.amount_vnd, 548_387)  # 1.000.000 × 17 / 31 = 548.387,09…
        self.assertEqual(line.basis, "1.000.000 × 17/31")

    def test_a_mid_month_joiner_is_paid_the_whole_month_without_proration(self):
        line = line_amount([("center", dt.date(2025, 7, 15), None)], JULY, RATES, "none")
        assert line is not None
        self.assertEqual(line.amount_vnd, 1_000_000)

    def test_a_move_from_the_center_mid_month(self):
        spans = [("center", dt.date(2025, 1, 1), dt.date(2025, 7, 15)), ("elsewhere", dt.date(2025, 7, 16), None)]
        by_days = line_amount(spans, JULY, RATES, "by_days")
        whole = line_amount(spans, JULY, RATES, "none")
        assert by_days is not None and whole is not None
        self.assertEqual(by_days.days, {"center": 15, "elsewhere": 16})
        # (1.000.000 × 15 + 500.000 × 16) / 31 = 741.935,48… → 741.935
        self.assertEqual(by_days.amount_vnd, 741_935)
        self.assertEqual(whole.amount_vnd, 500_000)  # 16 days elsewhere outweigh 15 at the center

    def test_a_tie_goes_to_the_place_held_last(self):
        spans = [("center", dt.date(2025, 6, 1), dt.date(2025, 6, 15)), ("elsewhere", dt.date(2025, 6, 16), None)]
        line = line_amount(spans, dt.date(2025, 6, 1), RATES, "none")
        assert line is not None
        self.assertEqual(line.amount_vnd, 500_000)

    def test_outside_the_month_there_is_no_line(self):
        self.assertIsNone(line_amount([("center", dt.date(2025, 8, 1), None)], JULY, RATES, "by_days"))

    def test_an_act_without_an_amount_is_unset(self):
        line = line_amount([("center", dt.date(2025, 1, 1), None)], JULY, {"center": None}, "by_days")
        assert line is not None
        self.assertIsNone(line.amount_vnd)
        self.assertIn(UNSET, line.basis)
        self.assertEqual(vnd(None), "chưa quy định")

    def test_halves_round_up(self):
        line = line_amount([("center", dt.date(2025, 6, 30), None)], dt.date(2025, 6, 1), {"center": 45}, "by_days")
        assert line is not None
        self.assertEqual(line.amount_vnd, 2)  # 45 / 30 = 1,5 → 2
