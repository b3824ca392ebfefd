"""Every 4xx under /api/v1/ has one body: {"error": {code, message, fields}, "request_id"}."""

from django.test import SimpleTestCase
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from ioc.common.errors import api_exception_handler


class ApiErrorBodyTest(SimpleTestCase):
    def _handle(self, exc):
        request = APIRequestFactory().get("/api/v1/x/")
        request.request_id = "req-12345678"
        return api_exception_handler(exc, {"request": request})

    def test_it_names_each_invalid_field(self):
        response = self._handle(exceptions.ValidationError({"lat": ["Phải là số."], "area": {"type": ["Sai."]}}))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.data["error"]["code"], "invalid")
        self.assertEqual(response.data["error"]["fields"], {"lat": ["Phải là số."], "area.type": ["Sai."]})
        self.assertEqual(response.data["request_id"], "req-12345678")

    def test_it_keeps_the_code_of_other_errors(self):
        response = self._handle(exceptions.NotAuthenticated())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.data["error"]["code"], "not_authenticated")
        self.assertEqual(response.data["error"]["fields"], {})

    def test_it_turns_a_django_validation_error_into_400(self):
        from django.core.exceptions import ValidationError

        response = self._handle(ValidationError({"account_request": ["Cần văn bản đề nghị."]}))
        self.assertEqual(response.status_code, 400)
        self.assertIn("account_request", response.data["error"]["fields"])

    def test_it_answers_json_for_an_unknown_api_path(self):
        response = self.client.get("/api/v1/khong-co/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "not_found")
