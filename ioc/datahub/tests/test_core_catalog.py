"""R1.1, R1.7: the catalog — a checked Table Schema, no state secrets, publishing adds expression indexes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub import indexes, services
from ioc.datahub.choices import DatasetStatus, Frequency, Sensitivity
from ioc.datahub.models import Dataset
from ioc.datahub.schema import schema_errors
from ioc.datahub.testing import dataset_make, facilities_schema


class CatalogTest(Personas, TestCase):
    def create(self, **changes: object) -> Dataset:
        params: dict[str, object] = {
            "actor": self.operator,
            "code": "truong-hoc",
            "name": "Trường học",
            "owner": self.agency_a,
            "schema": facilities_schema(),
            "frequency": Frequency.MONTHLY,
        }
        params.update(changes)
        return services.dataset_create(**params)  # type: ignore[arg-type]

    def test_a_state_secret_is_refused_by_classification(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.create(sensitivity=Sensitivity.STATE_SECRET)
        self.assertIn("bí mật nhà nước", caught.exception.message_dict["sensitivity"][0])
        self.assertFalse(Dataset.objects.exists())

    def test_a_broken_schema_names_each_problem(self) -> None:
        schema = facilities_schema()
        schema["fields"][0]["name"] = "Mã Cơ Sở"
        schema["fields"][1]["type"] = "money"
        schema["primaryKey"] = ["khong_co"]
        with self.assertRaises(ValidationError) as caught:
            self.create(schema=schema)
        problems = " ".join(caught.exception.message_dict["schema"])
        self.assertIn("Mã Cơ Sở", problems)
        self.assertIn("kiểu dữ liệu", problems)
        self.assertIn("khong_co", problems)
        self.assertEqual(schema_errors("không phải JSON"), ["Cấu trúc phải là một đối tượng JSON (Table Schema)."])

    def test_a_layer_needs_coordinates_and_lat_needs_lon(self) -> None:
        schema = facilities_schema()
        schema["fields"] = [f for f in schema["fields"] if f["name"] != "kinh_do"]
        problems = " ".join(schema_errors(schema))
        self.assertIn("kinh độ", problems)

    def test_only_catalog_roles_create_datasets(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.create(actor=self.officer_a)
        self.assertFalse(Dataset.objects.exists())

    def test_publishing_creates_the_expression_indexes_once(self) -> None:
        dataset = dataset_make(actor=self.operator, owner=self.agency_a, publish=False)
        published = services.dataset_publish(actor=self.operator, dataset=dataset)
        self.assertEqual(published.status, DatasetStatus.PUBLISHED)
        with connection.cursor() as cursor:
            names = {i for i in connection.introspection.get_constraints(cursor, indexes.TABLE)}
        self.assertLessEqual({indexes.index_name(dataset, "loai"), indexes.index_name(dataset, "so_giuong")}, names)
        with self.assertRaises(ValidationError):
            services.dataset_publish(actor=self.operator, dataset=published)

    def test_a_filter_on_the_field_expression_uses_the_index(self) -> None:
        dataset = dataset_make(actor=self.operator, owner=self.agency_a)
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        sql = (
            f'{explain} SELECT id FROM "{indexes.TABLE}" WHERE dataset_id = {dataset.pk} '
            f"AND {indexes.field_sql('loai')} = 'tram_y_te'"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # a tiny table: make the planner show it can use the index
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
        self.assertIn(indexes.index_name(dataset, "loai"), plan)
