"""R7.4: `manage.py totp <user>` prints the current code of the account's confirmed device."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts import services
from ioc.accounts.testing import Personas, totp_device_for


class TotpCommandTest(Personas, TestCase):
    def test_it_prints_a_code_the_device_accepts(self):
        totp_device_for(self.operator)
        out = StringIO()
        call_command("totp", self.operator.username, stdout=out)
        code = out.getvalue().strip()
        self.assertRegex(code, r"^\d{6}$")
        # The code the device shows now (a step boundary may pass meanwhile: one step of tolerance).
        device = TOTPDevice.objects.get(user=self.operator)
        generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.assertTrue(generator.verify(int(code), tolerance=1))

    def test_it_refuses_an_account_without_a_device(self):
        with self.assertRaises(CommandError):
            call_command("totp", self.citizen.username, stdout=StringIO())
        with self.assertRaises(CommandError):
            call_command("totp", "nobody-here", stdout=StringIO())
        self.assertIsNone(services.second_factor_verify(user=self.citizen, code="123456"))
