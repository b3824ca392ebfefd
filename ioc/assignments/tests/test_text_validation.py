"""Text typed into agency work: required, bounded, no HTML (issue 3 "Bad input")."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from ioc.assignments.validation import clean_text, contains_html


class TextValidationTest(SimpleTestCase):
    def test_it_finds_markup(self):
        for text in ("<b>x</b>", "</p>", "<br/>", "<img src=x onerror=alert(1)", "<!-- x -->", "<?xml", "<script>"):
            with self.subTest(text=text):
                self.assertTrue(contains_html(text))

    def test_it_leaves_plain_comparisons_alone(self):
        for text in ("a < b > c", "mực nước <3 m và >1 m", "x<5", "Đường 3/2 <-> cầu"):
            with self.subTest(text=text):
                self.assertFalse(contains_html(text))

    def test_it_names_the_field_and_the_reason(self):
        cases = (("", True, "Bắt buộc"), ("x" * 4001, False, "4000"), ("<i>x</i>", False, "HTML"))
        for value, required, reason in cases:
            with self.subTest(value=value[:10]), self.assertRaises(ValidationError) as caught:
                clean_text(value, field="reason", required=required)
            self.assertIn(reason, caught.exception.message_dict["reason"][0])

    def test_it_strips_accepted_text(self):
        self.assertEqual(clean_text("  Đã xử lý  ", field="text", required=True), "Đã xử lý")
        self.assertEqual(clean_text("", field="text", required=False), "")
