"""R7.3: reading a citizen's personal data is itself audited."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.choices import Role
from ioc.audit.models import AuditEntry
from ioc.audit.services import PERSONAL_DATA_READ, audit_personal_data_read
from ioc.audit.tests.support import clear_trail, make_user


class PersonalDataReadTest(TestCase):
    def setUp(self):
        clear_trail()
        self.operator = make_user("doc.gia", Role.IOC_OPERATOR)
        self.citizen = make_user("nguoi.dan", Role.CITIZEN)

    def test_it_records_who_read_which_fields_of_whom_and_why(self):
        entry = audit_personal_data_read(
            actor=self.operator, obj=self.citizen, fields=["phone", "email", "phone"], purpose="Liên hệ xác minh"
        )
        entry.refresh_from_db()
        self.assertEqual(entry.action, PERSONAL_DATA_READ)
        self.assertEqual((entry.actor_id, entry.actor_label), (self.operator.pk, "doc.gia"))
        self.assertEqual((entry.object_type, entry.object_id), ("accounts.user", str(self.citizen.pk)))
        self.assertEqual(entry.changes, {"fields": ["email", "phone"], "purpose": "Liên hệ xác minh"})

    def test_it_refuses_a_read_that_names_no_field(self):
        with self.assertRaises(ValidationError) as caught:
            audit_personal_data_read(actor=self.operator, obj=self.citizen, fields=[" "])
        self.assertIn("fields", caught.exception.message_dict)
        self.assertFalse(AuditEntry.objects.exists())

    def test_it_refuses_an_overlong_purpose(self):
        with self.assertRaises(ValidationError) as caught:
            audit_personal_data_read(actor=self.operator, obj=self.citizen, fields=["phone"], purpose="x" * 501)
        self.assertIn("purpose", caught.exception.message_dict)
