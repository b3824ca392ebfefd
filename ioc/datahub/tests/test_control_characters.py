"""Issue 16 part 5, R1.4: a cell holding a NUL or another control character (a file exported from an old system, a
pasted binary) never reaches the database as it is: PostgreSQL cannot store a NUL in a JSON document, so the whole
upload would fail with a 500. The cell is refused by row and column with the reason, or cleaned; nothing else."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.datahub.cells import text_clean
from ioc.datahub.columns import plain_column
from ioc.datahub.models import Dataset, Record, Submission
from ioc.datahub.testing import dataset_make
from ioc.datahub.tests.support import FACILITY_HEADER, facility, facility_line


class TextCleanTest(SimpleTestCase):
    def test_white_space_controls_become_a_space_and_the_others_go(self) -> None:
        # a Word soft line break (vertical tab), a form feed and the separators 0x1c–0x1f are white space
        for raw in ("Dòng 1\x0bDòng 2", "Dòng 1\x0cDòng 2", "Dòng 1\x1fDòng 2", "Dòng 1\tDòng 2"):
            with self.subTest(raw=raw):
                self.assertEqual(text_clean(raw), "Dòng 1 Dòng 2")
        for raw in ("Dòng\x00 1", "Dòng\x07 1", "Dòng\x1b 1", "Dòng\ud800 1", "Dòng\x7f 1"):
            with self.subTest(raw=raw):
                self.assertEqual(text_clean(raw), "Dòng 1")

    def test_a_plain_column_with_a_nul_inside_a_cell_is_not_plain(self) -> None:
        self.assertTrue(plain_column(["a", "b"]))
        self.assertTrue(plain_column([]))
        self.assertFalse(plain_column(["a\x00b", "c"]))
        self.assertFalse(plain_column(["a\x1bb", "c"]))


class ControlCharacterCellTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a, code="test")

    def stored_names(self) -> list[str]:
        return [str(record.data.get("ten_co_so", "")) for record in Record.objects.all()]

    def test_a_pushed_nul_or_lone_surrogate_is_dropped_like_any_control_character(self) -> None:
        # JSON carries what a CSV cannot: "\u0000" and a lone "\ud800"; the push reads its body itself and cleans
        # them as a cell's normalisation; an emoji's surrogate pair is text like any other.
        url = reverse("datahub_api:push", kwargs={"code": "test"})
        headers = {"Authorization": f"Bearer {self.system_token}"}
        for escaped, stored in (
            ("Tr\\u0000ạm", "Trạm"),
            ("Trạm \\ud800y tế", "Trạm y tế"),
            ("Trạm \\ud83c\\udfe5", "Trạm 🏥"),
        ):
            with self.subTest(escaped):
                Record.objects.all().delete()
                body = '{"rows": [' + json.dumps(facility("CS01"))[:-1] + f', "ten_co_so": "{escaped}"}}]}}'
                response = self.client.post(url, body, content_type="application/json", headers=headers)
                self.assertEqual(response.status_code, 201, response.content[:300])
                self.assertEqual(self.stored_names(), [stored])

    def test_a_nul_or_control_character_in_a_cell_never_reaches_a_record(self) -> None:
        self.sign_in(self.client, self.officer_a)
        url = reverse("datahub:upload", kwargs={"dataset": self.dataset.code})
        for label, name in (("NUL", "Trạm\x00 y tế"), ("escape", "Trạm\x1b y tế"), ("bell", "Trạm y tế\x07")):
            with self.subTest(label):
                Record.objects.all().delete()
                lines = [FACILITY_HEADER, facility_line("CS01", name=name), facility_line("CS02")]
                upload = SimpleUploadedFile("bao-cao.csv", ("\r\n".join(lines) + "\r\n").encode(), "text/csv")
                response = self.client.post(url, {"file": upload})
                self.assertIn(response.status_code, (302, 400), response.content[:300])
                names = self.stored_names()
                self.assertFalse([n for n in names if any(ord(c) < 32 for c in n)], names)
                self.assertIn("Trạm y tế", names)  # cleaned, not refused: the row is kept
                self.assertEqual(Submission.objects.order_by("-pk").values_list("status", flat=True)[0], "accepted")
