"""Escalation chains are data: the default chain of citizen reports, and `escalation_chain_set` (R3.3, R4.5)."""

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from ioc.assignments.migration_ops import default_chain_create
from ioc.assignments.models import EscalationChain, EscalationStep
from ioc.assignments.services import StepSpec, escalation_chain_set
from ioc.assignments.tests.support import WorkCase
from ioc.audit.models import AuditEntry

migration = importlib.import_module("ioc.assignments.migrations.0003_default_citizen_reports_chain")
# Every process's default chain is written by the one helper `assignments.migration_ops.default_chain_create`.
DEFAULT_CHAIN_MIGRATIONS = (
    "ioc.assignments.migrations.0003_default_citizen_reports_chain",
    "ioc.incidents.migrations.0002_default_incidents_chain",
    "ioc.dossiers.migrations.0003_default_dossiers_chain",
    "ioc.cybersecurity.migrations.0003_default_vulnerability_chain",
)


class DefaultChainTest(WorkCase):
    def test_it_creates_the_default_chain_of_citizen_reports(self):
        EscalationChain.objects.filter(process="citizen_reports").delete()
        migration.create_default_chain(apps, None)
        chain = EscalationChain.objects.get(process="citizen_reports", category_code="")
        steps = list(chain.steps.values_list("order", "at_share", "role", "urgent"))
        self.assertEqual(
            steps, [(1, 0.8, "agency_officer", False), (2, 1.0, "agency_head", False), (3, 1.5, "ioc_leader", True)]
        )

    def test_it_leaves_an_administrators_chain_alone_when_run_again(self):
        escalation_chain_set(
            actor=self.leader,
            process="citizen_reports",
            category_code="",
            name="Riêng",
            steps=[StepSpec(1.0, "ioc_leader")],
        )
        migration.create_default_chain(apps, None)
        chain = EscalationChain.objects.get(process="citizen_reports", category_code="")
        self.assertEqual((chain.name, chain.steps.count()), ("Riêng", 1))


class DefaultChainsOfEveryProcessTest(WorkCase):
    def test_each_migration_writes_its_process_chain_once_through_the_helper(self):
        for name in DEFAULT_CHAIN_MIGRATIONS:
            module = importlib.import_module(name)
            with self.subTest(process=module.PROCESS):
                EscalationChain.objects.filter(process=module.PROCESS).delete()
                module.create_default_chain(apps, None)
                module.create_default_chain(apps, None)
                chain = EscalationChain.objects.get(process=module.PROCESS, category_code="")
                self.assertEqual(chain.name, module.NAME)
                self.assertEqual(
                    list(chain.steps.order_by("order").values_list("order", "at_share", "role", "urgent")),
                    list(module.STEPS),
                )
                self.assertIs(module.default_chain_create, default_chain_create)

    def test_the_helper_reports_whether_it_created_the_chain(self):
        EscalationChain.objects.filter(process="test").delete()
        steps = [(1, 1.0, "ioc_leader", True)]
        self.assertTrue(default_chain_create(apps, process="test", name="Thử", steps=steps))
        self.assertFalse(default_chain_create(apps, process="test", name="Khác", steps=[]))
        self.assertEqual(EscalationStep.objects.filter(chain__process="test").count(), 1)


class ChainSetTest(WorkCase):
    def test_it_replaces_the_steps_and_audits_before_and_after(self):
        escalation_chain_set(
            actor=self.leader, process="test", category_code="road", name="Đường", steps=[StepSpec(1.0, "agency_head")]
        )
        chain = escalation_chain_set(
            actor=self.admin,
            process="test",
            category_code="road",
            name="Đường bộ",
            steps=[StepSpec(0.5, "agency_officer"), StepSpec(2, "province_leader", urgent=True)],
        )
        self.assertEqual(
            list(chain.steps.values_list("order", "at_share", "role", "urgent")),
            [(1, 0.5, "agency_officer", False), (2, 2.0, "province_leader", True)],
        )
        entry = AuditEntry.objects.filter(action="escalation_chain.set").order_by("-pk").first()
        self.assertEqual(entry.changes["before"], [[1, 1.0, "agency_head", False]])
        self.assertEqual(len(entry.changes["after"]), 2)

    def test_it_refuses_bad_steps_and_writes_nothing(self):
        cases = {
            "steps": [StepSpec(1.0, "agency_head"), StepSpec(0.9, "ioc_leader")],  # not increasing
            "steps ": [StepSpec(0, "agency_head")],
            "steps  ": [StepSpec(1.0, "citizen")],
            "process": "bad process!",
            "name": "<b>x</b>",
        }
        for key, value in cases.items():
            kwargs = {"process": "test", "category_code": "", "name": "Chuỗi", "steps": [StepSpec(1.0, "agency_head")]}
            field = key.strip()
            kwargs[field] = value
            with self.subTest(case=key), self.assertRaises(ValidationError) as caught:
                escalation_chain_set(actor=self.leader, **kwargs)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(EscalationChain.objects.filter(process="test").exists())
        self.assertFalse(EscalationStep.objects.filter(chain__process="test").exists())

    def test_it_refuses_actors_other_than_the_ioc_leader_or_an_administrator(self):
        for actor in (self.operator, self.officer_a):
            with self.assertRaises(PermissionDenied):
                escalation_chain_set(actor=actor, process="test", category_code="", name="x", steps=[])
        self.assertFalse(EscalationChain.objects.filter(process="test").exists())
