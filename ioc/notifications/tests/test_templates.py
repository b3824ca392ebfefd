"""Templates are registered once, in Vietnamese with optional English, and render as plain text (R4.5)."""

from django.template import TemplateSyntaxError
from django.test import SimpleTestCase

from ioc.notifications.registry import registered_codes, render, template_get
from ioc.notifications.services import register_template


class TemplateRegistryTest(SimpleTestCase):
    def test_it_renders_plain_text_without_html_escaping(self):
        tmpl = register_template("tests.plain", "Sự cố {{ title }}", "Mô tả: {{ text }}\n\n")
        self.assertEqual(
            render(tmpl, "vi", {"title": "A & B", "text": "<b>ngập</b>"}), ("Sự cố A & B", "Mô tả: <b>ngập</b>")
        )

    def test_it_falls_back_to_vietnamese_without_english_text(self):
        tmpl = register_template("tests.vi_only", "Chỉ tiếng Việt", "Nội dung")
        self.assertEqual(render(tmpl, "en", {}), ("Chỉ tiếng Việt", "Nội dung"))

    def test_it_keeps_the_subject_on_one_line(self):
        tmpl = register_template("tests.multiline", "Dòng 1\n{{ x }}\n", "b")
        self.assertEqual(render(tmpl, "vi", {"x": "Dòng 2"})[0], "Dòng 1 Dòng 2")

    def test_it_refuses_a_conflicting_registration_but_allows_an_identical_one(self):
        register_template("tests.once", "Tiêu đề", "Nội dung")
        register_template("tests.once", "Tiêu đề", "Nội dung")
        with self.assertRaises(ValueError):
            register_template("tests.once", "Tiêu đề khác", "Nội dung")
        self.assertIn("tests.once", registered_codes())

    def test_it_refuses_a_syntax_error_or_half_an_english_version(self):
        with self.assertRaises(TemplateSyntaxError):
            register_template("tests.broken", "{% if %}", "b")
        with self.assertRaises(ValueError):
            register_template("tests.half", "a", "b", subject_en="A")
        self.assertNotIn("tests.broken", registered_codes())
        with self.assertRaises(LookupError):
            template_get("tests.broken")
