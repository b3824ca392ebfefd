"""R10.4: the allowance rules page under "Quản trị" — the IOC leader saves (audited), an operator is refused (403),
an agency officer outside the managing body only reads, an allowance of another act is a form error."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.operations.models import AllowanceRule
from ioc.operations.testing import allowance_rules_make
from ioc.regulation import selectors as regulation

URL = "/quan-tri/van-hanh/phu-cap/"


class RulesPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        allowance_rules_make(actor=cls.system_account, leader=cls.leader)

    def test_the_leader_saves_and_the_entry_names_the_actor(self):
        self.sign_in(self.client, self.leader)
        center = regulation.allowances().get(code="truc-tiep")
        page = self.client.post(URL, {"proration": "none", "center": center.pk, "elsewhere": ""})
        self.assertRedirects(page, URL)
        self.assertIsNone(AllowanceRule.objects.get(work_place="elsewhere").allowance)
        self.assertEqual(AllowanceRule.objects.get(work_place="center").proration, "none")
        self.assertTrue(AuditEntry.objects.filter(action="allowance_rule.set", actor=self.leader).exists())

    def test_bad_input_is_a_form_error_and_writes_nothing(self):
        self.sign_in(self.client, self.leader)
        page = self.client.post(URL, {"proration": "weekly", "center": "999999"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, 'data-field="proration"', status_code=400)
        self.assertEqual(AllowanceRule.objects.get(work_place="center").proration, "by_days")

    def test_an_operator_is_refused_and_an_officer_only_reads(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(URL).status_code, 200)
        self.client.post(URL, {"proration": "none"})
        self.assertEqual(AllowanceRule.objects.get(work_place="center").proration, "by_days")
