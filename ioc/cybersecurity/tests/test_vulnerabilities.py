"""R5.6, R4.5 (000:7.4): a national vulnerability notice forwarded per affected asset to its agency
(`assignment_forward(process="cybersecurity")`), due in working hours by severity; it escalates along the default
chain on a frozen clock (weekend and the Hùng Kings and 30/4–1/5 holidays do not count), shows as "vulnerability
overdue" in the operator's queue, follows the agency's work to fixed (on time or late); agency B's officer never
sees agency A's exposures; bad input is named and writes nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.selectors import system_account
from ioc.accounts.testing import Personas
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import assignment_escalate_due
from ioc.audit.models import AuditEntry
from ioc.common.testing import frozen, local
from ioc.cybersecurity import selectors, services
from ioc.cybersecurity.choices import VULN_CATEGORY, ExposureStatus
from ioc.cybersecurity.models import Asset, Exposure, Vulnerability
from ioc.notifications.models import Outbox

# Forwarded Fri 24/4/2026 15:00, severity "high" → 16 working hours (7:30–11:30, 13:30–17:00). The default chain:
# 80 % → Wed 29/4 10:48 (the agency's officers), 100 % → Wed 29/4 16:00 (its head), 150 % → Mon 4/5 16:30 (the IOC
# leader, urgent).
FORWARDED = local(2026, 4, 24, 15, 0)
STEP_1, DEADLINE, STEP_3 = local(2026, 4, 29, 10, 48), local(2026, 4, 29, 16, 0), local(2026, 5, 4, 16, 30)
MINUTE = dt.timedelta(minutes=1)


def make_asset(actor, agency, code):
    return services.asset_create(
        actor=actor,
        code=code,
        name=f"Cổng {code}",
        kind="portal",
        agency=agency,
        level=3,
        url=f"https://{code}.example.invalid/",
        is_demo=True,
    )


class VulnerabilityCase(Personas, TestCase):
    portal_a: Asset
    portal_b: Asset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.portal_a = make_asset(cls.admin, cls.agency_a, "vuln-a")
        cls.portal_b = make_asset(cls.admin, cls.agency_b, "vuln-b")

    def notice(self, **overrides):
        fields = {
            "actor": self.operator,
            "code": "CVE-2026-1234",
            "title": "Lỗ hổng thực thi mã từ xa trong máy chủ web",
            "severity": 4,
            "published_on": dt.date(2026, 4, 24),
            "assets": [self.portal_a, self.portal_b],
            "remedy": "Cập nhật bản vá 2.4.1",
        }
        fields.update(overrides)
        with frozen(FORWARDED):
            return services.vulnerability_create(**fields)

    def exposure(self, vulnerability, asset) -> Exposure:
        return Exposure.objects.select_related("assignment").get(vulnerability=vulnerability, asset=asset)

    def run_at(self, moment):
        with frozen(moment):
            return assignment_escalate_due(now=moment)


class VulnerabilityTest(VulnerabilityCase):
    def test_each_affected_asset_is_forwarded_to_its_agency_with_a_working_time_deadline(self):
        vulnerability = self.notice()
        a, b = self.exposure(vulnerability, self.portal_a), self.exposure(vulnerability, self.portal_b)
        assert a.assignment is not None and b.assignment is not None
        self.assertEqual((a.assignment.process, a.assignment.agency_id), ("cybersecurity", self.agency_a.pk))
        self.assertEqual(b.assignment.agency_id, self.agency_b.pk)
        self.assertEqual((a.deadline_at, a.assignment.working_hours), (DEADLINE, 16.0))
        self.assertEqual(a.assignment.escalation_chain.name, "Lỗ hổng bảo mật: mặc định / Vulnerabilities: default")
        self.assertTrue(AuditEntry.objects.filter(action="vulnerability.create", object_id=str(vulnerability.pk)))

    def test_it_escalates_by_the_chain_on_a_frozen_clock_and_becomes_overdue_work(self):
        vulnerability = self.notice(assets=[self.portal_a])
        work = self.exposure(vulnerability, self.portal_a).assignment
        self.assertEqual(self.run_at(local(2026, 4, 27, 9, 0)), 0)  # the Hùng Kings holiday: nothing due
        self.assertEqual(self.run_at(STEP_1 - MINUTE), 0)
        self.assertEqual(self.run_at(STEP_1), 1)
        self.assertEqual(self.run_at(STEP_1), 0)  # never twice
        at_risk = Outbox.objects.filter(template="assignments.at_risk")
        self.assertEqual([row.recipient_user for row in at_risk], [self.officer_a])
        with frozen(DEADLINE - MINUTE):
            self.assertEqual(selectors.cybersecurity_work_items(user=self.operator), [])
        self.assertEqual(self.run_at(DEADLINE), 1)
        self.assertEqual(self.run_at(local(2026, 5, 1, 12, 0)), 0)  # 30/4 and 1/5 are holidays
        self.assertEqual(self.run_at(STEP_3), 1)
        urgent = Outbox.objects.filter(template="assignments.overdue", urgent=True)
        self.assertEqual([row.recipient_user for row in urgent], [self.leader])
        steps = AssignmentUpdate.objects.filter(assignment=work, kind=UpdateKind.ESCALATE).count()
        self.assertEqual(steps, 3)
        with frozen(STEP_3):
            items = selectors.cybersecurity_work_items(user=self.operator)
            self.assertEqual(
                [(i.kind, i.code, i.state) for i in items], [("vulnerability_overdue", "CVE-2026-1234", "overdue")]
            )
            self.assertEqual(selectors.cybersecurity_work_items(user=self.officer_b), [])
        self.assertEqual(self.exposure(vulnerability, self.portal_a).status, ExposureStatus.FORWARDED)

    def test_the_exposure_follows_the_agency_work_to_fixed_on_time_or_late(self):
        vulnerability = self.notice()
        work_a = self.exposure(vulnerability, self.portal_a).assignment
        work_b = self.exposure(vulnerability, self.portal_b).assignment
        with frozen(local(2026, 4, 28, 9, 0)):
            assignment_services.assignment_accept(assignment=work_a, actor=self.officer_a)
            self.assertEqual(self.exposure(vulnerability, self.portal_a).status, ExposureStatus.FIXING)
            assignment_services.assignment_resolve(assignment=work_a, actor=self.officer_a, resolution="Đã vá 2.4.1")
            self.assertEqual(self.exposure(vulnerability, self.portal_a).status, ExposureStatus.RESOLVED)
        with frozen(local(2026, 5, 5, 9, 0)):
            assignment_services.assignment_accept(assignment=work_b, actor=self.officer_b)
            assignment_services.assignment_resolve(assignment=work_b, actor=self.officer_b, resolution="Đã vá")
            for work in (work_a, work_b):
                assignment_services.assignment_confirm(assignment=work, actor=self.operator)
        a, b = self.exposure(vulnerability, self.portal_a), self.exposure(vulnerability, self.portal_b)
        self.assertEqual((a.status, a.fixed_on_time), (ExposureStatus.FIXED, True))
        self.assertEqual((b.status, b.fixed_on_time), (ExposureStatus.FIXED, False))
        fixed = selectors.vulnerabilities_fixed(user=self.operator, start=FORWARDED, end=local(2026, 6, 1))
        self.assertEqual(fixed, {"fixed": 2, "on_time": 1})
        self.assertEqual(self.run_at(STEP_3), 0)  # fixed work no longer escalates

    def test_bad_input_is_named_and_writes_nothing(self):
        self.notice()
        cases = (
            ({"code": "CVE-2026-1234"}, "code"),
            ({"code": "", "title": "x"}, "code"),
            ({"code": "X-1", "title": ""}, "title"),
            ({"code": "X-2", "severity": 9}, "severity"),
            ({"code": "X-3", "assets": []}, "assets"),
            ({"code": "X-4", "working_hours": 0}, "working_hours"),
            ({"code": "X-5", "remedy": "<script>alert(1)</script>"}, "remedy"),
        )
        for overrides, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.notice(**overrides)
            self.assertIn(field, caught.exception.message_dict)
        self.assertEqual(Vulnerability.objects.count(), 1)
        self.assertEqual(Exposure.objects.count(), 2)

    def test_only_the_ioc_records_a_notice(self):
        for user in (self.officer_a, self.admin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.notice(actor=user, code=f"X-{user.pk}")
        self.assertFalse(Vulnerability.objects.exists())
        self.notice(actor=system_account(), code="DEMO-1")

    def test_pages_scoped_by_agency(self):
        vulnerability = self.notice(assets=[self.portal_a])
        detail = reverse("cybersecurity:vulnerability_detail", kwargs={"pk": vulnerability.pk})
        self.sign_in(self.client, self.officer_a)
        with self.assertNumQueries(9):
            listing = self.client.get(reverse("cybersecurity:vulnerabilities"))
        self.assertContains(listing, 'data-vulnerability="CVE-2026-1234"')
        self.assertContains(self.client.get(detail), 'data-exposure="vuln-a"')
        self.client.logout()
        self.sign_in(self.client, self.officer_b)
        self.assertNotContains(self.client.get(reverse("cybersecurity:vulnerabilities")), "CVE-2026-1234")
        self.assertEqual(self.client.get(detail).status_code, 404)
        self.assertEqual(self.client.get(reverse("cybersecurity:vulnerability_create")).status_code, 403)

    def test_the_operator_records_a_notice_on_the_page(self):
        self.sign_in(self.client, self.operator)
        url = reverse("cybersecurity:vulnerability_create")
        data = {"code": "CVE-2026-9", "title": "Lỗ hổng", "severity": 5, "published_on": "2026-04-24",
                "assets": [self.portal_a.pk], "working_hours": ""}  # fmt: skip
        response = self.client.post(url, data)
        vulnerability = Vulnerability.objects.get(code="CVE-2026-9")
        self.assertRedirects(response, reverse("cybersecurity:vulnerability_detail", kwargs={"pk": vulnerability.pk}))
        self.assertEqual(vulnerability.working_hours, 8.0)
        bad = self.client.post(url, {**data, "code": "CVE-2026-9", "assets": [], "severity": 7})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(set(bad.context["form"].errors), {"assets", "severity"})
        self.assertEqual(Vulnerability.objects.count(), 1)


class ReforwardTest(VulnerabilityCase):
    """A notice the agency returned is forwarded again through `assignment_forward` and the exposure follows."""

    def reforward(self, exposure, agency):
        with frozen(local(2026, 4, 28, 9, 0)):
            return assignment_services.assignment_forward(
                process="cybersecurity",
                subject_id=f"vuln:{exposure.pk}",
                subject_label="CVE-2026-1234: Cổng vuln-a",
                category_code=VULN_CATEGORY,
                agency=agency,
                working_hours=16,
                actor=self.operator,
            )

    def test_a_returned_exposure_is_forwarded_again_and_follows_the_new_work(self):
        exposure = self.exposure(self.notice(assets=[self.portal_a]), self.portal_a)
        with frozen(local(2026, 4, 27, 9, 0)):
            assignment_services.assignment_return(
                assignment=exposure.assignment, actor=self.officer_a, reason="Cổng do cơ quan B quản trị"
            )
        self.assertEqual(self.exposure(exposure.vulnerability, self.portal_a).status, ExposureStatus.RETURNED)
        work = self.reforward(exposure, self.agency_b)
        again = self.exposure(exposure.vulnerability, self.portal_a)
        self.assertEqual((again.status, again.assignment_id, again.agency_id), ("forwarded", work.pk, self.agency_b.pk))
        self.assertEqual(again.deadline_at, work.deadline_at)
        self.assertTrue(AuditEntry.objects.filter(action="exposure.forward", object_id=str(exposure.pk)))
        with frozen(local(2026, 4, 28, 10, 0)):
            assignment_services.assignment_accept(assignment=work, actor=self.officer_b)
        self.assertEqual(self.exposure(exposure.vulnerability, self.portal_a).status, ExposureStatus.FIXING)

    def test_an_exposure_still_held_is_not_forwarded_again_and_nothing_is_written(self):
        exposure = self.exposure(self.notice(assets=[self.portal_a]), self.portal_a)
        before = Assignment.objects.count()
        with self.assertRaises(ValidationError) as caught:
            self.reforward(exposure, self.agency_b)
        self.assertIn("subject_id", caught.exception.message_dict)
        self.assertEqual(Assignment.objects.count(), before)
        self.assertEqual(self.exposure(exposure.vulnerability, self.portal_a).agency_id, self.agency_a.pk)


class InboxLabelTest(VulnerabilityCase):
    ROW = '<div class="text-secondary small">{}'

    def test_the_officers_inbox_names_the_process_in_vietnamese_and_english(self):
        self.notice(assets=[self.portal_a])
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(reverse("assignments:inbox")).content.decode()
        self.assertIn(self.ROW.format("An toàn thông tin"), page)
        self.assertNotIn(self.ROW.format("cybersecurity"), page)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get(reverse("assignments:inbox")).content.decode()
        self.assertIn(self.ROW.format("Information security"), page)
