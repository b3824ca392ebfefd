"""The canary matcher (R3.4, R7.5): a canary phone is found wherever a number starts with it, in any encoding, and
not inside another number (a float in /metrics held "0900000": CI of 5 December 2026)."""

from django.test import SimpleTestCase

from ioc.citizen_reports.tests.canaries import canary_leaks


class CanaryMatcherTest(SimpleTestCase):
    def test_phones_and_addresses_are_found_in_every_reading(self) -> None:
        for body in ('{"phone": "0900000123"}', "Gọi 090 000 0123", "tel:+84900000123", "a&#64;canary.invalid"):
            with self.subTest(body=body):
                self.assertNotEqual(canary_leaks(body), [])
        self.assertNotEqual(canary_leaks('{"p": "\\u0030900000123"}'), [])  # a JSON escape

    def test_digits_inside_another_number_are_not_a_phone(self) -> None:
        self.assertEqual(canary_leaks('ioc_http_request_duration_seconds_sum{route="x"} 0.005384090000006836'), [])
        self.assertEqual(canary_leaks("id 10900000"), [])
