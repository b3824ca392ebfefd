"""R1.1, R1.7 (issue 10 item 1): the catalog's structures are made on pages — an administrator or the IOC describes
a dataset and its Table Schema (a draft), changes the draft, publishes it; a bad schema, a bad JSON, a duplicate
code, a state secret, a system of another agency and a change after publication are each refused on their field
with nothing written; agency officers cannot."""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.agencies.models import InformationSystem
from ioc.audit.models import AuditEntry
from ioc.datahub.choices import DatasetStatus
from ioc.datahub.models import Dataset
from ioc.datahub.testing import dataset_make, facilities_schema


class StructurePagesTest(Personas, TestCase):
    def form(self, **overrides: str) -> dict[str, str]:
        data = {
            "code": "truong-hoc",
            "name": "Trường học",
            "description": "Danh mục trường học",
            "owner": str(self.agency_a.pk),
            "system": "",
            "frequency": "monthly",
            "sharing_mode": "default",
            "sensitivity": "internal",
            "schema": json.dumps(facilities_schema(), ensure_ascii=False),
        }
        data.update(overrides)
        return data

    def test_the_ioc_describes_changes_and_publishes_a_dataset(self):
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(reverse("datahub:index")), reverse("datahub:dataset_create"))
        self.assertContains(self.client.get(reverse("datahub:dataset_create")), "primaryKey")
        response = self.client.post(reverse("datahub:dataset_create"), self.form())
        self.assertRedirects(response, reverse("datahub:dataset_detail", kwargs={"dataset": "truong-hoc"}))
        dataset = Dataset.objects.get(code="truong-hoc")
        self.assertEqual((dataset.status, dataset.layer), (DatasetStatus.DRAFT, "hospital"))

        schema = facilities_schema() | {"ioc:layer": "school"}
        edit = self.form(name="Trường học phổ thông", schema=json.dumps(schema), frequency="quarterly")
        del edit["code"]
        url = reverse("datahub:dataset_edit", kwargs={"dataset": "truong-hoc"})
        self.assertEqual(self.client.post(url, edit).status_code, 302)
        dataset.refresh_from_db()
        self.assertEqual(
            (dataset.name, dataset.frequency, dataset.layer), ("Trường học phổ thông", "quarterly", "school")
        )
        entry = AuditEntry.objects.get(action="dataset.update")
        self.assertEqual(entry.changes["fields"], ["frequency", "name", "schema"])
        self.assertEqual(
            (entry.changes["before"]["name"], entry.changes["after"]["name"]), ("Trường học", "Trường học phổ thông")
        )

        publish = reverse("datahub:dataset_publish", kwargs={"dataset": "truong-hoc"})
        self.assertEqual(self.client.post(publish).status_code, 302)
        dataset.refresh_from_db()
        self.assertEqual(dataset.status, DatasetStatus.PUBLISHED)
        # Published: the structure is fixed; a second publication is refused with its reason shown.
        response = self.client.post(url, edit)
        self.assertContains(response, "không sửa được nữa", status_code=400)
        page = self.client.post(publish, follow=True)
        self.assertContains(page, "đã được công bố")

    def test_bad_input_is_named_and_writes_nothing(self):
        dataset_make(actor=self.admin, owner=self.agency_a, code="co-san")
        self.sign_in(self.client, self.admin)
        broken = facilities_schema()
        broken["fields"][0]["type"] = "tien_te"
        other_system = InformationSystem.objects.create(agency=self.agency_b, code="he-thong-b", name="Hệ thống B")
        cases = [
            ({"schema": "{ khong phai json"}, "schema", "dòng 1"),
            ({"schema": "[" * 100_000}, "schema", "JSON"),  # deeper than the parser's stack: still a form error
            ({"schema": json.dumps(broken)}, "schema", "tien_te"),
            ({"schema": json.dumps({"fields": []})}, "schema", "fields"),
            ({"code": "co-san"}, "code", "đã tồn tại"),
            ({"sensitivity": "state_secret"}, "sensitivity", "bí mật nhà nước"),
            ({"system": str(other_system.pk)}, "system", "thuộc cơ quan chủ quản"),
            ({"code": "Có Dấu"}, "code", ""),
        ]
        for overrides, field, reason in cases:
            with self.subTest(field=field, reason=reason):
                response = self.client.post(reverse("datahub:dataset_create"), self.form(**overrides))
                self.assertContains(response, f'data-field="{field}"', status_code=400)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual(list(Dataset.objects.values_list("code", flat=True)), ["co-san"])

    def test_agency_officers_cannot_describe_datasets(self):
        draft = dataset_make(actor=self.admin, owner=self.agency_a, code="nhap", publish=False)
        self.sign_in(self.client, self.officer_a)
        self.assertNotContains(self.client.get(reverse("datahub:index")), reverse("datahub:dataset_create"))
        self.assertEqual(self.client.post(reverse("datahub:dataset_create"), self.form()).status_code, 403)
        edit = reverse("datahub:dataset_edit", kwargs={"dataset": "nhap"})
        self.assertEqual(self.client.post(edit, self.form(name="Đổi")).status_code, 403)
        publish = reverse("datahub:dataset_publish", kwargs={"dataset": "nhap"})
        self.assertEqual(self.client.post(publish).status_code, 403)
        draft.refresh_from_db()
        self.assertEqual((draft.name, draft.status), ("Cơ sở y tế", DatasetStatus.DRAFT))
        self.assertFalse(Dataset.objects.filter(code="truong-hoc").exists())
