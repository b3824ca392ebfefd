"""R2.3: an empty dataValueSets batch is a summary of zeros, not a server error (found by the authenticated fuzzing:
it failed before any catalogue version was approved)."""

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.indicators.models import Value


class EmptyBatchTest(Personas, TestCase):
    def test_an_empty_batch_answers_a_summary_of_zeros(self):
        response = self.client.post(
            "/api/v1/indicators/dataValueSets/", {"dataValues": []}, content_type="application/json", **self.bearer()
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(Value.objects.exists())
