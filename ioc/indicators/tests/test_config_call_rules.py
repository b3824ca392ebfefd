"""R2.6 configuration page of recurring data calls: the operator creates a rule, pauses, resumes and ends it (each
audited with its actor); an officer is refused; an unknown period type, an agency outside the offered scope and a
duplicate rule are form errors naming the field, and nothing is written."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators.models import CallRule
from ioc.indicators.tests.support import catalogue, spec, territory

URL = "/chi-so/cau-hinh/dinh-ky/"


class CallRulePageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"))

    def form(self, **extra):
        base = {"indicator": "revenue", "agency": self.agency_a.code, "period_type": "month", "first_period": "",
                "open_after_days": "0", "working_days": "5", "note": "Số liệu hằng tháng"}  # fmt: skip
        return {**base, **extra}

    def test_create_pause_resume_and_end(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(URL), 'id="rule-form"')
        created = self.client.post(URL, self.form())
        rule = CallRule.objects.get()
        self.assertRedirects(created, f"{URL}#rule-{rule.pk}", fetch_redirect_response=False)
        self.assertEqual((rule.agency, rule.working_days, rule.status), (self.agency_a, 5, "active"))
        self.assertContains(self.client.get(URL), f'data-rule="{rule.pk}" data-status="active"')
        for action, status in (("tam-dung", "paused"), ("tiep-tuc", "active"), ("ket-thuc", "ended")):
            answer = self.client.post(f"{URL}{rule.pk}/{action}/", {"reason": f"Lý do {action}"})
            self.assertEqual(answer.status_code, 302, action)
            rule.refresh_from_db()
            self.assertEqual(rule.status, status)
        entries = AuditEntry.objects.filter(action__startswith="indicator_call_rule.").order_by("pk")
        self.assertEqual([e.actor for e in entries], [self.operator] * 4)
        self.assertEqual(entries.last().changes["reason"], "Lý do ket-thuc")
        refused = self.client.post(f"{URL}{rule.pk}/tam-dung/", {"reason": ""})  # an ended rule stays ended
        self.assertContains(refused, 'id="rule-errors"', status_code=400)
        self.assertEqual(self.client.post(f"{URL}{rule.pk}/xoa/", {}).status_code, 404)
        self.assertEqual(self.client.post(f"{URL}999999/tam-dung/", {}).status_code, 404)

    def test_each_kind_of_bad_input_is_a_form_error_and_writes_nothing(self):
        self.sign_in(self.client, self.operator)
        self.client.post(URL, self.form())
        for extra, field in [
            ({"period_type": "week"}, "period_type"),
            ({"agency": "khong-co-co-quan-nay"}, "agency"),
            ({}, "indicator"),  # the live rule above
            ({"agency": self.agency_b.code, "first_period": "2026Q3"}, "first_period"),
            ({"agency": self.agency_b.code, "working_days": "0"}, "working_days"),
        ]:
            with self.subTest(extra=extra):
                answer = self.client.post(URL, self.form(**extra))
                self.assertContains(answer, f'data-field="{field}"', status_code=400)
        self.assertEqual(CallRule.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="indicator_call_rule.create").count(), 1)

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, self.form()).status_code, 403)
        self.assertFalse(CallRule.objects.exists())
