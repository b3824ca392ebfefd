"""Issue 8: the routing-rule page of the "Quản trị" section, as the allowed roles and as refused ones."""

from django.test import TestCase
from django.urls import reverse

from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, RoutingRule
from ioc.citizen_reports.tests.test_core_support import COMMUNE, OUTSIDE_COMMUNE, CoreMixin, unit

RULES = reverse("citizen_reports_config:routing_rule_list")


class RoutingRulePagesTest(CoreMixin, TestCase):
    def test_the_administrator_sets_a_rule_and_the_audit_names_them(self):
        self.sign_in(self.client, self.admin)
        page = self.client.get(RULES, {"category": self.road.pk})
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["form"]["category"].value(), str(self.road.pk))
        fields = {"category": self.road.pk, "unit": unit(COMMUNE).pk, "agency": self.agency_b.pk}
        self.assertRedirects(self.client.post(RULES, fields), RULES)
        rule = RoutingRule.objects.get(category=self.road, unit=unit(COMMUNE))
        self.assertEqual(rule.agency, self.agency_b)
        self.assertEqual(AuditEntry.objects.filter(action="routing_rule.set").latest("pk").actor, self.admin)
        self.assertContains(self.client.get(RULES), self.agency_b.name)

    def test_the_leader_sets_a_territory_wide_rule_and_removes_it(self):
        self.sign_in(self.client, self.leader)
        self.client.post(RULES, {"category": self.road.pk, "unit": "", "agency": self.agency_b.pk})
        rule = RoutingRule.objects.get(category=self.road, unit=None)
        remove = reverse("citizen_reports_config:routing_rule_remove", args=[rule.pk])
        self.assertRedirects(self.client.post(remove), RULES)
        self.assertFalse(RoutingRule.objects.filter(pk=rule.pk).exists())
        entry = AuditEntry.objects.filter(action="routing_rule.set").latest("pk")
        self.assertEqual((entry.actor, entry.changes["agency"]), (self.leader, [self.agency_b.code, None]))

    def test_bad_rules_are_field_errors_and_nothing_is_written(self):
        retired = Category.objects.create(code="cfg-retired", name="Đã ngừng", is_active=False)
        gone = Agency.objects.create(code="cfg-gone", name="Cơ quan đã giải thể", is_active=False)
        self.sign_in(self.client, self.admin)
        before = (RoutingRule.objects.count(), AuditEntry.objects.count())
        outside = unit(OUTSIDE_COMMUNE).pk
        cases = [
            ({"category": retired.pk, "agency": self.agency_b.pk}, "category", "Lĩnh vực không tồn tại"),
            ({"category": self.road.pk, "agency": 999999}, "agency", "Cơ quan không tồn tại"),
            ({"category": self.road.pk, "agency": gone.pk}, "agency", "Cơ quan không tồn tại"),
            ({"category": self.road.pk, "agency": self.agency_b.pk, "unit": outside}, "unit", "địa bàn"),
            ({"category": self.road.pk}, "agency", ""),
        ]
        for fields, field, reason in cases:
            with self.subTest(field=field, fields=fields):
                response = self.client.post(RULES, fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual((RoutingRule.objects.count(), AuditEntry.objects.count()), before)

    def test_an_operator_and_an_officer_are_refused(self):
        services.routing_rule_set(category=self.road, unit=None, agency=self.agency_b, actor=self.admin)
        rule = RoutingRule.objects.get(category=self.road, unit=None)
        for person in (self.operator, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(RULES).status_code, 403)
                remove = reverse("citizen_reports_config:routing_rule_remove", args=[rule.pk])
                self.assertEqual(self.client.post(remove).status_code, 403)
        self.assertTrue(RoutingRule.objects.filter(pk=rule.pk).exists())
