"""The officer's inbox names each process by its handler's label, Vietnamese first, English by translation."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from ioc.assignments.services import process_label, subject_processes


class ProcessLabelTest(SimpleTestCase):
    def test_every_registered_process_has_a_label_in_both_languages(self):
        processes = subject_processes()
        self.assertIn("citizen_reports", processes)
        for process in processes:
            with self.subTest(process=process):
                with translation.override("vi"):
                    vietnamese = process_label(process)
                with translation.override("en"):
                    english = process_label(process)
                self.assertNotEqual(vietnamese, process, "no label: the inbox would show the code")
                self.assertNotEqual(english, vietnamese, "no English entry for the label")

    def test_an_unknown_process_shows_its_code(self):
        self.assertEqual(process_label("no-such-process"), "no-such-process")
