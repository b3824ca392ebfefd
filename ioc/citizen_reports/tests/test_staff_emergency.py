"""Citizen reports meet incidents (R4.1, R4.2, issue 12): the hotline's emergency branch raises an alert from
people; a verified report is escalated to an incident; a surge of reports in one commune raises one alert."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report, ReportEvent
from ioc.citizen_reports.tests.test_staff_support import COMMUNE, OTHER_COMMUNE, StaffMixin, unit
from ioc.incidents.models import Alert, Incident

HOTLINE = reverse("citizen_reports:staff_hotline")


class EmergencyBranchTest(StaffMixin, TestCase):
    def setUp(self) -> None:
        self.client = self.signed_in(self.operator)

    def data(self, **overrides: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "branch": "emergency",
            "emergency-kind": "fire",
            "emergency-description": "Cháy lớn tại xưởng gỗ, có người mắc kẹt",
            "emergency-unit": COMMUNE,
            "emergency-address": "Cụm công nghiệp phía bắc",
        }
        fields.update(overrides)
        return {k: v for k, v in fields.items() if v is not None}

    def test_an_emergency_call_is_an_alert_from_people_in_the_inbox(self) -> None:
        response = self.client.post(HOTLINE, self.data())
        self.assertRedirects(response, reverse("incidents:index"), fetch_redirect_response=False)
        alert = Alert.objects.get()
        self.assertEqual((alert.source, alert.kind, alert.severity), ("people", "fire", 5))
        self.assertEqual((alert.unit_id, alert.raised_by_id), (unit(COMMUNE).pk, self.operator.pk))
        self.assertIn("Cụm công nghiệp", alert.title)
        self.assertEqual(alert.payload["channel"], "hotline")
        self.assertFalse(Report.objects.exists())  # no report: the call went to the incidents inbox
        inbox = self.client.get(reverse("incidents:index"))
        self.assertContains(inbox, f'id="alert-{alert.pk}"')
        self.assertContains(inbox, 'data-ioc-alarm="1"')

    def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(self) -> None:
        for field, value in (("kind", "flood"), ("description", ""), ("description", "<b>x</b>")):
            with self.subTest(field=field, value=value):
                response = self.client.post(HOTLINE, self.data(**{f"emergency-{field}": value}))
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["emergency_form"].errors)
        outside = self.client.post(HOTLINE, self.data(**{"emergency-lat": "21.0285", "emergency-lon": "105.8542"}))
        self.assertEqual(outside.status_code, 400)
        self.assertIn("lat", outside.context["emergency_form"].errors)
        self.assertFalse(Alert.objects.exists())

    def test_only_the_ioc_takes_calls(self) -> None:
        officer = self.signed_in(self.officer_a)
        self.assertEqual(officer.post(HOTLINE, self.data()).status_code, 403)
        self.assertFalse(Alert.objects.exists())


class EscalateTest(StaffMixin, TestCase):
    def test_a_verified_report_becomes_an_incident(self) -> None:
        report = self.receive()
        with self.assertRaises(ValidationError) as early:
            services.report_escalate(report=report, actor=self.operator, kind="infrastructure.damage")
        self.assertIn("status", early.exception.message_dict)
        services.report_verify(report=report, actor=self.operator)
        client = self.signed_in(self.operator)
        detail = reverse("citizen_reports:staff_report_detail", kwargs={"pk": report.pk})
        self.assertContains(client.get(detail), 'id="action-escalate"')
        url = reverse("citizen_reports:staff_report_action", kwargs={"pk": report.pk, "action": "escalate"})
        bad = client.post(url, {"kind": "volcano"})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(Incident.objects.exists())
        response = client.post(url, {"kind": "infrastructure.damage", "severity": "4", "note": "Sụt lún lớn"})
        self.assertRedirects(response, detail, fetch_redirect_response=False)
        incident = Incident.objects.get()
        self.assertEqual((incident.kind, incident.severity, incident.state), ("infrastructure.damage", 4, "verified"))
        self.assertEqual(incident.unit_id, report.unit_id)
        self.assertEqual(incident.alerts.get().source, "citizen_reports")
        line = ReportEvent.objects.filter(report=report).latest("pk")
        self.assertIn(incident.reference, line.note)
        self.assertFalse(line.is_public)
        report.refresh_from_db()
        self.assertEqual(report.status, "verified")  # the report keeps its own flow
        again = services.report_escalate(report=report, actor=self.operator, kind="infrastructure.damage")
        self.assertEqual(again.pk, incident.pk)  # the same report escalated twice joins the same incident


@override_settings(IOC_REPORT_SURGE_COUNT=3, IOC_REPORT_SURGE_MINUTES=60)
class SurgeTest(StaffMixin, TestCase):
    def test_one_alert_per_commune_and_category_updated_on_rerun(self) -> None:
        for _n in range(3):
            self.receive(photos=[])
        self.receive(photos=[], code=OTHER_COMMUNE)
        self.receive(photos=[], category=self.sensitive)
        self.assertEqual(services.report_surge_alerts(), 1)
        alert = Alert.objects.get()
        self.assertEqual(
            (alert.source, alert.kind, alert.unit_id), ("citizen_reports", "citizen_reports.surge", unit().pk)
        )
        self.assertEqual(alert.payload["count"], 3)
        self.receive(photos=[])
        self.assertEqual(services.report_surge_alerts(), 1)
        alert = Alert.objects.get()
        self.assertEqual((alert.count, alert.payload["count"]), (2, 4))
