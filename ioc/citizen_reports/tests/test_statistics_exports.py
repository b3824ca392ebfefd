"""R3.5: the CSV and XLSX exports of the statistics, with Vietnamese headers, read back."""

from __future__ import annotations

import csv
import io

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from ioc.citizen_reports.tests.test_statistics_support import StatisticsData

RANGE = {"start": "2025-03-01", "end": "2025-04-30", "group_by": "month"}
HEADERS = [
    "Mã",
    "Tháng",
    "Tiếp nhận",
    "Đã xác minh",
    "Không tiếp nhận",
    "Đã xử lý",
    "Đúng hạn",
    "Quá hạn",
    "Thời gian xử lý trung bình (giờ)",
    "Mức hài lòng trung bình (1–5)",
    "Số lượt đánh giá",
]


def url(fmt: str) -> str:
    return reverse("citizen_reports:staff_statistics_export", kwargs={"fmt": fmt})


class StatisticsExportTest(StatisticsData, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def test_it_exports_csv(self) -> None:
        response = self.client.get(url("csv"), RANGE)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("thong-ke-phan-anh_month_20250301-20250430.csv", response["Content-Disposition"])
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], HEADERS)
        self.assertEqual(rows[1], ["202503", "03/2025", "2", "2", "0", "2", "1", "1", "20.0", "3.0", "2"])
        self.assertEqual(rows[2], ["202504", "04/2025", "4", "2", "1", "0", "0", "1", "", "", "0"])
        self.assertEqual(rows[3][:3], ["total", "Tổng cộng / Total", "6"])

    def test_it_exports_xlsx(self) -> None:
        response = self.client.get(url("xlsx"), {**RANGE, "group_by": "channel"})
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[0][0], "Thống kê phản ánh hiện trường từ 01/03/2025 đến 30/04/2025")
        self.assertEqual(rows[2], ["Mã", "Kênh tiếp nhận", *HEADERS[2:]])
        by_key = {row[0]: row for row in rows[3:]}
        self.assertEqual(by_key["web"][1:3], ["Cổng thông tin (web)", 4])
        self.assertEqual(by_key["hotline"][2:], [1, 1, 0, 1, 0, 1, 30.0, 2.0, 1])
        self.assertEqual(by_key["total"][2], 6)

    def test_it_scopes_and_refuses_bad_filters(self) -> None:
        scoped = self.signed_in(self.officer_b).get(url("csv"), RANGE)
        rows = list(csv.reader(io.StringIO(scoped.content.decode("utf-8-sig"))))
        self.assertEqual(rows[-1][2], "1")  # only agency B's report
        bad = self.client.get(url("xlsx"), {"start": "2025-02-30"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("start", bad.content.decode())
        self.assertEqual(self.client.get(url("pdf"), RANGE).status_code, 404)
        self.assertEqual(self.signed_in(self.citizen).get(url("csv"), RANGE).status_code, 403)
