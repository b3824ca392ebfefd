"""Issue 8: the agency pages of the "Quản trị" section, as the administrator and as refused roles."""

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency, AgencyActRole
from ioc.agencies.services import agency_act_role_add
from ioc.audit.models import AuditEntry
from ioc.common.testing import page_queries
from ioc.geo.testing import HUNG_YEN_COMMUNES

LIST = reverse("agencies:config_list")
NEW = reverse("agencies:config_create")


def _fields(**overrides):
    fields = {"code": "so-xay-dung", "name": "Sở Xây dựng", "kind": "department", "role": "", "source": ""}
    fields.update(overrides)
    return fields


class AgencyPagesTest(Personas, TestCase):
    def test_the_administrator_lists_agencies_with_retired_ones_apart(self):
        gone = Agency.objects.create(code="cfg-gone", name="Cơ quan đã giải thể", is_active=False)
        agency_act_role_add(actor=self.admin, agency=self.agency_a, role="processing", source="002:8.1")
        self.sign_in(self.client, self.admin)
        page = self.client.get(LIST).content.decode()
        active_part, retired_part = page.split('id="retired-agencies"')
        self.assertIn("002:8.1", active_part)
        self.assertIn(gone.name, retired_part)
        self.assertNotIn(gone.name, active_part)

    def test_the_administrator_adds_an_agency_with_its_role_and_article(self):
        self.sign_in(self.client, self.admin)
        fields = _fields(role="processing", source="002:14.5a", unit=HUNG_YEN_COMMUNES[0], parent=self.agency_a.pk)
        response = self.client.post(NEW, fields)
        agency = Agency.objects.get(code="so-xay-dung")
        self.assertRedirects(response, reverse("agencies:config_edit", args=[agency.pk]))
        self.assertEqual((agency.parent, agency.unit.code), (self.agency_a, HUNG_YEN_COMMUNES[0]))
        self.assertEqual(AgencyActRole.objects.get(agency=agency).source, "002:14.5a")
        actions = set(AuditEntry.objects.filter(actor=self.admin).values_list("action", flat=True))
        self.assertLessEqual({"agency.create", "agency.act_role_add"}, actions)

    def test_a_role_without_its_article_is_a_field_error_and_nothing_is_written(self):
        self.sign_in(self.client, self.admin)
        before = (Agency.objects.count(), AuditEntry.objects.count())
        cases = [
            (_fields(role="processing"), "source", "điều khoản căn cứ"),
            (_fields(role="processing", source="điều 8"), "source", "Căn cứ phải là điều khoản"),
            (_fields(code=self.agency_a.code), "code", "Mã đã được dùng"),
            (_fields(unit="99999"), "unit", "Không có đơn vị hành chính"),
            (_fields(unit="legacy:" + HUNG_YEN_COMMUNES[0]), "unit", ""),
        ]
        for fields, field, reason in cases:
            with self.subTest(field=field, fields=fields):
                response = self.client.post(NEW, fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual((Agency.objects.count(), AuditEntry.objects.count()), before)

    def test_the_administrator_edits_cites_withdraws_and_retires(self):
        self.sign_in(self.client, self.admin)
        edit = reverse("agencies:config_edit", args=[self.agency_a.pk])
        fields = {"name": "Sở Thử nghiệm A mới", "kind": "department", "works_24x7": "on"}
        self.assertRedirects(self.client.post(edit, fields), edit)
        self.agency_a.refresh_from_db()
        self.assertEqual((self.agency_a.name, self.agency_a.works_24x7), ("Sở Thử nghiệm A mới", True))
        add_role = reverse("agencies:config_role_add", args=[self.agency_a.pk])
        response = self.client.post(add_role, {"role": "owner", "source": ""})
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.context["role_form"].errors)
        self.assertRedirects(self.client.post(add_role, {"role": "owner", "source": "002:3"}), edit)
        remove = reverse("agencies:config_role_remove", args=[self.agency_a.pk, "owner"])
        self.assertRedirects(self.client.post(remove), edit)
        self.assertFalse(AgencyActRole.objects.filter(agency=self.agency_a).exists())
        retire = reverse("agencies:config_retire", args=[self.agency_b.pk])
        self.assertRedirects(self.client.post(retire, {"is_active": "0"}), LIST)
        self.agency_b.refresh_from_db()
        self.assertFalse(self.agency_b.is_active)
        entry = AuditEntry.objects.filter(action="agency.update", object_id=str(self.agency_b.pk)).latest("pk")
        self.assertEqual((entry.actor, entry.changes["is_active"]), (self.admin, [True, False]))

    def test_a_parent_loop_is_a_field_error(self):
        child = Agency.objects.create(code="cfg-child", name="Phòng con", parent=self.agency_a)
        self.sign_in(self.client, self.admin)
        edit = reverse("agencies:config_edit", args=[self.agency_a.pk])
        response = self.client.post(edit, {"name": self.agency_a.name, "kind": "other", "parent": child.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("parent", response.context["form"].errors)
        self.agency_a.refresh_from_db()
        self.assertIsNone(self.agency_a.parent)

    def test_the_leader_and_an_officer_are_refused(self):
        for person in (self.leader, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(LIST).status_code, 403)
                self.assertEqual(self.client.post(NEW, _fields()).status_code, 403)
                retire = reverse("agencies:config_retire", args=[self.agency_b.pk])
                self.assertEqual(self.client.post(retire, {"is_active": "0"}).status_code, 403)
        self.assertFalse(Agency.objects.filter(code="so-xay-dung").exists())
        self.agency_b.refresh_from_db()
        self.assertTrue(self.agency_b.is_active)

    def test_the_list_query_count_does_not_grow_with_agencies(self):
        self.sign_in(self.client, self.admin)
        page_queries(self.client, LIST)  # warm the per-process caches
        before = page_queries(self.client, LIST)
        for n in range(4):
            agency = Agency.objects.create(code=f"cfg-n{n}", name=f"Cơ quan {n}", parent=self.agency_a)
            agency_act_role_add(actor=self.admin, agency=agency, role="processing", source="demo")
        self.assertEqual(page_queries(self.client, LIST), before)
