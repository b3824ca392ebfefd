"""R3.3, R3.4, R4.2: the whole flow of a web report through the services, with its refusals."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.tests.test_core_support import EMAIL, PHONE, CoreMixin, photo
from ioc.notifications.models import Outbox
from ioc.worktime.selectors import calendar_for, deadline_add


class FlowTest(CoreMixin, TestCase):
    def refuse(self, subject, call, /, error=ValidationError, **kw):
        before = self.snapshot(subject)
        with self.assertRaises(error):
            call(**kw)
        self.assertEqual(self.snapshot(subject), before, "a refused step must write nothing")

    def test_it_runs_the_whole_flow_with_a_return_publication_rating_and_reopening(self):
        received = self.receive()
        report, token = received.report, received.private_token

        services.report_verify(report=report, actor=self.operator)
        self.assertEqual(report.status, "verified")
        services.report_forward(report=report, actor=self.operator, agency=self.agency_b, instructions="Xử lý gấp")
        first = self.assignment(report)
        self.assertEqual((report.status, report.agency, first.agency), ("forwarded", self.agency_b, self.agency_b))
        calendar = calendar_for(agency=self.agency_b)
        expected = deadline_add(start=first.forwarded_at, working_hours=16, calendar=calendar)
        self.assertEqual(report.deadline_at, expected)
        self.assertEqual(len(self.outbox_for(EMAIL, "citizen_reports.forwarded")), 1)

        # agency B returns it: back to verified with the reason, the operators are told (by assignments)
        assignment_services.assignment_return(assignment=first, actor=self.officer_b, reason="Không đúng thẩm quyền")
        report.refresh_from_db()
        self.assertEqual((report.status, report.agency_id, report.assignment_id), ("verified", None, None))
        self.assertEqual(report.events.last().note, "Không đúng thẩm quyền")

        # re-forwarded by routing (the category's default agency, A), accepted, progress, resolved
        services.report_forward(report=report, actor=self.operator)
        second = self.assignment(report)
        self.assertEqual((report.agency, second.agency), (self.agency_a, self.agency_a))
        self.assertEqual(len(self.outbox_for(EMAIL, "citizen_reports.forwarded")), 2)
        second = assignment_services.assignment_accept(assignment=second, actor=self.officer_a)
        report.refresh_from_db()
        self.assertEqual(report.status, "in_progress")
        assignment_services.assignment_progress(assignment=second, actor=self.officer_a, text="Đang vá", is_public=True)
        self.assertTrue(report.events.filter(note="Đang vá", is_public=True).exists())
        report = self.resolve(report, text="Đã vá xong ổ gà.")
        self.assertEqual((report.status, report.result), ("resolved", "Đã vá xong ổ gà."))
        self.assertIsNotNone(report.resolved_at)
        self.assertEqual(report.photos.filter(kind="evidence").count(), 1)
        self.assertEqual(len(self.outbox_for(PHONE, "citizen_reports.resolved")), 1)

        # published by the IOC with the photos it chose
        evidence = report.photos.get(kind="evidence")
        services.report_publish(
            report=report, actor=self.operator, result="Đã vá ổ gà ngày 10/7.", public_photo_ids=[evidence.pk]
        )
        report.refresh_from_db()
        self.assertEqual(
            (report.status, report.result, report.handled_on_time), ("published", "Đã vá ổ gà ngày 10/7.", True)
        )
        self.assertIsNotNone(report.closed_at)
        self.assertEqual(Assignment.objects.get(pk=second.pk).status, "confirmed")
        self.assertEqual(list(report.photos.filter(is_public=True)), [evidence])
        self.assertEqual(len(self.outbox_for(EMAIL, "citizen_reports.published")), 1)

        # rating and reopening need the private token
        self.refuse(report, services.report_rate, report=report, private_token="wrong", rating=5)
        self.refuse(report, services.report_reopen, report=report, private_token="wrong", reason="Chưa sửa")
        services.report_rate(report=report, private_token=token, rating=4, comment="Khá tốt")
        report.refresh_from_db()
        self.assertEqual((report.rating, report.rating_comment), (4, "Khá tốt"))
        services.report_reopen(report=report, private_token=token, reason="Ổ gà lại xuất hiện")
        report.refresh_from_db()
        self.assertEqual((report.status, report.reopen_count, report.closed_at), ("in_progress", 1, None))
        self.assertEqual((report.published_at, report.resolved_at), (None, None))  # no longer counted as handled
        self.assertEqual(Assignment.objects.get(pk=second.pk).status, "reopened")

        # handled again and published again
        report = self.resolve(report, text="Đã vá lại.")
        report = self.publish(report)
        self.assertEqual(report.status, "published")
        self.assertEqual(
            list(report.events.values_list("to_status", flat=True)),
            [
                "received",
                "verified",
                "forwarded",
                "verified",
                "forwarded",
                "in_progress",
                "in_progress",
                "resolved",
                "published",
                "published",
                "in_progress",
                "resolved",
                "published",
            ],
        )
        actions = set(
            AuditEntry.objects.filter(object_id=str(report.pk), object_type="citizen_reports.report").values_list(
                "action", flat=True
            )
        )
        self.assertTrue(
            {
                "report.receive",
                "report.verify",
                "report.forward",
                "report.return",
                "report.accept",
                "report.resolve",
                "report.publish",
                "report.rate",
                "report.reopen",
            }
            <= actions
        )

    def test_it_waits_for_the_leaders_approval_where_the_category_requires_it(self):
        report = self.receive(category=self.sensitive).report
        services.report_verify(report=report, actor=self.operator)
        self.assertEqual(report.status, "awaiting_approval")
        self.refuse(report, services.report_forward, report=report, actor=self.operator)
        self.refuse(report, services.report_approve, error=PermissionDenied, report=report, actor=self.operator)
        services.report_approve(report=report, actor=self.leader)
        report.refresh_from_db()
        self.assertEqual((report.status, report.approved_by), ("verified", self.leader))
        services.report_forward(report=report, actor=self.operator)
        self.assertEqual(report.status, "forwarded")

    def test_it_lets_a_category_resolve_without_a_photo_when_it_says_so(self):
        report = self.forward(self.receive(category=self.sensitive).report)
        assignment = assignment_services.assignment_accept(assignment=self.assignment(report), actor=self.officer_a)
        assignment_services.assignment_resolve(assignment=assignment, actor=self.officer_a, resolution="Đã xử lý")
        report.refresh_from_db()
        self.assertEqual(report.status, "resolved")

    def test_it_refuses_a_resolution_without_a_photo_where_the_category_requires_one(self):
        report = self.forward(self.receive().report)
        assignment = assignment_services.assignment_accept(assignment=self.assignment(report), actor=self.officer_a)
        with self.assertRaises(ValidationError):
            assignment_services.assignment_resolve(assignment=assignment, actor=self.officer_a, resolution="Xong")
        report.refresh_from_db()
        self.assertEqual(report.status, "in_progress")

    def test_it_refuses_a_rejection_without_a_reason_and_rejects_with_one(self):
        report = self.receive().report
        self.refuse(report, services.report_reject, report=report, actor=self.operator, reason="  ")
        services.report_reject(report=report, actor=self.operator, reason="Không thuộc phạm vi")
        report.refresh_from_db()
        self.assertEqual((report.status, report.rejection_reason), ("rejected", "Không thuộc phạm vi"))
        self.assertIsNotNone(report.closed_at)

    def test_it_refuses_every_step_not_in_the_transition_table(self):
        report = self.receive().report
        token = "x"
        self.refuse(report, services.report_forward, report=report, actor=self.operator)
        self.refuse(report, services.report_approve, report=report, actor=self.leader)
        self.refuse(report, services.report_publish, report=report, actor=self.operator, result="Xong")
        self.refuse(report, services.report_rate, report=report, private_token=token, rating=5)
        services.report_mark_spam(report=report, actor=self.operator, reason="Quảng cáo")
        for call, kw in [
            (services.report_verify, {"actor": self.operator}),
            (services.report_reject, {"actor": self.operator, "reason": "x"}),
            (services.report_mark_spam, {"actor": self.operator}),
            (services.report_forward, {"actor": self.operator}),
            (services.report_locate, {"actor": self.operator, "unit": "11953"}),
        ]:
            with self.subTest(call=call.__name__):
                self.refuse(report, call, report=report, **kw)

    def test_it_refuses_the_steps_of_people_without_the_role(self):
        report = self.receive().report
        for actor in [self.officer_a, self.citizen, None]:
            with self.subTest(actor=actor):
                self.refuse(report, services.report_verify, error=PermissionDenied, report=report, actor=actor)
                self.refuse(
                    report, services.report_reject, error=PermissionDenied, report=report, actor=actor, reason="x"
                )

    def test_it_refuses_a_bad_rating(self):
        received = self.receive()
        report = self.publish(self.resolve(self.forward(received.report)))
        for rating in [0, 6, "abc", 4.5, None, True]:
            with self.subTest(rating=rating):
                self.refuse(
                    report, services.report_rate, report=report, private_token=received.private_token, rating=rating
                )

    def test_it_refuses_an_agency_acting_on_a_report_it_does_not_hold(self):
        report = self.forward(self.receive().report)
        assignment = self.assignment(report)
        self.refuse(
            report,
            assignment_services.assignment_accept,
            error=PermissionDenied,
            assignment=assignment,
            actor=self.officer_b,
        )

    def test_it_refuses_to_forward_a_report_that_needs_a_location_until_located(self):
        report = self.receive(lat=None, lon=None, address="Gần cầu Yên Lệnh").report
        services.report_verify(report=report, actor=self.operator)
        self.refuse(report, services.report_forward, report=report, actor=self.operator)
        services.report_locate(report=report, actor=self.operator, unit="11953")
        self.assertFalse(report.needs_location)
        services.report_forward(report=report, actor=self.operator)
        self.assertEqual(report.status, "forwarded")

    def test_it_refuses_to_forward_when_no_agency_handles_the_category(self):
        orphan = services.category_create(actor=system_actor(), code="core-orphan", name="Không có cơ quan")
        report = self.receive(category=orphan).report
        services.report_verify(report=report, actor=self.operator)
        self.refuse(report, services.report_forward, report=report, actor=self.operator)

    def test_it_refuses_public_photos_of_another_report(self):
        one = self.resolve(self.forward(self.receive().report))
        other = self.receive().report
        foreign = other.photos.first()
        self.refuse(
            one, services.report_publish, report=one, actor=self.operator, result="Xong", public_photo_ids=[foreign.pk]
        )

    def test_it_sets_a_photo_public_through_the_service(self):
        report = self.receive(photos=[photo()]).report
        picture = report.photos.get()
        services.photo_set_public(photo=picture, actor=self.operator, is_public=True)
        picture.refresh_from_db()
        self.assertTrue(picture.is_public)
        with self.assertRaises(PermissionDenied):
            services.photo_set_public(photo=picture, actor=self.officer_a, is_public=False)

    def test_it_counts_a_late_result_as_not_on_time(self):
        report = self.resolve(self.forward(self.receive().report))
        Report.objects.filter(pk=report.pk).update(deadline_at=report.resolved_at.replace(year=2020))
        report = self.publish(report)
        self.assertFalse(report.handled_on_time)

    def test_it_sends_back_a_resolved_report_when_the_ioc_reopens_the_assignment(self):
        report = self.resolve(self.forward(self.receive().report))
        assignment_services.assignment_reopen(
            assignment=self.assignment(report), actor=self.operator, reason="Thiếu ảnh"
        )
        report.refresh_from_db()
        self.assertEqual((report.status, report.resolved_at), ("in_progress", None))

    def test_it_refuses_to_cancel_the_assignment_of_a_report_in_progress(self):
        report = self.forward(self.receive().report)
        assignment = assignment_services.assignment_accept(assignment=self.assignment(report), actor=self.officer_a)
        with self.assertRaises(ValidationError):
            assignment_services.assignment_cancel(assignment=assignment, actor=self.operator, reason="Nhầm")
        self.assertEqual(Assignment.objects.get(pk=assignment.pk).status, "accepted")

    def test_it_puts_a_report_back_to_verified_when_its_forwarding_is_cancelled(self):
        report = self.forward(self.receive().report)
        assignment_services.assignment_cancel(assignment=self.assignment(report), actor=self.operator, reason="Nhầm")
        report.refresh_from_db()
        self.assertEqual((report.status, report.agency_id), ("verified", None))
        self.assertFalse(Outbox.objects.filter(event="citizen_reports.published").exists())
