"""R1.1: the agencies list (page for staff, GET /api/v1/agencies/ for any account) with locked query counts."""

from django.test import Client, TestCase

from ioc.accounts.testing import Personas, sign_in, system_actor
from ioc.agencies.choices import ActRole
from ioc.agencies.services import agency_act_role_add, agency_create, information_system_create


def _agencies(n: int, prefix: str = "so") -> None:
    for i in range(n):
        agency = agency_create(actor=system_actor(), code=f"{prefix}-{i}", name=f"Sở Thử {i}", kind="department")
        agency_act_role_add(actor=system_actor(), agency=agency, role=ActRole.PROCESSING, source="demo")
        information_system_create(actor=system_actor(), agency=agency, code=f"{prefix}-ht-{i}", name=f"Hệ thống {i}")


class AgencyApiTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office = agency_create(actor=system_actor(), code="vp-ubnd", name="Văn phòng UBND tỉnh", kind="office")
        agency_act_role_add(actor=system_actor(), agency=cls.office, role=ActRole.MANAGING, source="002:8.1")

    def test_it_refuses_an_anonymous_caller_with_the_shared_error_body(self):
        response = Client().get("/api/v1/agencies/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "not_authenticated")

    def test_it_lists_agencies_with_their_act_roles_for_a_token(self):
        response = Client().get("/api/v1/agencies/", **self.bearer())
        self.assertEqual(response.status_code, 200)
        rows = {row["code"]: row for row in response.json()["results"]}
        self.assertEqual(rows["vp-ubnd"]["act_roles"], [{"role": "managing", "source": "002:8.1"}])
        self.assertEqual(rows["vp-ubnd"]["kind"], "office")

    def test_it_filters_by_role_and_searches_without_diacritics(self):
        client = Client()
        sign_in(client, self.officer_a)
        codes = [r["code"] for r in client.get("/api/v1/agencies/?role=managing").json()["results"]]
        self.assertEqual(codes, ["vp-ubnd"])
        codes = [r["code"] for r in client.get("/api/v1/agencies/?q=van phong ubnd").json()["results"]]
        self.assertEqual(codes, ["vp-ubnd"])

    def test_it_names_the_field_of_an_unknown_role(self):
        response = Client().get("/api/v1/agencies/?role=sponsor", **self.bearer())
        self.assertEqual(response.status_code, 400)
        self.assertIn("role", response.json()["error"]["fields"])

    def test_it_keeps_the_query_count_flat(self):
        client = Client()
        sign_in(client, self.officer_a)
        client.get("/api/v1/agencies/")
        _agencies(3)
        with self.assertNumQueries(7):
            client.get("/api/v1/agencies/")
        _agencies(10, prefix="them")
        with self.assertNumQueries(7):
            response = client.get("/api/v1/agencies/")
        self.assertEqual(response.json()["count"], 16)


class AgencyPageTest(Personas, TestCase):
    def test_it_lists_agencies_with_their_citations_for_staff(self):
        agency = agency_create(actor=system_actor(), code="cong-an-tinh", name="Công an tỉnh", kind="police")
        agency_act_role_add(actor=system_actor(), agency=agency, role=ActRole.COORDINATING, source="002:14.2")
        sign_in(self.client, self.operator)
        page = self.client.get("/co-quan/").content.decode()
        self.assertIn("Công an tỉnh", page)
        self.assertIn("(002:14.2)", page)

    def test_it_searches_without_diacritics(self):
        agency_create(actor=system_actor(), code="so-tai-chinh", name="Sở Tài chính", kind="department")
        sign_in(self.client, self.operator)
        page = self.client.get("/co-quan/?q=tai chinh").content.decode()
        self.assertIn("Sở Tài chính", page)
        self.assertNotIn("Sở Thử nghiệm A", page)

    def test_it_ignores_an_unknown_role_filter(self):
        sign_in(self.client, self.operator)
        self.assertEqual(self.client.get("/co-quan/?role=sponsor&page=abc").status_code, 200)

    def test_it_refuses_a_citizen(self):
        sign_in(self.client, self.citizen)
        self.assertEqual(self.client.get("/co-quan/").status_code, 403)

    def test_it_keeps_the_query_count_flat(self):
        sign_in(self.client, self.operator)
        self.client.get("/co-quan/")
        _agencies(3)
        with self.assertNumQueries(8):
            self.client.get("/co-quan/")
        _agencies(10, prefix="them")
        with self.assertNumQueries(8):
            self.client.get("/co-quan/")
