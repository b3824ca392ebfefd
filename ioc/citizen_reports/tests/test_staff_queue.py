"""The operators' queue (R3.3): tabs with counts, filters, who reaches it, a locked query count."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.citizen_reports import selectors, services
from ioc.citizen_reports.tests.test_staff_support import OTHER_COMMUNE, StaffMixin

URL = reverse("citizen_reports:staff_index")


class QueueTest(StaffMixin, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def counts(self, response):
        return {name: count for name, _label, count in response.context["tabs"]}

    def test_it_counts_each_tab(self) -> None:
        self.receive()
        self.receive(lat=None, lon=None, address="Ngõ 5, thôn Đông")  # needs a location
        verified = self.receive()
        services.report_verify(report=verified, actor=self.operator)
        waiting = self.receive(category=self.sensitive)
        services.report_verify(report=waiting, actor=self.operator)
        resolved = self.resolve(self.forward(self.receive()))
        assert resolved.status == "resolved"
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        counts = self.counts(response)
        self.assertEqual(
            counts, {"received": 1, "needs_location": 1, "to_forward": 1, "resolved": 1, "all": 4}
        )  # the operator has no approval tab: the report awaiting approval is the leader's
        leader = self.counts(self.signed_in(self.leader).get(URL))
        self.assertEqual(leader["awaiting_approval"], 1)
        self.assertEqual(leader["all"], 5)

    def test_the_selectors_count_only_the_reports_they_are_given(self) -> None:
        near = self.receive()
        self.receive(code=OTHER_COMMUNE)
        buckets = selectors.queue_buckets(user=self.operator)
        self.assertNotIn("awaiting_approval", buckets)
        self.assertIn("awaiting_approval", selectors.queue_buckets(user=self.leader))
        everything = selectors.report_list_for(user=self.operator)
        self.assertEqual(selectors.queue_counts(reports=everything, buckets=buckets)["received"], 2)
        one = selectors.report_list_for(user=self.operator, filters={"q": near.tracking_code})
        self.assertEqual(
            selectors.queue_counts(reports=one, buckets=buckets), dict.fromkeys(buckets, 0) | {"received": 1, "all": 1}
        )

    def test_it_lists_the_chosen_tab_and_filters(self) -> None:
        near = self.receive(description="Đèn đường hỏng")
        far = self.receive(code=OTHER_COMMUNE, description="Cây đổ chắn đường")
        located = self.client.get(URL, {"bucket": "received", "unit": OTHER_COMMUNE})
        self.assertEqual([row[0] for row in located.context["page"].object_list], [far.pk])
        by_code = self.client.get(URL, {"q": near.tracking_code})
        self.assertEqual([row[0] for row in by_code.context["page"].object_list], [near.pk])
        self.assertContains(by_code, near.tracking_code)
        self.assertNotContains(by_code, far.tracking_code)

    def test_it_refuses_a_bad_filter_naming_it(self) -> None:
        response = self.client.get(URL, {"bucket": "everything", "category": "no-such"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("bucket", response.context["form"].errors)
        self.assertIn("category", response.context["form"].errors)
        operator_only = self.client.get(URL, {"bucket": "awaiting_approval"})
        self.assertEqual(operator_only.status_code, 400)

    def test_it_sends_agency_people_to_the_statistics_and_refuses_citizens(self) -> None:
        response = self.signed_in(self.officer_a).get(URL)
        self.assertRedirects(response, reverse("citizen_reports:staff_statistics"), fetch_redirect_response=False)
        self.assertEqual(self.signed_in(self.citizen).get(URL).status_code, 403)
        self.assertEqual(self.signed_in(self.officer_a).get(reverse("citizen_reports:staff_hotline")).status_code, 403)

    def test_it_keeps_the_query_count_flat(self) -> None:
        report = self.receive()
        self.client.get(URL)  # warm the session and caches
        # 12 before issue 16: the pager takes the tab's count instead of a COUNT(*) of its own
        with self.assertNumQueries(11):
            self.client.get(URL)
        for _ in range(4):
            self.receive(lat=None, lon=None, address="Thôn Bắc")
        with self.assertNumQueries(11):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["page"].object_list), 5)
        # the rows the view writes: the label of a status and a channel, the badge of a report to locate, the link
        self.assertContains(response, "cần xác định vị trí", count=4)
        self.assertContains(response, f'href="{reverse("citizen_reports:staff_report_detail", args=[report.pk])}"')
