"""R1.2c: the web form generated from the Table Schema — typed inputs, code lists as selects, required marks;
rows go through `submission_ingest` (channel "form"); mistakes come back on their fields and store nothing."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.datahub.choices import Channel
from ioc.datahub.forms import row_form_for
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.testing import dataset_make, facilities_schema
from ioc.datahub.tests.support import COMMUNE


def _row(index: int, **values: Any) -> dict[str, Any]:
    base = {"ma_co_so": f"CS0{index + 1}", "ten_co_so": "Trạm y tế", "loai": "tram_y_te", "ma_xa": COMMUNE}
    base.update(values)
    return {f"dong-{index}-{name}": value for name, value in base.items()}


class EntryFormTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def url(self) -> str:
        return reverse("datahub:entry", kwargs={"dataset": self.dataset.code})

    def post(self, *rows: dict[str, Any], total: int = 3, **extra: Any) -> Any:
        data: dict[str, Any] = {"dong-TOTAL_FORMS": str(total), "dong-INITIAL_FORMS": "0", "period": "202507"}
        for row in rows:
            data.update(row)
        data.update(extra)
        self.sign_in(self.client, self.officer_a)
        return self.client.post(self.url(), data)

    def test_fields_follow_the_schema(self) -> None:
        form = row_form_for(facilities_schema())()
        html = str(form)
        self.assertIn('<select name="loai"', html)
        self.assertIn('<option value="benh_vien">', html)
        self.assertIn('type="number" name="so_giuong"', html)
        self.assertIn('min="0"', html)
        self.assertIn('type="date" name="ngay_cap_nhat"', html)
        self.assertIn('step="any"', str(form["cong_suat"]))
        self.assertIn("required", str(form["ma_co_so"]))
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(self.url() + "?dong=2")
        self.assertContains(page, 'name="dong-1-ma_co_so"')
        self.assertNotContains(page, 'name="dong-2-ma_co_so"')
        self.assertContains(page, "Mã cơ sở *")

    def test_two_typed_rows_are_stored_through_the_one_ingest(self) -> None:
        response = self.post(_row(0, so_giuong="12", ngay_cap_nhat="2025-07-01"), _row(1, cong_suat="80.5"))
        submission = Submission.objects.get()
        self.assertRedirects(response, reverse("datahub:submission_detail", kwargs={"pk": submission.pk}))
        self.assertEqual((submission.channel, submission.rows_imported, submission.period), (Channel.FORM, 2, "202507"))
        first = Record.objects.get(data__ma_co_so="CS01")
        self.assertEqual((first.data["so_giuong"], first.data["ngay_cap_nhat"]), (12, "2025-07-01"))
        self.assertEqual(Record.objects.get(data__ma_co_so="CS02").data["cong_suat"], 80.5)
        self.assertEqual(first.submission.submitter, self.officer_a)

    def test_each_mistake_is_on_its_field_and_nothing_is_stored(self) -> None:
        cases = {
            "dong-0-so_giuong": [_row(0, so_giuong="-1")],
            "dong-1-ten_co_so": [_row(0), _row(1, ten_co_so="")],
            "dong-0-ma_xa": [_row(0, ma_xa="99999")],
            "dong-1-ma_co_so": [_row(0), _row(1, ma_co_so="CS01")],
            "dong-0-loai": [_row(0, loai="khac")],
            "dong-0-cong_suat": [_row(0, cong_suat="nhiều")],
            "dong-0-ten_co_so": [_row(0, ten_co_so="=cmd|' /C calc'!A0")],
        }
        for name, rows in cases.items():
            with self.subTest(field=name):
                response = self.post(*rows)
                self.assertContains(response, f'data-field="{name}"', status_code=400)
        self.assertFalse(Submission.objects.exists())
        self.assertFalse(Record.objects.exists())

    def test_an_empty_form_or_a_bad_period_is_refused(self) -> None:
        self.assertContains(self.post(), "Nhập ít nhất một dòng", status_code=400)
        self.assertContains(self.post(_row(0), period="2025X"), 'data-field="period"', status_code=400)
        self.assertFalse(Submission.objects.exists())

    def test_only_agency_accounts_type_rows(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assertEqual(self.client.post(self.url(), {"dong-TOTAL_FORMS": "1"}).status_code, 403)
        self.assertFalse(Submission.objects.exists())
