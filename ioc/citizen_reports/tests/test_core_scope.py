"""R7.1, R7.5: who sees which report, and who sees the reporter's contact (every view audited)."""

from django.http import Http404
from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.selectors import public_reports, report_contact_for, report_get_for, report_list_for
from ioc.citizen_reports.tests.test_core_support import EMAIL, PHONE, CoreMixin, contact


class ReportScopeTest(CoreMixin, TestCase):
    def test_it_shows_an_agency_only_the_reports_it_holds(self):
        held = self.forward(self.receive().report)
        waiting = self.receive().report
        self.assertEqual(list(report_list_for(user=self.officer_a)), [held])
        self.assertEqual(report_get_for(user=self.officer_a, pk=held.pk), held)
        self.assertEqual(set(report_list_for(user=self.operator)), {held, waiting})
        self.assertEqual(set(report_list_for(user=self.leader)), {held, waiting})

    def test_it_hides_agency_as_report_from_the_officer_of_b(self):
        held = self.forward(self.receive().report)
        self.assertEqual(list(report_list_for(user=self.officer_b)), [])
        with self.assertRaises(Http404):
            report_get_for(user=self.officer_b, pk=held.pk)
        for nobody in [self.citizen, None]:
            with self.subTest(user=nobody), self.assertRaises(Http404):
                report_get_for(user=nobody, pk=held.pk)

    def test_it_filters_the_staff_list(self):
        one = self.receive(description="Cây đổ chắn đường").report
        self.receive(category=self.sensitive)
        self.assertEqual(list(report_list_for(user=self.operator, filters={"q": "cây đổ"})), [one])
        self.assertEqual(list(report_list_for(user=self.operator, filters={"q": one.tracking_code.lower()})), [one])
        self.assertEqual(list(report_list_for(user=self.operator, filters={"category": "core-road"})), [one])
        self.assertEqual(
            list(report_list_for(user=self.operator, filters={"unit": "33", "category": self.road})), [one]
        )

    def test_it_never_lists_spam_publicly(self):
        spam = self.receive().report
        services.report_mark_spam(report=spam, actor=self.operator)
        shown = self.receive().report
        self.assertEqual(list(public_reports()), [shown])


class ContactAccessTest(CoreMixin, TestCase):
    def reads(self, report):
        return AuditEntry.objects.filter(action="personal_data.read", object_id=str(report.pk)).count()

    def test_it_shows_the_contact_to_ioc_operators_and_leaders_and_audits_each_view(self):
        report = self.receive().report
        for user in [self.operator, self.leader]:
            view = report_contact_for(user=user, report=report)
            self.assertEqual((view.phone, view.email, view.name), (PHONE, EMAIL, "Nguyễn Thị Canary"))
        self.assertEqual(self.reads(report), 2)
        entry = AuditEntry.objects.filter(action="personal_data.read").latest("pk")
        self.assertEqual(entry.actor, self.leader)
        self.assertEqual(entry.changes["fields"], ["reporter_email", "reporter_name", "reporter_phone"])

    def test_it_shows_the_holding_agency_the_contact_only_with_consent(self):
        without = self.forward(self.receive(contact=contact(consent_share_with_agency=False)).report)
        self.assertIsNone(report_contact_for(user=self.officer_a, report=without))
        with_consent = self.forward(self.receive(contact=contact(consent_share_with_agency=True)).report)
        self.assertEqual(report_contact_for(user=self.officer_a, report=with_consent).phone, PHONE)
        self.assertEqual(self.reads(with_consent), 1)
        self.assertEqual(self.reads(without), 0)

    def test_it_never_shows_the_contact_to_another_agency_or_a_citizen(self):
        report = self.forward(self.receive(contact=contact(consent_share_with_agency=True)).report)
        for user in [self.officer_b, self.citizen, None]:
            with self.subTest(user=user):
                self.assertIsNone(report_contact_for(user=user, report=report))
        self.assertEqual(self.reads(report), 0)

    def test_it_stops_showing_the_agency_the_contact_once_it_returned_the_report(self):
        from ioc.assignments import services as assignment_services

        report = self.forward(self.receive(contact=contact(consent_share_with_agency=True)).report)
        assignment_services.assignment_return(assignment=self.assignment(report), actor=self.officer_a, reason="Sai")
        report.refresh_from_db()
        self.assertIsNone(report_contact_for(user=self.officer_a, report=report))

    def test_it_shows_nothing_for_an_anonymous_report(self):
        report = self.receive(contact=None).report
        self.assertIsNone(report_contact_for(user=self.operator, report=report))
        self.assertEqual(self.reads(report), 0)
