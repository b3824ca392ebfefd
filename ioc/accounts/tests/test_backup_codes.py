"""R7.4: a backup code opens one session, once."""

from django.test import TestCase
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ioc.accounts import services
from ioc.accounts.testing import Personas, totp_device_for


class BackupCodeTest(Personas, TestCase):
    def test_it_accepts_a_backup_code_exactly_once(self):
        totp_device_for(self.leader)
        code = StaticToken.objects.filter(device__user=self.leader).first().token

        self.client.force_login(self.leader)
        first = self.client.post(reverse("accounts:second_factor"), {"code": code.upper(), "next": "/"})
        self.assertRedirects(first, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)

        self.client.logout()
        self.client.force_login(self.leader)
        second = self.client.post(reverse("accounts:second_factor"), {"code": code, "next": "/"})
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "Mã không đúng")
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_keeps_nine_codes_after_one_is_used(self):
        totp_device_for(self.leader)
        static = StaticDevice.objects.get(user=self.leader)
        self.assertEqual(static.token_set.count(), 10)
        services.second_factor_verify(user=self.leader, code=static.token_set.first().token)
        self.assertEqual(static.token_set.count(), 9)
