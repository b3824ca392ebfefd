"""Issue 8: the category pages of the "Quản trị" section, as the allowed roles and as refused ones."""

from django.test import TestCase
from django.urls import reverse

from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.tests.test_core_support import CoreMixin

LIST = reverse("citizen_reports_config:category_list")
NEW = reverse("citizen_reports_config:category_create")


def _fields(**overrides):
    fields = {
        "code": "cfg-lights",
        "name": "Đèn chiếu sáng",
        "handling_hours": "16",
        "duplicate_radius_m": "150",
        "duplicate_days": "7",
        "evidence_photo_required": "on",
    }
    fields.update(overrides)
    return fields


class CategoryPagesTest(CoreMixin, TestCase):
    def test_the_administrator_lists_active_and_retired_categories_apart(self):
        retired = Category.objects.create(code="cfg-old", name="Lĩnh vực cũ", is_active=False)
        self.sign_in(self.client, self.admin)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        active_part, retired_part = page.split('id="retired-categories"')
        self.assertIn(self.road.name, active_part)
        self.assertIn(retired.name, retired_part)
        self.assertNotIn(retired.name, active_part)

    def test_the_administrator_adds_a_category_and_the_audit_names_them(self):
        self.sign_in(self.client, self.admin)
        response = self.client.post(NEW, _fields(default_agency=str(self.agency_a.pk)))
        category = Category.objects.get(code="cfg-lights")
        self.assertRedirects(response, reverse("citizen_reports_config:category_edit", args=[category.pk]))
        self.assertEqual((category.handling_hours, category.default_agency), (16, self.agency_a))
        entry = AuditEntry.objects.filter(action="category.create", object_id=str(category.pk)).get()
        self.assertEqual(entry.actor, self.admin)

    def test_the_leader_edits_a_category(self):
        self.sign_in(self.client, self.leader)
        edit = reverse("citizen_reports_config:category_edit", args=[self.road.pk])
        self.assertContains(self.client.get(edit), self.road.code)
        fields = _fields(name="Đường giao thông", handling_hours="24")
        del fields["code"]
        self.assertEqual(self.client.post(edit, fields).status_code, 302)
        self.road.refresh_from_db()
        self.assertEqual((self.road.name, self.road.handling_hours), ("Đường giao thông", 24))
        entry = AuditEntry.objects.filter(action="category.update").latest("pk")
        self.assertEqual(entry.actor, self.leader)

    def test_the_administrator_retires_and_resumes_a_category(self):
        self.sign_in(self.client, self.admin)
        url = reverse("citizen_reports_config:category_retire", args=[self.road.pk])
        self.assertRedirects(self.client.post(url, {"is_active": "0"}), LIST)
        self.road.refresh_from_db()
        self.assertFalse(self.road.is_active)
        self.client.post(url, {"is_active": "1"})
        self.road.refresh_from_db()
        self.assertTrue(self.road.is_active)
        self.assertEqual(AuditEntry.objects.filter(action="category.update", actor=self.admin).count(), 2)

    def test_an_unknown_or_retired_agency_is_a_field_error_and_nothing_is_written(self):
        gone = Agency.objects.create(code="cfg-gone", name="Cơ quan đã giải thể", is_active=False)
        self.sign_in(self.client, self.admin)
        before = (Category.objects.count(), AuditEntry.objects.count())
        for agency in ["999999", str(gone.pk)]:
            with self.subTest(agency=agency):
                response = self.client.post(NEW, _fields(default_agency=agency))
                self.assertEqual(response.status_code, 400)
                self.assertIn("default_agency", response.context["form"].errors)
                self.assertContains(response, "Cơ quan không tồn tại hoặc đã ngừng hoạt động", status_code=400)
        self.assertEqual((Category.objects.count(), AuditEntry.objects.count()), before)

    def test_a_taken_code_and_bad_hours_are_field_errors(self):
        self.sign_in(self.client, self.admin)
        before = Category.objects.count()
        response = self.client.post(NEW, _fields(code=self.road.code))
        self.assertEqual(response.status_code, 400)
        self.assertIn("code", response.context["form"].errors)
        response = self.client.post(NEW, _fields(handling_hours="0"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("handling_hours", response.context["form"].errors)
        self.assertEqual(Category.objects.count(), before)

    def test_an_operator_and_an_officer_are_refused(self):
        for person in (self.operator, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(LIST).status_code, 403)
                self.assertEqual(self.client.post(NEW, _fields()).status_code, 403)
        self.assertFalse(Category.objects.filter(code="cfg-lights").exists())

    def test_the_list_pages_query_count_does_not_grow_with_rows(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from ioc.citizen_reports.models import RoutingRule

        self.sign_in(self.client, self.admin)

        def count(url):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(queries)

        rules = reverse("citizen_reports_config:routing_rule_list")
        count(LIST), count(rules)  # warm the per-process caches
        before = (count(LIST), count(rules))
        for n in range(5):
            category = Category.objects.create(code=f"cfg-n{n}", name=f"Lĩnh vực {n}", default_agency=self.agency_b)
            RoutingRule.objects.create(category=category, agency=self.agency_b)
        self.assertEqual((count(LIST), count(rules)), before)
