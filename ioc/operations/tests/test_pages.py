"""R10.2–R10.4: the pages under /van-hanh/ — each answers its personas, agency B's officer gets 404 for agency A's
staff, bad input is a 400 naming the field, the sheet and the roster download as .xlsx, the month's roster shows
its gaps, a sheet is approved from its page by the managing body."""

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.operations import services
from ioc.operations.models import AllowanceSheet, Change, Staff
from ioc.operations.testing import allowance_rules_make, managing_body_make, staff_make

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PagesTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        managing_body_make(actor=cls.system_account, agency=cls.agency_b)
        allowance_rules_make(actor=cls.system_account, leader=cls.leader)
        cls.person = staff_make(
            leader=cls.leader, agency=cls.agency_a, name="Nguyễn An", start=dt.date(2025, 1, 1), phone="0900000077"
        )
        cls.sheet = services.allowance_sheet_prepare(
            actor=cls.leader, paying_agency=cls.agency_a, month=dt.date(2025, 7, 1)
        )
        cls.roster = services.roster_create(actor=cls.leader, agency=cls.agency_a, month=dt.date(2026, 2, 1))
        cls.asset = services.asset_create(
            actor=cls.operator, kind="server", name="Máy chủ 1", owner_agency=cls.agency_a
        )

    def test_every_page_answers_the_leader(self):
        self.sign_in(self.client, self.leader)
        for url in (
            "/van-hanh/",
            "/van-hanh/nhan-su/",
            f"/van-hanh/nhan-su/{self.person.pk}/",
            "/van-hanh/phu-cap/",
            "/van-hanh/phu-cap/du-toan/?nam=2025",
            f"/van-hanh/phu-cap/{self.sheet.pk}/",
            "/van-hanh/lich-truc/",
            f"/van-hanh/lich-truc/{self.roster.pk}/",
            f"/van-hanh/lich-truc/{self.roster.pk}/?xem=tuan&ngay=2026-02-16",
            "/van-hanh/thay-doi/",
            "/van-hanh/tai-san/",
            f"/van-hanh/tai-san/{self.asset.pk}/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get(f"/van-hanh/nhan-su/{self.person.pk}/"), "0900000077")
        self.assertContains(self.client.get(f"/van-hanh/lich-truc/{self.roster.pk}/"), "data-gaps")

    def test_agency_b_cannot_see_agency_a_staff_unless_personal_rights(self):
        other = staff_make(leader=self.leader, agency=self.agency_b, name="Người B", start=dt.date(2025, 1, 1))
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get(f"/van-hanh/nhan-su/{other.pk}/").status_code, 404)
        page = self.client.get(f"/van-hanh/nhan-su/{self.person.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "0900000077")  # personal data: the IOC leader and the managing body only
        self.assertEqual(self.client.get("/van-hanh/nhan-su/", HTTP_ACCEPT="text/html").status_code, 200)

    def test_the_operator_cannot_add_staff_and_bad_input_names_the_field(self):
        self.sign_in(self.client, self.leader)
        page = self.client.post("/van-hanh/nhan-su/", {"full_name": "", "position": "x"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, 'data-field="full_name"', status_code=400)
        self.assertEqual(Staff.objects.count(), 1)
        page = self.client.post("/van-hanh/phu-cap/", {"month": "2099-01-01"})
        self.assertContains(page, 'data-field="month"', status_code=400)

    def test_downloads(self):
        self.sign_in(self.client, self.leader)
        for url in (f"/van-hanh/phu-cap/{self.sheet.pk}/xlsx/", f"/van-hanh/lich-truc/{self.roster.pk}/xlsx/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["Content-Type"], XLSX)

    def test_the_managing_body_approves_a_sheet_from_its_page_and_editing_it_is_refused(self):
        self.sign_in(self.client, self.officer_b)
        self.assertRedirects(
            self.client.post(f"/van-hanh/phu-cap/{self.sheet.pk}/", {"action": "approve"}),
            f"/van-hanh/phu-cap/{self.sheet.pk}/",
        )
        self.sheet.refresh_from_db()
        self.assertEqual(self.sheet.state, "approved")
        self.sign_in(self.client, self.leader)
        page = self.client.post(f"/van-hanh/phu-cap/{self.sheet.pk}/", {"action": "recompute"})
        self.assertContains(page, "Bảng đã duyệt không sửa được", status_code=400)
        self.assertEqual(AllowanceSheet.objects.count(), 1)

    def test_a_change_window_in_the_past_is_a_form_error(self):
        self.sign_in(self.client, self.operator)
        data = {
            "title": "Nâng cấp",
            "reason": "Vá lỗi",
            "systems": "Ứng dụng",
            "rollback_plan": "Khôi phục",
            "requester": "Nhà cung cấp",
            "window_start": "2020-01-01T08:00",
            "window_end": "2020-01-01T10:00",
        }
        page = self.client.post("/van-hanh/thay-doi/", data)
        self.assertContains(page, 'data-field="window_start"', status_code=400)
        self.assertFalse(Change.objects.exists())
