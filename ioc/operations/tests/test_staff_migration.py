"""R10.4: migration 0005 encrypts the personal data of staff rows written before it (and decrypts them back when
unapplied): nothing stays in the clear."""

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from ioc.common.privacy import decrypt

BEFORE = [("operations", "0004_asset_fault_maintenanceplan_maintenancerecord_and_more")]
AFTER = [("operations", "0005_staff_personal_data_encrypted")]


class StaffMigrationTest(TransactionTestCase):
    def migrate(self, target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    def test_existing_rows_are_encrypted_then_decrypted_back(self):
        apps = self.migrate(BEFORE)
        agency = apps.get_model("agencies", "Agency").objects.create(code="mig-a", name="Cơ quan A")
        staff = apps.get_model("operations", "Staff").objects.create(
            full_name="Nguyễn An",
            home_agency_id=agency.pk,
            position="Chuyên viên",
            phone="0912345678",
            email="an@example.vn",
            birth_date=dt.date(1990, 5, 17),
        )
        apps = self.migrate(AFTER)
        row = apps.get_model("operations", "Staff").objects.get(pk=staff.pk)
        self.assertNotIn("0912345678", row.phone_encrypted)
        self.assertEqual(
            (decrypt(row.phone_encrypted), decrypt(row.email_encrypted), decrypt(row.birth_date_encrypted)),
            ("0912345678", "an@example.vn", "1990-05-17"),
        )
        apps = self.migrate(BEFORE)
        back = apps.get_model("operations", "Staff").objects.get(pk=staff.pk)
        self.assertEqual(
            (back.phone, back.email, back.birth_date), ("0912345678", "an@example.vn", dt.date(1990, 5, 17))
        )
        self.migrate(AFTER)
