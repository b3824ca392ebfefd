"""R2.1, R2.2 configuration page: a leader approves catalogue versions that add, change and retire indicators; an
officer is refused; each kind of bad input is an error on the field it names and writes nothing."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.indicators.models import CatalogVersion, Indicator, IndicatorRevision
from ioc.indicators.tests.support import catalogue, spec, territory

DECISION = {"decision_no": "30/QĐ-UBND", "decision_date": "2026-01-05", "signer": "Chủ tịch UBND", "note": ""}


def form_data(**extra):
    data = {
        **DECISION,
        "code": "tourists",
        "name": "Lượt khách du lịch",
        "name_en": "Tourist arrivals",
        "unit_label": "lượt",
        "sector": "du-lich",
        "agency": "persona-agency-a",
        "period_type": "month",
        "levels": ["territory", "commune"],
        "aggregation": "sum",
        "direction": "higher",
        "tolerance": "0.05",
        "source": "manual",
        "source_aggregate": "sum",
        "definition": "Tổng lượt khách đến địa bàn trong kỳ.",
        "citation": "",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


class CatalogPageTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()
        catalogue(cls.leader, spec("revenue"), spec("spending"))

    def test_the_leader_adds_changes_and_retires(self):
        self.sign_in(self.client, self.leader)
        page = self.client.get("/chi-so/cau-hinh/")
        self.assertContains(page, 'data-indicator="revenue"')
        response = self.client.post("/chi-so/cau-hinh/them/", form_data())
        self.assertRedirects(response, "/chi-so/cau-hinh/", fetch_redirect_response=False)
        added = Indicator.objects.get(code="tourists")
        self.assertEqual((added.name_en, added.citation, added.version.number), ("Tourist arrivals", "đề xuất", 2))
        self.assertEqual(added.version.decision_no, "30/QĐ-UBND")
        entry = AuditEntry.objects.filter(action="indicator_catalog.approve").latest("pk")
        self.assertEqual(entry.actor, self.leader)

        edit = self.client.get("/chi-so/cau-hinh/revenue/sua/")
        self.assertContains(edit, 'value="Chỉ số revenue"')
        changed = form_data(code=None, name="Thu ngân sách trên địa bàn", decision_no="31/QĐ-UBND")
        self.assertEqual(self.client.post("/chi-so/cau-hinh/revenue/sua/", changed).status_code, 302)
        revenue = Indicator.objects.get(code="revenue")
        self.assertEqual(
            (revenue.name, revenue.version.number, revenue.sector), ("Thu ngân sách trên địa bàn", 3, "du-lich")
        )

        retire = {**DECISION, "decision_no": "32/QĐ-UBND", "retire": ["spending"]}
        self.assertEqual(self.client.post("/chi-so/cau-hinh/thoi-ap-dung/", retire).status_code, 302)
        self.assertFalse(Indicator.objects.get(code="spending").is_active)
        self.assertEqual(
            list(IndicatorRevision.objects.filter(version__number=4).values_list("change", flat=True)), ["retire"]
        )
        page = self.client.get("/chi-so/cau-hinh/").content.decode()
        self.assertLess(page.index('id="indicators-retired"'), page.index('data-indicator="spending"'))

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        self.assertEqual(self.client.get("/chi-so/cau-hinh/").status_code, 403)
        self.assertEqual(self.client.post("/chi-so/cau-hinh/them/", form_data()).status_code, 403)
        self.assertEqual(CatalogVersion.objects.count(), 1)

    def test_bad_input_is_an_error_on_its_field(self):
        self.sign_in(self.client, self.leader)
        cases = {
            "code": form_data(code="Bad Code"),
            "levels": form_data(levels=[]),
            "range_low": form_data(direction="range"),
            "weight_code": form_data(aggregation="weighted_mean"),
            "formula": form_data(source="formula", formula="nope + 1"),
            "dataset_field": form_data(source="dataset", dataset_field="no_such_dataset.value"),
            "datastream": form_data(source="sensor", datastream="999999", levels=["territory"]),
            "decision_date": form_data(decision_date="not a date"),
            "signer": form_data(signer=""),
        }
        for field, data in cases.items():
            with self.subTest(field):
                response = self.client.post("/chi-so/cau-hinh/them/", data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        duplicate = self.client.post("/chi-so/cau-hinh/them/", form_data(code="revenue"))
        self.assertContains(duplicate, 'data-field="code"', status_code=400)
        self.assertEqual(CatalogVersion.objects.count(), 1)
        self.assertFalse(Indicator.objects.filter(code="tourists").exists())

    def test_retiring_nothing_or_a_formula_input_is_refused(self):
        catalogue(self.leader, spec("ratio", source="formula", formula="revenue / 2"))
        self.sign_in(self.client, self.leader)
        empty = self.client.post("/chi-so/cau-hinh/thoi-ap-dung/", {**DECISION})
        self.assertContains(empty, 'data-field="retire"', status_code=400)
        used = self.client.post("/chi-so/cau-hinh/thoi-ap-dung/", {**DECISION, "retire": ["revenue"]})
        self.assertContains(used, 'data-field="retire"', status_code=400)
        self.assertTrue(Indicator.objects.get(code="revenue").is_active)
        self.assertEqual(CatalogVersion.objects.count(), 2)

    def test_the_hub_lists_the_page(self):
        self.sign_in(self.client, self.leader)
        self.assertContains(self.client.get("/quan-tri/"), "/chi-so/cau-hinh/")
