"""Issue 20 "Speed": `PlainSelect` writes the same `<select>` as Django's templates, escaped, one option selected."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase

from ioc.common.forms import PlainSelect

CHOICES = [("", "Tất cả"), ("1", 'Sở <Xây dựng> & "Giao thông"'), ("2", "Xã Đông Hưng"), ("3", "Phường 1")]


class PlainSelectTest(SimpleTestCase):
    def both(self, value, attrs=None):
        plain = PlainSelect(attrs={"class": "form-select"}, choices=CHOICES).render("agency", value, attrs)
        templated = forms.Select(attrs={"class": "form-select"}, choices=CHOICES).render("agency", value, attrs)
        return plain, templated

    def test_it_renders_what_the_template_renders(self):
        for value in (None, "", "2", 3, "no-such"):
            with self.subTest(value=value):
                plain, templated = self.both(value, {"id": "id_agency", "required": True, "disabled": False})
                self.assertHTMLEqual(plain, templated)

    def test_labels_and_values_are_escaped_and_one_option_is_selected(self):
        plain, _templated = self.both("2")
        self.assertIn("Sở &lt;Xây dựng&gt; &amp; &quot;Giao thông&quot;", plain)
        self.assertEqual(plain.count(" selected"), 1)
        self.assertIn('<option value="2" selected>Xã Đông Hưng</option>', plain)

    def test_grouped_choices_fall_back_to_the_templates(self):
        grouped = [("Nhóm", [("a", "A"), ("b", "B")])]
        plain = PlainSelect(choices=grouped).render("g", "b")
        self.assertHTMLEqual(plain, forms.Select(choices=grouped).render("g", "b"))
