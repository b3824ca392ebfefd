"""R7.4: a staff account enrols TOTP at first sign-in (QR code, secret, confirm, 10 backup codes);
later sign-ins ask for the code."""

import base64
from typing import Any

from django.test import TestCase
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts.models import User
from ioc.accounts.otp import totp_code, totp_code_outside
from ioc.accounts.testing import Personas


class TotpEnrolmentTest(Personas, TestCase):
    def login(self, user: User) -> Any:
        return self.client.post(reverse("accounts:login"), {"username": user.username, "password": self.password})

    def test_it_sends_a_staff_account_to_enrolment_at_first_sign_in(self):
        response = self.login(self.operator)
        self.assertRedirects(response, reverse("accounts:totp_enrol") + "?next=%2F", fetch_redirect_response=False)
        page = self.client.get(response["Location"])
        self.assertContains(page, "<svg")
        self.assertContains(page, 'id="totp-secret"')
        self.assertNotContains(page, "https://")  # the QR code is drawn here, never fetched
        # Nothing but enrolment is reachable before the second factor.
        self.assertRedirects(
            self.client.get("/"), reverse("accounts:second_factor") + "?next=%2F", fetch_redirect_response=False
        )

    def test_it_confirms_the_device_and_shows_ten_backup_codes_once(self):
        self.login(self.operator)
        page = self.client.get(reverse("accounts:totp_enrol"))
        device = TOTPDevice.objects.get(user=self.operator, confirmed=False)
        secret = page.context["secret"].replace(" ", "")
        self.assertEqual(base64.b32decode(secret + "=" * (-len(secret) % 8)), device.bin_key)

        wrong = self.client.post(reverse("accounts:totp_enrol"), {"code": totp_code_outside(device)})
        self.assertContains(wrong, "Mã không đúng")
        device.refresh_from_db()
        device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
        device.save()

        done = self.client.post(reverse("accounts:totp_enrol"), {"code": totp_code(device), "next": "/"})
        self.assertEqual(done.status_code, 200)
        codes = done.context["codes"]
        self.assertEqual(len(codes), 10)
        for code in codes:
            self.assertContains(done, code)
        self.assertEqual(
            set(StaticToken.objects.filter(device__user=self.operator).values_list("token", flat=True)), set(codes)
        )
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)
        self.assertEqual(self.client.get("/").status_code, 200)
        # The codes are never shown again: the enrolment page now sends to the home page.
        self.assertEqual(self.client.get(reverse("accounts:totp_enrol")).status_code, 302)

    def test_it_asks_for_the_code_at_the_next_sign_in(self):
        device = self.enrolled(self.operator)
        self.client.post(reverse("accounts:logout"))
        response = self.login(self.operator)
        self.assertRedirects(response, reverse("accounts:second_factor") + "?next=%2F", fetch_redirect_response=False)
        verified = self.client.post(
            reverse("accounts:second_factor"), {"code": totp_code(device, steps_ahead=1), "next": "/"}
        )
        self.assertRedirects(verified, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_it_refuses_a_wrong_code_at_sign_in(self):
        device = self.enrolled(self.operator)
        self.client.post(reverse("accounts:logout"))
        self.login(self.operator)
        wrong = totp_code_outside(device)
        response = self.client.post(reverse("accounts:second_factor"), {"code": wrong})
        self.assertContains(response, "Mã không đúng")
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_lets_a_citizen_in_without_a_second_factor(self):
        response = self.login(self.citizen)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)

    def enrolled(self, user: User) -> TOTPDevice:
        self.login(user)
        self.client.get(reverse("accounts:totp_enrol"))
        device = TOTPDevice.objects.get(user=user)
        self.client.post(reverse("accounts:totp_enrol"), {"code": totp_code(device)})
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        return device
