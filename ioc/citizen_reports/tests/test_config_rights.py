"""R3.2, R7.1: categories and routing rules are configured by administrators and the IOC leader (setup and demo
data act as the system account); nobody configures anonymously, an operator or an agency officer is refused and
nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import permissions, services
from ioc.citizen_reports.models import Category, RoutingRule
from ioc.geo.models import AdminUnit


class CategoryConfigRightsTest(Personas, TestCase):
    category: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.category = services.category_create(actor=cls.system_account, code="cfg-road", name="Đường hư hỏng")

    def _state(self) -> tuple[Any, ...]:
        categories = list(Category.objects.order_by("pk").values_list("code", "name", "is_active"))
        rules = list(RoutingRule.objects.order_by("pk").values_list("category_id", "unit_id", "agency_id"))
        return categories, rules, AuditEntry.objects.count()

    def _refused(self, call: Callable[..., Any], **kwargs: Any) -> None:
        for person in (self.operator, self.officer_a, self.officer_b, self.citizen, self.screen_user):
            before = self._state()
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                call(actor=person, **kwargs)
            self.assertEqual(self._state(), before)

    def test_nobody_configures_anonymously(self):
        self.assertFalse(permissions.can_configure(None))

    def test_category_create_refuses_an_officer(self):
        self._refused(services.category_create, code="cfg-new", name="Lĩnh vực mới")

    def test_category_update_refuses_an_officer(self):
        self._refused(services.category_update, category=self.category, name="Tên khác", is_active=False)

    def test_routing_rule_set_refuses_an_officer(self):
        commune = AdminUnit.objects.get(hierarchy="2025", code="11953")
        self._refused(services.routing_rule_set, category=self.category, unit=commune, agency=self.agency_a)

    def test_the_leader_an_administrator_and_the_system_account_may(self):
        services.category_update(category=self.category, actor=self.admin, name="Đường bộ hư hỏng")
        rule = services.routing_rule_set(category=self.category, unit=None, agency=self.agency_a, actor=self.leader)
        self.assertIsNotNone(rule)
        created = AuditEntry.objects.get(action="category.create", object_id=str(self.category.pk))
        self.assertEqual(created.actor_label, "he-thong")
