"""R7.3: `manage.py audit_verify` seals pending entries, then exits 0 on an intact chain or 1 naming the break."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TransactionTestCase

from ioc.audit.models import AuditEntry
from ioc.audit.tests.support import AnchorFileMixin, raw_sql


class AuditVerifyCommandTest(AnchorFileMixin, TransactionTestCase):
    def record(self, n: int) -> None:
        from ioc.audit.services import audit_record

        for i in range(n):
            audit_record(actor=None, action="thing.update", object_id=str(i), changes={"i": i})

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("audit_verify", *args, stdout=out)
        return out.getvalue()

    def test_it_seals_pending_entries_then_reports_an_intact_chain(self):
        self.record(4)
        out = self.run_command()
        self.assertIn("Đã niêm phong 4 bản ghi mới / Sealed 4 new entries", out)
        self.assertIn("Chuỗi nhật ký toàn vẹn / Audit chain intact (4 entries)", out)
        self.assertFalse(AuditEntry.objects.filter(position__isnull=True).exists())
        self.assertTrue(self.anchor_path.exists())

    def test_it_leaves_pending_entries_alone_with_no_seal(self):
        self.record(2)
        out = self.run_command("--no-seal")
        self.assertIn("(0 entries)", out)
        self.assertEqual(AuditEntry.objects.filter(position__isnull=True).count(), 2)

    def test_it_exits_1_naming_an_edited_row(self):
        self.record(5)
        self.run_command()
        raw_sql("UPDATE audit_auditentry SET changes = %s WHERE position = 3", ['{"i": 42}'])
        with self.assertRaises(CommandError) as caught:
            self.run_command()
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("vị trí 3", str(caught.exception))

    def test_it_exits_1_on_a_deleted_tail(self):
        self.record(5)
        self.run_command()
        raw_sql("DELETE FROM audit_auditentry WHERE position >= 4")
        raw_sql(
            "UPDATE audit_chainhead SET position = 3, link = (SELECT link FROM audit_auditentry WHERE position = 3)"
        )
        with self.assertRaises(CommandError) as caught:
            self.run_command("--no-seal")
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("vị trí 4", str(caught.exception))
