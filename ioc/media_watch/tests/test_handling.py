"""Handling items (R5.7, R3.1; 002:6.5): a complaint found online becomes a citizen report (channel "social"); an
item forwarded to an agency keeps its answer and the time to answer; refusals write nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment
from ioc.assignments.selectors import assignment_inbox
from ioc.assignments.services import assignment_accept, assignment_resolve
from ioc.citizen_reports.models import Category, Report
from ioc.citizen_reports.services import report_forward, report_verify
from ioc.geo.models import AdminUnit
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import Handling
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.config import SourceSettings


class HandlingTest(Personas, TestCase):
    def setUp(self):
        self.commune = AdminUnit.objects.get(hierarchy="2025", code="25270")
        self.category = Category.objects.create(code="mw-env", name="Môi trường", default_agency=self.agency_a)
        source = services.source_set(
            actor=self.admin, values=SourceSettings(name="Mạng xã hội", kind=SourceKind.EXPORT)
        )
        draft = ItemDraft(
            title=f"Rác ùn ứ ở chợ {self.commune.full_name}",
            body="Bà con bức xúc vì rác không được thu gom ba ngày.",
            url="https://social.invalid/p/9",
        )
        (self.item,) = services.items_ingest(actor=self.admin, source=source, drafts=[draft]).new

    def test_an_item_becomes_a_citizen_report_in_its_commune(self):
        report = services.item_to_report(actor=self.operator, item=self.item, category=self.category)
        self.assertEqual((report.channel, report.social_url, report.unit), ("social", self.item.url, self.commune))
        self.assertIn("Rác ùn ứ", report.description)
        self.assertEqual(Handling.objects.get(item=self.item).report_id, report.pk)
        with self.assertRaises(ValidationError):  # once only
            services.item_to_report(actor=self.operator, item=self.item, category=self.category)
        self.assertEqual(Report.objects.count(), 1)

    def test_the_report_reaches_the_agencys_inbox_through_its_own_flow(self):
        report = services.item_to_report(actor=self.operator, item=self.item, category=self.category)
        report = report_verify(report=report, actor=self.operator)
        report_forward(report=report, actor=self.operator)  # routed by the category to agency A
        inbox = list(assignment_inbox(user=self.officer_a, status="open"))
        self.assertEqual([(a.process, a.agency_id) for a in inbox], [("citizen_reports", self.agency_a.pk)])
        self.assertIn("Rác ùn ứ", inbox[0].subject_label + Report.objects.get().description)
        self.assertEqual(list(assignment_inbox(user=self.officer_b, status="open")), [])

    def test_an_officer_may_not_hand_items_on(self):
        with self.assertRaises(PermissionDenied):
            services.item_to_report(actor=self.officer_a, item=self.item, category=self.category)
        self.assertFalse(Report.objects.exists())
        self.assertFalse(Handling.objects.exists())

    def test_forwarded_to_an_agency_the_answer_and_its_time_are_kept(self):
        assignment = services.item_forward(
            actor=self.operator, item=self.item, agency=self.agency_a, working_hours=8, instructions="Trả lời người dân"
        )
        self.assertEqual((assignment.process, assignment.subject_id), ("media_watch", str(self.item.pk)))
        self.assertEqual(assignment.unit, self.commune)
        assignment_accept(assignment=assignment, actor=self.officer_a)
        assignment_resolve(
            assignment=Assignment.objects.get(pk=assignment.pk), actor=self.officer_a, resolution="Đã thu gom xong."
        )
        handling = Handling.objects.get(item=self.item)
        self.assertEqual(handling.answer, "Đã thu gom xong.")
        self.assertIsNotNone(handling.answered_at)
        self.assertGreaterEqual(handling.answered_at, handling.created_at)

    def test_a_bad_forward_is_refused_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            services.item_forward(actor=self.operator, item=self.item, agency=self.agency_a, working_hours=0)
        self.assertIn("working_hours", caught.exception.message_dict)
        self.assertFalse(Handling.objects.exists())
