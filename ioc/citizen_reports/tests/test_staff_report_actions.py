"""A report's page and each operator action through it (R3.3): the happy path and a refusal that writes nothing."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report, ReportPhoto, RoutingRule
from ioc.citizen_reports.tests.test_staff_support import OTHER_COMMUNE, StaffMixin, point_in, unit


def action_url(report: Report, action: str) -> str:
    return reverse("citizen_reports:staff_report_action", kwargs={"pk": report.pk, "action": action})


def detail_url(report: Report) -> str:
    return reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk})


class ReportActionsTest(StaffMixin, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def post(self, report: Report, action: str, data: dict[str, Any] | None = None, client: Any = None) -> Any:
        return (client or self.client).post(action_url(report, action), data or {})

    def assert_done(self, response: Any, report: Report, status: str) -> Report:
        self.assertRedirects(response, detail_url(report), fetch_redirect_response=False)
        report.refresh_from_db()
        self.assertEqual(report.status, status)
        return report

    def assert_refused(self, before: Any, report: Report, response: Any, status_code: int, field: str | None) -> None:
        self.assertEqual(response.status_code, status_code)
        self.assertEqual(self.snapshot(report), before)
        if field:
            form = next(f for f in response.context["actions"].values() if getattr(f, "is_bound", False))
            self.assertIn(field, form.errors)

    def test_it_shows_the_report_with_timeline_photos_and_map(self) -> None:
        report = self.receive()
        response = self.client.get(detail_url(report))
        self.assertContains(response, report.tracking_code)
        self.assertContains(response, "Ổ gà lớn giữa đường trước chợ")
        self.assertContains(response, 'id="report-timeline"')
        self.assertContains(response, 'data-report-map data-lat="')
        photo = report.photos.get()
        photo_url = reverse("citizen_reports:staff_report_photo", kwargs={"pk": report.pk, "photo_pk": photo.pk})
        self.assertContains(response, photo_url)
        served = self.client.get(photo_url)
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served["Content-Type"], "image/jpeg")
        self.assertEqual(
            self.client.get(reverse("citizen_reports:staff_report_detail", args=[999999])).status_code, 404
        )
        self.assertContains(response, 'id="action-verify"')
        self.assertNotContains(response, 'id="action-publish"')

    def test_it_verifies_and_refuses_verifying_twice(self) -> None:
        report = self.receive()
        self.assert_done(self.post(report, "verify", {"note": "Đã gọi lại xác nhận"}), report, "verified")
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "verify"), 400, "__all__")

    def test_it_lets_only_the_leader_approve(self) -> None:
        report = self.receive(category=self.sensitive)
        self.assert_done(self.post(report, "verify"), report, "awaiting_approval")
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "approve"), 403, None)
        leader = self.signed_in(self.leader)
        self.assert_done(self.post(report, "approve", client=leader), report, "verified")

    def test_it_rejects_with_a_reason_only(self) -> None:
        report = self.receive()
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "reject", {"reason": "  "}), 400, "reason")
        done = self.assert_done(self.post(report, "reject", {"reason": "Ngoài phạm vi"}), report, "rejected")
        self.assertEqual(done.rejection_reason, "Ngoài phạm vi")

    def test_it_marks_spam_and_refuses_it_after_verification(self) -> None:
        report = self.receive()
        self.assert_done(self.post(report, "spam", {"reason": "quảng cáo"}), report, "spam")
        verified = self.receive()
        services.report_verify(report=verified, actor=self.operator)
        before = self.snapshot(verified)
        self.assert_refused(before, verified, self.post(verified, "spam"), 400, "__all__")

    def test_it_suggests_nearby_duplicates_and_links_one(self) -> None:
        original = self.receive()
        far = self.receive(code=OTHER_COMMUNE, contact=None)  # neither near nor the same reporter
        report = self.receive()
        response = self.client.get(detail_url(report))
        candidates = [c.report.pk for c in response.context["candidates"]]
        self.assertIn(original.pk, candidates)
        self.assertNotIn(far.pk, candidates)
        self.assertContains(response, f'data-candidate="{original.pk}"')
        self.assertContains(response, "data-distance")
        done = self.assert_done(self.post(report, "duplicate", {"original": original.pk}), report, "duplicate")
        self.assertEqual(done.duplicate_of_id, original.pk)

    def test_it_refuses_a_duplicate_of_itself_or_of_nothing(self) -> None:
        report = self.receive()
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "duplicate", {"original": report.pk}), 400, "original")
        self.assert_refused(before, report, self.post(report, "duplicate", {}), 400, "original")
        missing = self.post(report, "duplicate", {"tracking_code": "NOSUCHCODE"})
        self.assert_refused(before, report, missing, 400, "tracking_code")
        by_code = self.receive()
        done = self.post(report, "duplicate", {"tracking_code": by_code.tracking_code.lower()})
        self.assertEqual(self.assert_done(done, report, "duplicate").duplicate_of_id, by_code.pk)

    def test_it_locates_an_address_only_report(self) -> None:
        report = self.receive(lat=None, lon=None, address="Thôn Đông, gần đình")
        self.assertTrue(report.needs_location)
        page = self.client.get(detail_url(report))
        self.assertContains(page, 'id="action-locate"')
        self.assertNotContains(page, 'id="action-verify"')
        before = self.snapshot(report)
        outside = self.post(report, "locate", {"lat": "21.0285", "lon": "105.8542"})  # Hà Nội, outside
        self.assert_refused(before, report, outside, 400, "lat")
        self.assert_refused(before, report, self.post(report, "locate", {}), 400, "unit")
        lat, lon = point_in(OTHER_COMMUNE)
        done = self.assert_done(self.post(report, "locate", {"lat": lat, "lon": lon}), report, "received")
        self.assertFalse(done.needs_location)
        self.assertEqual(done.unit_id, unit(OTHER_COMMUNE).pk)

    def test_it_forwards_to_the_suggested_or_chosen_agency(self) -> None:
        RoutingRule.objects.create(category=self.road, unit=unit(OTHER_COMMUNE), agency=self.agency_b)
        report = self.receive(code=OTHER_COMMUNE)
        services.report_verify(report=report, actor=self.operator)
        page = self.client.get(detail_url(report))
        self.assertEqual(page.context["actions"]["suggested_agency"], self.agency_b)
        self.assertEqual(page.context["actions"]["forward"].initial["agency"], self.agency_b)
        chosen = self.post(report, "forward", {"agency": self.agency_a.pk, "instructions": "Xử lý trong tuần"})
        done = self.assert_done(chosen, report, "forwarded")
        self.assertEqual(done.agency, self.agency_a)
        self.assertIsNotNone(done.deadline_at)
        routed = self.receive(code=OTHER_COMMUNE)
        services.report_verify(report=routed, actor=self.operator)
        self.assertEqual(self.assert_done(self.post(routed, "forward"), routed, "forwarded").agency, self.agency_b)

    def test_it_refuses_forwarding_before_verification(self) -> None:
        report = self.receive()
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "forward", {"agency": self.agency_a.pk}), 400, "__all__")

    def test_it_publishes_with_the_chosen_photos(self) -> None:
        report = self.resolve(self.forward(self.receive()))
        page = self.client.get(detail_url(report))
        self.assertContains(page, 'id="action-publish"')
        before = self.snapshot(report)
        self.assert_refused(before, report, self.post(report, "publish", {"result": ""}), 400, "result")
        chosen = report.photos.order_by("pk").first()
        assert chosen is not None
        data = {"result": "Đã vá xong ổ gà.", "public_photo_ids": [chosen.pk]}
        done = self.assert_done(self.post(report, "publish", data), report, "published")
        self.assertEqual(done.result, "Đã vá xong ổ gà.")
        self.assertEqual(list(ReportPhoto.objects.filter(report=report, is_public=True)), [chosen])

    def test_it_toggles_a_photo_public(self) -> None:
        report = self.receive()
        photo = report.photos.get()
        self.assertRedirects(
            self.post(report, "photo", {"photo": photo.pk, "is_public": "on"}),
            detail_url(report),
            fetch_redirect_response=False,
        )
        photo.refresh_from_db()
        self.assertTrue(photo.is_public)
        other = self.receive()
        self.assertEqual(self.post(other, "photo", {"photo": photo.pk}).status_code, 400)
        photo.refresh_from_db()
        self.assertTrue(photo.is_public)

    def test_it_lets_no_agency_officer_act(self) -> None:
        report = self.forward(self.receive())
        officer = self.signed_in(self.officer_a)
        page = officer.get(detail_url(report))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="action-')
        before = self.snapshot(report)
        self.assertEqual(self.post(report, "reject", {"reason": "x"}, client=officer).status_code, 403)
        self.assertEqual(self.snapshot(report), before)
        self.assertEqual(self.post(report, "nonsense").status_code, 404)
