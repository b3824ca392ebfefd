"""R5.5: the system administrator's page of MQTT logins: issue (the password shown once), revoke, write the ACL;
other roles refused; bad input a 400 with nothing written."""

import tempfile
from pathlib import Path

from django.test import TestCase, override_settings
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.sensors.broker import password_check
from ioc.sensors.models import BrokerCredential

PAGE = reverse("sensors:broker_logins")


class BrokerPageTest(Personas, TestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.admin)

    def test_issue_shows_the_password_once_and_stores_only_its_hash(self):
        page = self.client.get(PAGE).content.decode()
        self.assertIn(self.system.code, page)
        response = self.client.post(PAGE, {"action": "issue", "system": self.system.pk})
        self.assertEqual(response.status_code, 200)
        password = response.context["issued"][1]
        self.assertContains(response, password)
        credential = BrokerCredential.objects.get(system=self.system)
        self.assertTrue(password_check(password, credential.password_hash))
        self.assertNotIn(password, credential.password_hash)
        self.assertNotIn(password, self.client.get(PAGE).content.decode())  # never again
        self.assertTrue(AuditEntry.objects.filter(action="sensors.broker_credential.issue").exists())

    def test_revoke_removes_the_login(self):
        self.client.post(PAGE, {"action": "issue", "system": self.system.pk})
        self.assertRedirects(self.client.post(PAGE, {"action": "revoke", "system": self.system.pk}), PAGE)
        self.assertFalse(BrokerCredential.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(action="sensors.broker_credential.revoke").exists())

    def test_sync_writes_the_password_file_and_acl(self):
        self.client.post(PAGE, {"action": "issue", "system": self.system.pk})
        with tempfile.TemporaryDirectory() as root:
            passwd, acl = Path(root) / "ioc.passwd", Path(root) / "ioc.acl"
            with override_settings(MQTT_PASSWORD_FILE=str(passwd), MQTT_ACL_FILE=str(acl), MQTT_USERNAME=""):
                self.assertRedirects(self.client.post(PAGE, {"action": "sync"}), PAGE)
            self.assertIn(f"{self.system.code}:$7$", passwd.read_text())
            self.assertIn(f"user {self.system.code}", acl.read_text())
        self.assertTrue(AuditEntry.objects.filter(action="sensors.broker_acl.sync").exists())

    def test_bad_input_is_a_400_and_nothing_is_written(self):
        before = AuditEntry.objects.count()
        cases = [
            {"action": "issue", "system": "abc"},
            {"action": "issue", "system": "999999"},
            {"action": "explode", "system": self.system.pk},
            {"action": "revoke", "system": self.system.pk},  # no login to revoke
        ]
        for data in cases:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(PAGE, data).status_code, 400)
        self.assertFalse(BrokerCredential.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_a_retired_system_gets_no_login(self):
        self.system.is_active = False
        self.system.save()
        self.assertEqual(self.client.post(PAGE, {"action": "issue", "system": self.system.pk}).status_code, 400)
        self.assertFalse(BrokerCredential.objects.exists())

    def test_other_roles_are_refused(self):
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(PAGE).status_code, 403)
        self.assertEqual(self.client.post(PAGE, {"action": "issue", "system": self.system.pk}).status_code, 403)
        self.assertFalse(BrokerCredential.objects.exists())
