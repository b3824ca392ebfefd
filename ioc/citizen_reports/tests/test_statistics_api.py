"""R3.5: the statistics API (GET /api/v1/citizen-reports/statistics/) and the statistics page."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.citizen_reports.tests.test_statistics_support import StatisticsData

API = reverse("citizen_reports_api:statistics")
PAGE = reverse("citizen_reports:staff_statistics")
RANGE = {"start": "2025-03-01", "end": "2025-04-30"}


class StatisticsApiTest(StatisticsData, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def test_it_answers_the_figures_by_group(self) -> None:
        body = self.client.get(API, {**RANGE, "group_by": "month"}).json()
        self.assertEqual((body["start"], body["end"], body["group_by"]), ("2025-03-01", "2025-04-30", "month"))
        self.assertEqual([row["key"] for row in body["rows"]], ["202503", "202504"])
        march = body["rows"][0]
        self.assertEqual(
            {k: march[k] for k in ("received", "handled", "on_time", "overdue", "avg_handling_hours", "rating_avg")},
            {"received": 2, "handled": 2, "on_time": 1, "overdue": 1, "avg_handling_hours": 20.0, "rating_avg": 3.0},
        )
        self.assertEqual(body["totals"]["received"], 6)

    def test_it_scopes_agency_roles(self) -> None:
        body = self.signed_in(self.officer_b).get(API, {**RANGE, "group_by": "agency"}).json()
        self.assertEqual([(row["label"], row["received"]) for row in body["rows"]], [(self.agency_b.name, 1)])

    def test_it_refuses_bad_input_naming_the_field(self) -> None:
        cases = [
            ({"start": "2025-13-01"}, "start"),
            ({"end": "hôm qua"}, "end"),
            ({"group_by": "province"}, "group_by"),
            ({"start": "2025-05-01", "end": "2025-04-01"}, "end"),
            ({"start": "2000-01-01", "end": "2025-01-01"}, "start"),
            ({"start": "1999-12-31", "end": "2000-01-31"}, "start"),
            ({"end": "9999-12-31"}, "end"),
            ({"start": "2024-01-01", "end": "2025-06-30", "group_by": "day"}, "group_by"),
        ]
        for params, field in cases:
            response = self.client.get(API, params)
            self.assertEqual(response.status_code, 400, params)
            body = response.json()
            self.assertEqual(body["error"]["code"], "invalid")
            self.assertEqual(list(body["error"]["fields"]), [field], params)
            self.assertIn("request_id", body)

    def test_it_defaults_to_this_year_by_month(self) -> None:
        body = self.client.get(API).json()
        self.assertEqual(body["group_by"], "month")
        self.assertTrue(body["start"].endswith("-01-01"))

    def test_it_is_for_staff_only(self) -> None:
        from django.test import Client

        self.assertEqual(Client().get(API).status_code, 401)
        self.assertEqual(self.signed_in(self.citizen).get(API).status_code, 403)
        self.assertEqual(self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {self.system_token}").status_code, 403)

    def test_it_keeps_the_query_count_flat(self) -> None:
        for group_by in ("agency", "day"):
            with self.settings(CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS=0):
                self.client.get(API, {**RANGE, "group_by": group_by})  # warm the session
                # The cells' sums and the live count of open reports past their deadline (+ the agencies' labels).
                with self.assertNumQueries(8 if group_by == "agency" else 7):
                    self.client.get(API, {**RANGE, "group_by": group_by})
            self.client.get(API, {**RANGE, "group_by": group_by})
            with self.assertNumQueries(7):  # cached: the data version instead of the GROUP BY and labels
                self.client.get(API, {**RANGE, "group_by": group_by})

    def test_the_page_shows_the_table_and_feeds_the_charts_from_the_api(self) -> None:
        response = self.client.get(PAGE, {**RANGE, "group_by": "channel"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Cổng thông tin (web)")
        self.assertContains(response, f'data-url="{API}?start=2025-03-01&amp;end=2025-04-30&amp;group_by=channel"')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        self.assertContains(response, "citizen_reports_staff/statistics.js")
        self.assertNotContains(response, "<script>")  # no inline script (CSP)
        bad = self.client.get(PAGE, {"group_by": "nope"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("group_by", bad.context["form"].errors)
        officer = self.signed_in(self.officer_a).get(PAGE, RANGE)
        self.assertEqual(officer.status_code, 200)
        self.assertEqual(officer.context["stats"].totals.received, 3)
