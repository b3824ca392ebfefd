"""Issue 8: the escalation-chain pages of the "Quản trị" section, as the allowed roles and as refused ones."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ioc.assignments.models import EscalationChain
from ioc.assignments.services import StepSpec, escalation_chain_remove, escalation_chain_set
from ioc.assignments.tests.support import PROCESS, WorkCase
from ioc.audit.models import AuditEntry
from ioc.common.testing import page_queries

LIST = reverse("assignments_config:chain_list")
NEW = reverse("assignments_config:chain_create")


def _fields(**overrides):
    fields = {
        "process": "citizen_reports",
        "category_code": "cfg-lights",
        "name": "Chuỗi đèn chiếu sáng",
        "step_1_share": "0.8",
        "step_1_role": "agency_officer",
        "step_2_share": "1.0",
        "step_2_role": "agency_head",
        "step_3_share": "1.5",
        "step_3_role": "ioc_leader",
        "step_3_urgent": "on",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


class ChainPagesTest(WorkCase):
    def test_the_administrator_lists_the_chains(self):
        self.sign_in(self.client, self.admin)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        default = EscalationChain.objects.get(process="citizen_reports", category_code="")
        self.assertContains(response, reverse("assignments_config:chain_edit", args=[default.pk]))

    def test_the_leader_adds_a_chain_and_the_audit_names_them(self):
        self.sign_in(self.client, self.leader)
        response = self.client.post(NEW, _fields())
        chain = EscalationChain.objects.get(process="citizen_reports", category_code="cfg-lights")
        self.assertRedirects(response, reverse("assignments_config:chain_edit", args=[chain.pk]))
        steps = list(chain.steps.values_list("order", "at_share", "role", "urgent"))
        self.assertEqual(
            steps, [(1, 0.8, "agency_officer", False), (2, 1.0, "agency_head", False), (3, 1.5, "ioc_leader", True)]
        )
        entry = AuditEntry.objects.filter(action="escalation_chain.set").latest("pk")
        self.assertEqual(entry.actor, self.leader)

    def test_the_administrator_edits_the_steps_but_not_the_process(self):
        chain = escalation_chain_set(
            actor=self.admin,
            process="citizen_reports",
            category_code="cfg-lights",
            name="Cũ",
            steps=[StepSpec(1.0, "agency_head")],
        )
        self.sign_in(self.client, self.admin)
        edit = reverse("assignments_config:chain_edit", args=[chain.pk])
        self.assertContains(self.client.get(edit), "Cũ")
        response = self.client.post(edit, _fields(process=PROCESS, category_code="other", name="Mới"))
        self.assertRedirects(response, edit)
        chain.refresh_from_db()
        self.assertEqual((chain.process, chain.category_code, chain.name), ("citizen_reports", "cfg-lights", "Mới"))
        self.assertEqual(chain.steps.count(), 3)

    def test_a_loop_or_no_first_tier_is_a_field_error_and_nothing_is_written(self):
        self.sign_in(self.client, self.admin)
        before = (EscalationChain.objects.count(), AuditEntry.objects.count())
        no_steps = {f"step_{n}_{part}": None for n in (1, 2, 3) for part in ("share", "role", "urgent")}
        cases = [
            (_fields(step_3_role="agency_officer"), "step_3_role", "Vòng lặp"),
            (_fields(**no_steps), "step_1_role", "bước thứ nhất"),
            (_fields(step_2_share="0.5"), None, "tỷ lệ phải tăng dần"),
            (_fields(step_2_share=None), "step_2_share", "Cần tỷ lệ"),
            (_fields(process="unknown"), "process", "Quy trình không có"),
        ]
        for fields, field, reason in cases:
            with self.subTest(reason=reason):
                response = self.client.post(NEW, fields)
                self.assertEqual(response.status_code, 400)
                form = response.context["form"]
                self.assertIn(field or "__all__", form.errors)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual((EscalationChain.objects.count(), AuditEntry.objects.count()), before)

    def test_the_administrator_retires_an_unused_chain_but_not_one_work_followed(self):
        head = [StepSpec(1.0, "agency_head")]
        unused = escalation_chain_set(actor=self.admin, process=PROCESS, category_code="x", name="Mới", steps=head)
        used = escalation_chain_set(actor=self.admin, process=PROCESS, category_code="", name="Đã dùng", steps=head)
        self.forward()
        self.sign_in(self.client, self.admin)
        self.assertRedirects(self.client.post(reverse("assignments_config:chain_remove", args=[unused.pk])), LIST)
        self.assertFalse(EscalationChain.objects.filter(pk=unused.pk).exists())
        self.assertEqual(AuditEntry.objects.filter(action="escalation_chain.remove").get().actor, self.admin)
        response = self.client.post(reverse("assignments_config:chain_remove", args=[used.pk]), follow=True)
        self.assertContains(response, "hãy sửa các bước")
        self.assertTrue(EscalationChain.objects.filter(pk=used.pk).exists())

    def test_an_operator_and_an_officer_are_refused(self):
        default = EscalationChain.objects.get(process="citizen_reports", category_code="")
        for person in (self.operator, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(LIST).status_code, 403)
                self.assertEqual(self.client.post(NEW, _fields()).status_code, 403)
                remove = reverse("assignments_config:chain_remove", args=[default.pk])
                self.assertEqual(self.client.post(remove).status_code, 403)
        self.assertTrue(EscalationChain.objects.filter(pk=default.pk).exists())
        self.assertFalse(EscalationChain.objects.filter(category_code="cfg-lights").exists())


class ChainRemoveServiceTest(WorkCase):
    def test_it_refuses_an_operator_and_writes_nothing(self):
        chain = EscalationChain.objects.get(process="citizen_reports", category_code="")
        before = AuditEntry.objects.count()
        with self.assertRaises(PermissionDenied):
            escalation_chain_remove(actor=self.operator, chain=chain)
        self.assertTrue(EscalationChain.objects.filter(pk=chain.pk).exists())
        self.assertEqual(AuditEntry.objects.count(), before)


class ChainListQueriesTest(WorkCase):
    def test_the_list_query_count_does_not_grow_with_chains(self):
        self.sign_in(self.client, self.admin)
        page_queries(self.client, LIST)  # warm the per-process caches
        before = page_queries(self.client, LIST)
        for n in range(4):
            steps = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head")]
            escalation_chain_set(actor=self.admin, process=PROCESS, category_code=f"c{n}", name=f"C{n}", steps=steps)
        self.assertEqual(page_queries(self.client, LIST), before)
