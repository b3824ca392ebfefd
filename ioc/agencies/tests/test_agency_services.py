"""R1.1, R7.1: agencies, their act roles and information systems are written through audited services."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.agencies.choices import ActRole, AgencyKind
from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.agencies.services import (
    agency_act_role_add,
    agency_act_role_remove,
    agency_create,
    agency_update,
    information_system_create,
)
from ioc.audit.models import AuditEntry
from ioc.geo.models import AdminUnit


class AgencyCreateTest(TestCase):
    def test_it_creates_an_agency_and_audits_it(self):
        agency = agency_create(
            actor=system_actor(), code="so-tai-chinh", name=" Sở Tài chính ", kind=AgencyKind.DEPARTMENT
        )
        self.assertEqual(agency.name, "Sở Tài chính")
        entry = AuditEntry.objects.get(action="agency.create")
        self.assertEqual(entry.object_id, str(agency.pk))
        self.assertEqual(entry.changes["code"], "so-tai-chinh")

    def test_it_binds_a_commune_committee_to_its_2025_unit(self):
        unit = AdminUnit.objects.get(hierarchy="2025", code="11953")
        agency = agency_create(
            actor=system_actor(), code="ubnd-11953", name=f"UBND {unit.name}", kind="ubnd", unit=unit
        )
        self.assertEqual(agency.unit, unit)

    def test_it_refuses_a_legacy_unit(self):
        legacy = AdminUnit.objects.filter(hierarchy="legacy").first()
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="ubnd-cu", name="UBND cũ", unit=legacy)
        self.assertIn("unit", caught.exception.message_dict)

    def test_it_refuses_a_malformed_code(self):
        for code in ("", "Sở Tài chính", "a" * 61, "-bad"):
            with self.assertRaises(ValidationError) as caught:
                agency_create(actor=system_actor(), code=code, name="Sở")
            self.assertIn("code", caught.exception.message_dict)
        self.assertFalse(Agency.objects.exists())

    def test_it_refuses_a_code_in_use(self):
        agency_create(actor=system_actor(), code="so-y-te", name="Sở Y tế")
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="so-y-te", name="Sở Y tế 2")
        self.assertIn("code", caught.exception.message_dict)

    def test_it_refuses_an_empty_name_and_an_unknown_kind(self):
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="x", name="  ")
        self.assertIn("name", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="x", name="X", kind="ministry")
        self.assertIn("kind", caught.exception.message_dict)

    def test_it_refuses_a_malformed_email_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            agency_create(actor=system_actor(), code="x", name="X", email="not-an-email")
        self.assertIn("email", caught.exception.message_dict)
        self.assertFalse(Agency.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="agency.create").exists())


class AgencyUpdateTest(TestCase):
    def setUp(self):
        self.agency = agency_create(actor=system_actor(), code="so-khcn", name="Sở KH&CN")

    def test_it_records_only_what_changed(self):
        agency_update(actor=system_actor(), agency=self.agency, name="Sở Khoa học và Công nghệ", works_24x7=False)
        entry = AuditEntry.objects.get(action="agency.update")
        self.assertEqual(entry.changes, {"name": ["Sở KH&CN", "Sở Khoa học và Công nghệ"]})
        self.agency.refresh_from_db()
        self.assertEqual(self.agency.search_folded, "so khoa hoc va cong nghe  so-khcn".replace("  ", " "))

    def test_it_writes_nothing_when_nothing_changes(self):
        agency_update(actor=system_actor(), agency=self.agency, name="Sở KH&CN")
        self.assertFalse(AuditEntry.objects.filter(action="agency.update").exists())

    def test_it_refuses_a_field_that_cannot_change(self):
        with self.assertRaises(ValidationError) as caught:
            agency_update(actor=system_actor(), agency=self.agency, code="khac")
        self.assertIn("code", caught.exception.message_dict)

    def test_it_refuses_a_parent_that_makes_a_cycle(self):
        child = agency_create(actor=system_actor(), code="trung-tam", name="Trung tâm", parent=self.agency)
        with self.assertRaises(ValidationError) as caught:
            agency_update(actor=system_actor(), agency=self.agency, parent=child)
        self.assertIn("parent", caught.exception.message_dict)
        self.agency.refresh_from_db()
        self.assertIsNone(self.agency.parent)


class ActRoleTest(TestCase):
    def setUp(self):
        self.agency = agency_create(actor=system_actor(), code="ubnd-tinh", name="UBND tỉnh", kind="ubnd")

    def test_it_adds_a_role_citing_the_article(self):
        act_role = agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:8.1")
        self.assertEqual((act_role.role, act_role.source), ("owner", "002:8.1"))
        self.assertTrue(AuditEntry.objects.filter(action="agency.act_role_add").exists())

    def test_it_accepts_demo_as_the_source_of_what_the_act_does_not_name(self):
        act_role = agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.PROCESSING, source="demo")
        self.assertEqual(act_role.source, "demo")

    def test_it_is_idempotent_for_the_same_citation(self):
        agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:8.1")
        agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:8.1")
        self.assertEqual(AgencyActRole.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="agency.act_role_add").count(), 1)

    def test_it_refuses_another_citation_for_a_role_it_has(self):
        agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:8.1")
        with self.assertRaises(ValidationError) as caught:
            agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:9.1")
        self.assertIn("role", caught.exception.message_dict)

    def test_it_refuses_a_source_that_cites_nothing(self):
        for source in ("", "8.1", "điều 8", "002-8.1", "demo2"):
            with self.assertRaises(ValidationError) as caught:
                agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source=source)
            self.assertIn("source", caught.exception.message_dict)
        self.assertFalse(AgencyActRole.objects.exists())

    def test_it_refuses_an_unknown_role(self):
        with self.assertRaises(ValidationError) as caught:
            agency_act_role_add(actor=system_actor(), agency=self.agency, role="sponsor", source="002:8.1")
        self.assertIn("role", caught.exception.message_dict)

    def test_it_removes_a_role(self):
        agency_act_role_add(actor=system_actor(), agency=self.agency, role=ActRole.OWNER, source="002:8.1")
        agency_act_role_remove(actor=system_actor(), agency=self.agency, role=ActRole.OWNER)
        self.assertFalse(AgencyActRole.objects.exists())
        with self.assertRaises(ValidationError):
            agency_act_role_remove(actor=system_actor(), agency=self.agency, role=ActRole.OWNER)


class InformationSystemTest(TestCase):
    def setUp(self):
        self.agency = agency_create(actor=system_actor(), code="so-tai-chinh", name="Sở Tài chính")

    def test_it_creates_a_system_of_an_agency(self):
        system = information_system_create(
            actor=system_actor(), agency=self.agency, code="qlns", name="Quản lý ngân sách"
        )
        self.assertEqual(system.agency, self.agency)
        self.assertIsNone(system.service_user)
        self.assertTrue(AuditEntry.objects.filter(action="information_system.create").exists())

    def test_it_refuses_a_taken_code_and_an_inactive_agency(self):
        information_system_create(actor=system_actor(), agency=self.agency, code="qlns", name="A")
        with self.assertRaises(ValidationError) as caught:
            information_system_create(actor=system_actor(), agency=self.agency, code="qlns", name="B")
        self.assertIn("code", caught.exception.message_dict)
        agency_update(actor=system_actor(), agency=self.agency, is_active=False)
        self.agency.refresh_from_db()
        with self.assertRaises(ValidationError) as caught:
            information_system_create(actor=system_actor(), agency=self.agency, code="khac", name="C")
        self.assertIn("agency", caught.exception.message_dict)
        self.assertEqual(InformationSystem.objects.count(), 1)
