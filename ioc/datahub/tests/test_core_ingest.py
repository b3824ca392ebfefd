"""R1.2, R1.4, R1.5: one ingest service — accepted, rejected whole, partial, corrections as versions, dry runs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.datahub import services
from ioc.datahub.choices import Channel, SubmissionStatus
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import COMMUNE, facility


class IngestTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def ingest(self, rows: list[object], **kwargs: object) -> services.IngestResult:
        params: dict[str, object] = {"actor": self.officer_a, "dataset": self.dataset, "agency": self.agency_a}
        params.update(kwargs)
        return services.submission_ingest(channel=Channel.PUSH, rows=rows, **params)  # type: ignore[arg-type]

    def test_accepted_rows_are_stored_with_lineage_and_derived_columns(self) -> None:
        result = self.ingest([facility("CS01"), facility("CS02")], period="202507")
        self.assertEqual(result.summary["status"], "accepted")
        self.assertEqual(result.summary["imported"], 2)
        assert result.submission is not None
        record = Record.objects.get(pk_hash__isnull=False, data__ma_co_so="CS01")
        self.assertEqual(record.submission, result.submission)
        self.assertEqual(record.submission.submitter, self.officer_a)
        assert record.unit is not None and record.commune is not None
        self.assertEqual((record.unit.code, record.commune.code), (COMMUNE, COMMUNE))
        self.assertTrue(record.grid_cell)
        self.assertEqual(record.period, "202507")
        self.assertEqual(record.data["so_giuong"], 10)
        self.assertTrue(
            AuditEntry.objects.filter(action="submission.ingest", object_id=str(result.submission.pk)).exists()
        )

    def test_errors_reject_the_whole_submission_and_keep_it_for_audit(self) -> None:
        result = self.ingest([facility("CS01"), facility("CS02", loai="benh_xa")])
        self.assertEqual(result.summary["status"], "rejected")
        self.assertEqual(result.summary["conflicts"][0]["row"], 2)
        self.assertEqual(result.summary["conflicts"][0]["field"], "loai")
        self.assertIn("danh mục", result.summary["conflicts"][0]["reason"])
        self.assertFalse(Record.objects.exists())
        stored = Submission.objects.get()
        self.assertEqual(stored.status, SubmissionStatus.REJECTED)
        self.assertEqual(stored.errors[0]["field"], "loai")
        self.assertEqual(stored.rows_rejected, 2)

    def test_a_dataset_may_accept_the_valid_rows(self) -> None:
        self.dataset.accept_valid_rows = True
        self.dataset.save(update_fields=["accept_valid_rows"])
        result = self.ingest([facility("CS01"), facility("CS02", so_giuong=-1)])
        self.assertEqual(result.summary["status"], "partial")
        self.assertEqual(result.status, SubmissionStatus.PARTIAL)
        self.assertEqual(list(Record.objects.values_list("data__ma_co_so", flat=True)), ["CS01"])

    def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(self) -> None:
        first = self.ingest([facility("CS01", so_giuong=10)])
        second = self.ingest([facility("CS01", so_giuong=12), facility("CS02")])
        self.assertEqual((second.summary["imported"], second.summary["updated"]), (1, 1))
        versions = Record.objects.filter(data__ma_co_so="CS01").order_by("version")
        self.assertEqual(
            [(r.version, r.is_current, r.data["so_giuong"]) for r in versions], [(1, False, 10), (2, True, 12)]
        )
        self.assertEqual(versions[0].submission, first.submission)
        third = self.ingest([facility("CS01", so_giuong=12)])
        self.assertEqual((third.summary["ignored"], Record.objects.count()), (1, 3))

    def test_dry_run_answers_the_summary_and_writes_nothing(self) -> None:
        result = self.ingest([facility("CS01")], dry_run=True)
        self.assertEqual(result.summary["imported"], 1)
        self.assertIsNone(result.submission)
        self.assertFalse(Submission.objects.exists())

    def test_duplicate_keys_name_the_first_row(self) -> None:
        result = self.ingest([facility("CS01"), facility("CS01")])
        conflict = result.summary["conflicts"][0]
        self.assertEqual((conflict["row"], conflict["field"]), (2, "ma_co_so"))
        self.assertIn("dòng 1", conflict["reason"])

    def test_another_agencys_officer_is_refused_and_nothing_is_written(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.ingest([facility()], actor=self.officer_b)
        self.assertFalse(Submission.objects.exists())

    def test_unknown_units_points_outside_and_bad_periods_are_conflicts(self) -> None:
        result = self.ingest([facility("CS01", ma_xa="99999"), facility("CS02", vi_do=48.85, kinh_do=2.35)])
        reasons = {c["row"]: c["reason"] for c in result.summary["conflicts"]}
        self.assertIn("đơn vị hành chính", reasons[1])
        self.assertIn("Tọa độ", reasons[2])
        with self.assertRaises(ValidationError) as caught:
            self.ingest([facility()], period="2025X1")
        self.assertIn("period", caught.exception.message_dict)

    def test_unknown_json_fields_and_empty_submissions_are_refused(self) -> None:
        result = self.ingest([{**facility(), "la_gi": 1}])
        self.assertEqual(result.summary["conflicts"][0]["field"], "la_gi")
        empty = self.ingest([])
        self.assertEqual(empty.summary["status"], "rejected")
        self.assertIn("Không có dòng", empty.summary["conflicts"][0]["reason"])

    def test_a_draft_dataset_takes_dry_runs_only(self) -> None:
        draft = dataset_make(actor=self.system_account, owner=self.agency_a, code="nhap", publish=False)
        with self.assertRaises(ValidationError):
            self.ingest([facility()], dataset=draft)
        self.assertEqual(self.ingest([facility()], dataset=draft, dry_run=True).summary["imported"], 1)
