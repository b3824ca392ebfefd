"""R3.2, R3.3: categories and routing rules, through services, and the routing they drive."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, RoutingRule
from ioc.citizen_reports.tests.test_core_support import COMMUNE, OTHER_COMMUNE, CoreMixin, unit


class CategoryTest(CoreMixin, TestCase):
    def test_it_creates_and_updates_a_category_with_audit_entries(self):
        category = services.category_create(actor=self.leader, code="core-trees", name="Cây xanh", handling_hours=8)
        services.category_update(category=category, actor=self.leader, handling_hours=24, requires_leader_approval=True)
        category.refresh_from_db()
        self.assertEqual((category.handling_hours, category.requires_leader_approval), (24, True))
        entry = AuditEntry.objects.filter(action="category.update").latest("pk")
        self.assertEqual(entry.changes["handling_hours"], [8, 24])

    def test_it_refuses_bad_categories_and_writes_nothing(self):
        before = Category.objects.count()
        for fields in [
            {"code": "core-road", "name": "Trùng mã"},
            {"code": "bad code!", "name": "Mã sai"},
            {"code": "core-x", "name": ""},
            {"code": "core-y", "name": "Giờ âm", "handling_hours": -1},
            {"code": "core-z", "name": "Trường lạ", "owner": "x"},
        ]:
            with self.subTest(fields=fields), self.assertRaises(ValidationError):
                services.category_create(actor=self.leader, **fields)
        self.assertEqual(Category.objects.count(), before)
        with self.assertRaises(ValidationError):
            services.category_update(category=self.road, actor=self.leader, code="new-code")

    def test_it_refuses_configuration_by_an_agency_officer(self):
        with self.assertRaises(PermissionDenied):
            services.category_create(actor=self.officer_a, code="core-no", name="Không được")
        with self.assertRaises(PermissionDenied):
            services.routing_rule_set(category=self.road, unit=None, agency=self.agency_b, actor=self.officer_a)


class RoutingTest(CoreMixin, TestCase):
    def test_it_routes_by_commune_then_territory_then_category_default(self):
        agency_c = Agency.objects.create(code="core-agency-c", name="UBND xã C")
        services.routing_rule_set(category=self.road, unit=unit(COMMUNE), agency=agency_c, actor=self.leader)
        here = self.receive().report
        elsewhere = self.receive(code=OTHER_COMMUNE).report
        self.assertEqual(services.route(here), agency_c)
        self.assertEqual(services.route(elsewhere), self.agency_a)
        services.routing_rule_set(category=self.road, unit=None, agency=self.agency_b, actor=self.leader)
        self.assertEqual(services.route(elsewhere), self.agency_b)
        self.assertEqual(services.route(here), agency_c)

    def test_it_replaces_and_removes_a_rule(self):
        services.routing_rule_set(category=self.road, unit=None, agency=self.agency_b, actor=self.leader)
        services.routing_rule_set(category=self.road, unit=None, agency=self.agency_a, actor=self.leader)
        self.assertEqual(RoutingRule.objects.get(category=self.road).agency, self.agency_a)
        self.assertIsNone(services.routing_rule_set(category=self.road, unit=None, agency=None, actor=self.leader))
        self.assertFalse(RoutingRule.objects.filter(category=self.road).exists())

    def test_it_refuses_a_rule_for_a_unit_that_is_not_a_commune(self):
        with self.assertRaises(ValidationError):
            services.routing_rule_set(category=self.road, unit=unit("33"), agency=self.agency_a, actor=self.leader)
