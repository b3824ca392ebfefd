"""R7.1: the catalogue of agencies and information systems is changed only by a system administrator (or the
system account acting for setup); anyone else is refused and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.agencies.choices import ActRole
from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.agencies.services import (
    agency_act_role_add,
    agency_act_role_remove,
    agency_create,
    agency_update,
    information_system_create,
)
from ioc.audit.models import AuditEntry


class AgencyConfigRightsTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        agency_act_role_add(actor=cls.admin, agency=cls.agency_a, role=ActRole.PROCESSING, source="002:8.1")

    def _state(self) -> tuple[Any, ...]:
        agencies = list(Agency.objects.order_by("pk").values_list("code", "name", "is_active"))
        roles = list(AgencyActRole.objects.order_by("pk").values_list("agency_id", "role", "source"))
        systems = list(InformationSystem.objects.order_by("pk").values_list("code", flat=True))
        return agencies, roles, systems, AuditEntry.objects.count()

    def _refused(self, call: Callable[..., Any], **kwargs: Any) -> None:
        for person in (self.officer_a, self.operator, self.leader, self.citizen):
            before = self._state()
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied) as caught:
                call(actor=person, **kwargs)
            self.assertIn("quản trị hệ thống", str(caught.exception))
            self.assertEqual(self._state(), before)

    def test_agency_create_refuses_non_administrators(self):
        self._refused(agency_create, code="so-moi", name="Sở Mới")

    def test_agency_update_refuses_non_administrators(self):
        self._refused(agency_update, agency=self.agency_a, name="Tên khác", is_active=False)

    def test_agency_act_role_add_refuses_non_administrators(self):
        self._refused(agency_act_role_add, agency=self.agency_a, role=ActRole.OWNER, source="002:9.1")

    def test_agency_act_role_remove_refuses_non_administrators(self):
        self._refused(agency_act_role_remove, agency=self.agency_a, role=ActRole.PROCESSING)

    def test_information_system_create_refuses_non_administrators(self):
        self._refused(information_system_create, agency=self.agency_a, code="ht-moi", name="Hệ thống mới")

    def test_an_administrator_and_the_system_account_may(self):
        agency = agency_create(actor=self.admin, code="so-moi", name="Sở Mới")
        agency_update(actor=self.system_account, agency=agency, name="Sở Mới Hơn")
        entries = AuditEntry.objects.filter(object_id=str(agency.pk), action__startswith="agency.")
        self.assertEqual(
            sorted(entries.values_list("action", "actor_label")),
            [("agency.create", self.admin.username), ("agency.update", "he-thong")],
        )
