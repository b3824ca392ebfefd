"""/readyz names pending migrations (R10.1): a database behind the code is not ready."""

from django.core.management import call_command
from django.test import Client, TransactionTestCase

from ioc.web import health


class PendingMigrationTest(TransactionTestCase):
    def tearDown(self):
        call_command("migrate", "web", verbosity=0)
        health._migrations_seen_complete = False

    def test_it_answers_503_naming_the_pending_migration(self):
        call_command("migrate", "web", "zero", verbosity=0)
        health._migrations_seen_complete = False
        response = Client().get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertIn("migrations", body["failing"])
        self.assertIn("web.0001_initial", body["checks"]["migrations"]["detail"])
        self.assertTrue(body["checks"]["database"]["ok"])
