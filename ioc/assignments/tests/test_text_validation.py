"""Text typed into agency work: required, bounded, no HTML (issue 3 "Bad input")."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from ioc.assignments.validation import clean_text, text_problem
from ioc.common.tests.test_plaintext import CASES as MARKUP_CASES


class TextValidationTest(SimpleTestCase):
    def test_it_refuses_markup_by_the_shared_rule(self):
        for text, markup in MARKUP_CASES:
            with self.subTest(text=text):
                self.assertEqual(text_problem(text, required=False) is not None, markup)

    def test_it_names_the_field_and_the_reason(self):
        cases = (("", True, "Bắt buộc"), ("x" * 4001, False, "4000"), ("<i>x</i>", False, "HTML"))
        for value, required, reason in cases:
            with self.subTest(value=value[:10]), self.assertRaises(ValidationError) as caught:
                clean_text(value, field="reason", required=required)
            self.assertIn(reason, caught.exception.message_dict["reason"][0])

    def test_it_strips_accepted_text(self):
        self.assertEqual(clean_text("  Đã xử lý  ", field="text", required=True), "Đã xử lý")
        self.assertEqual(clean_text("", field="text", required=False), "")
