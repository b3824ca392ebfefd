"""R5.3 ("Quản trị"): the procedures' configuration page — the IOC saves a version (audited, naming the actor),
a refused persona gets 403 and writes nothing, each kind of bad input is a form error naming the field."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.dossiers.models import Procedure, ProcedureVersion

URL = reverse("dossiers_config:procedures")
GOOD = {
    "code": "2.000123",
    "name": "Đăng ký hộ kinh doanh",
    "field": "Đăng ký kinh doanh",
    "effective_from": "2025-07-01",
    "limit_days": "3",
    "fee": "100000",
    "documents": "Giấy đề nghị\nBản sao CCCD",
    "steps": "tiep-nhan | Tiếp nhận | 0.5\nxu-ly | Xử lý | 2\ntra | Trả kết quả | 0,5",
    "stop_clock_on_supplement": "on",
}


class ProcedureConfigTests(Personas, TestCase):
    def test_the_leader_saves_a_version(self):
        self.sign_in(self.client, self.leader)
        self.assertEqual(self.client.get(URL).status_code, 200)
        response = self.client.post(URL, GOOD)
        self.assertEqual(response.status_code, 302)
        version = ProcedureVersion.objects.get(procedure__code="2.000123")
        self.assertEqual([s.code for s in version.steps.all()], ["tiep-nhan", "xu-ly", "tra"])
        self.assertEqual(version.documents, ["Giấy đề nghị", "Bản sao CCCD"])
        self.assertEqual(AuditEntry.objects.get(action="procedure_version.set").actor, self.leader)

    def test_a_refused_persona_writes_nothing(self):
        for person in (self.officer_a, self.operator):
            self.sign_in(self.client, person)
            self.assertEqual(self.client.post(URL, GOOD).status_code, 403)
        self.assertFalse(Procedure.objects.exists())

    def test_bad_input_names_the_field(self):
        self.sign_in(self.client, self.admin)
        cases = {
            "steps": {**GOOD, "steps": "chi-mot-cot"},
            "limit_days": {**GOOD, "limit_days": "0"},
            "effective_from": {**GOOD, "effective_from": "hôm qua"},
        }
        for field, data in cases.items():
            response = self.client.post(URL, data)
            self.assertContains(response, f'data-field="{field}"', status_code=400)
        over = {**GOOD, "steps": "a | A | 2\nb | B | 2"}  # 4 days of steps in a 3-day limit: the service's check
        self.assertContains(self.client.post(URL, over), 'data-field="steps"', status_code=400)
        self.assertFalse(Procedure.objects.exists())
        self.client.post(URL, GOOD)
        self.assertContains(self.client.post(URL, GOOD), 'data-field="effective_from"', status_code=400)
        self.assertEqual(ProcedureVersion.objects.count(), 1)
