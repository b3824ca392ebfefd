"""R7.1: every role has a home page that renders real figures or an honest empty state."""

import datetime as dt

from django.test import Client, TestCase

from ioc.accounts.choices import Role
from ioc.accounts.models import User
from ioc.accounts.testing import Personas, system_actor
from ioc.agencies.services import agency_create
from ioc.geo.services import territory_set
from ioc.web.tests import people


class HomePagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile="hung-yen",
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 9, 21),
        )
        cls.agency = agency_create(actor=system_actor(), code="so-tai-chinh", name="Sở Tài chính", kind="department")

    def _home(self, user):
        response = people.signed_in(user).get("/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_it_shows_the_operator_real_counts_and_an_empty_domain_queue(self):
        page = self._home(self.operator)
        self.assertIn('id="panel-operator"', page)
        self.assertIn('data-stat="communes">20<', page)  # the test subset holds 20 communes of province 33
        self.assertIn('data-stat="audit-unsealed"', page)
        # Citizen reports and assignments feed the queue; nothing is waiting in an empty database.
        self.assertIn('data-stat="work-items">0<', page)
        self.assertIn("Không có việc đang chờ", page)

    def test_it_shows_a_leader_the_territory_and_its_map(self):
        page = self._home(self.leader)
        self.assertIn('id="panel-leader"', page)
        self.assertIn("Tỉnh Hưng Yên", page)
        self.assertIn('data-boundaries-url="/api/v1/geo/territory/boundaries/"', page)
        self.assertIn("vendor/leaflet/leaflet.js", page)
        self.assertIn("web/territory-map.js", page)

    def test_it_shows_a_province_leader_the_same_overview(self):
        page = self._home(people.person(self.admin, Role.PROVINCE_LEADER))
        self.assertIn('id="panel-leader"', page)

    def test_it_shows_an_officer_their_agency_and_an_empty_inbox(self):
        page = self._home(people.person(self.admin, Role.AGENCY_OFFICER, agency=self.agency))
        self.assertIn('id="panel-agency"', page)
        self.assertIn("Sở Tài chính", page)
        self.assertIn("Chưa có việc được chuyển đến", page)

    def test_it_shows_an_agency_head_the_agency_panel(self):
        page = self._home(people.person(self.admin, Role.AGENCY_HEAD, agency=self.agency))
        self.assertIn("Lãnh đạo cơ quan, đơn vị", page)

    def test_it_shows_the_system_admin_accounts_requests_and_the_audit_chain(self):
        page = self._home(self.admin)
        self.assertIn('id="panel-admin"', page)
        people_count = User.objects.filter(is_active=True, is_service_account=False).count()
        self.assertGreater(people_count, 5)
        self.assertIn(f'data-stat="accounts-active">{people_count}<', page)
        self.assertIn('data-stat="accounts-service">1<', page)
        self.assertIn('data-stat="requests-pending">0<', page)
        self.assertIn("Chuỗi nhật ký chống sửa đổi", page)

    def test_it_sends_a_display_screen_to_its_overview(self):
        client = people.signed_in(self.screen_user)
        response = client.get("/")
        self.assertRedirects(response, "/man-hinh/")
        page = client.get("/man-hinh/").content.decode()
        self.assertIn("Tỉnh Hưng Yên", page)
        self.assertIn('data-version-url="/man-hinh/phien-ban/"', page)
        self.assertIn("web/display.js", page)
        # Issue 20: the map in the middle draws the reports, incidents and sensors points, read-only.
        for layer in ("citizen_reports", "incidents", "sensors"):
            self.assertIn(f'data-map-layer="{layer}" data-url="/api/v1/maps/layers/{layer}/"', page)
        self.assertIn("maps/map-page.js", page)
        self.assertNotIn("data-selection-url", page)

    def test_it_shows_a_citizen_the_way_to_the_public_pages(self):
        page = self._home(self.citizen)
        self.assertIn('id="panel-citizen"', page)

    def test_it_shows_an_anonymous_visitor_the_public_portal_with_a_staff_sign_in_link(self):
        response = Client().get("/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('id="portal-actions"', page)
        self.assertIn('href="/tai-khoan/dang-nhap/" id="staff-sign-in"', page)
        self.assertNotIn('id="panel-', page)


class HomeWithoutTerritoryTest(Personas, TestCase):
    def test_it_says_the_territory_is_not_loaded(self):
        page = people.signed_in(self.leader).get("/").content.decode()
        self.assertIn("Chưa nạp địa bàn", page)
        self.assertNotIn("data-boundaries-url", page)
