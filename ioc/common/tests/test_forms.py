"""`add_service_errors`: a service's refusal lands on the form's field of that name, the rest on top."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import SimpleTestCase

from ioc.common.forms import add_service_errors


class _Form(forms.Form):
    reason = forms.CharField(required=False)
    lat = forms.FloatField(required=False)


def _bound() -> _Form:
    form = _Form({"reason": "x", "lat": "1"})
    assert form.is_valid()
    return form


class AddServiceErrorsTest(SimpleTestCase):
    def test_a_field_the_form_has_gets_its_reasons(self):
        form = _bound()
        add_service_errors(form, ValidationError({"reason": ["Cần nêu lý do", "Quá dài"]}))
        self.assertEqual(form.errors["reason"], ["Cần nêu lý do", "Quá dài"])
        self.assertNotIn(NON_FIELD_ERRORS, form.errors)

    def test_an_unknown_field_and_a_plain_error_go_on_top(self):
        form = _bound()
        add_service_errors(form, ValidationError({"status": ["Đã xử lý"], NON_FIELD_ERRORS: ["Chung"]}))
        add_service_errors(form, ValidationError("Không có quyền"))
        self.assertEqual(form.non_field_errors(), ["Đã xử lý", "Chung", "Không có quyền"])
        self.assertFalse(form.is_valid())

    def test_renamed_fields_go_where_the_form_shows_them(self):
        form = _bound()
        add_service_errors(
            form, ValidationError({"lon": ["Ngoài tỉnh"], "token": ["Sai mã"]}), fields={"lon": "lat", "token": None}
        )
        self.assertEqual(form.errors["lat"], ["Ngoài tỉnh"])
        self.assertEqual(form.non_field_errors(), ["Sai mã"])
