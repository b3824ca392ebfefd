"""R7.4: a person changes their own password; the old one is checked and the strength policy applies."""

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas

PAGE = reverse("accounts:password_change")


class PasswordChangeTest(Personas, TestCase):
    def setUp(self):
        self.sign_in(self.client, self.citizen)

    def change(self, old: str, new: str, again: str | None = None) -> Any:
        return self.client.post(PAGE, {"old_password": old, "new_password": new, "new_password_again": again or new})

    def test_it_changes_the_password_and_keeps_the_session(self):
        response = self.change(self.password, "Mật-Khẩu-Khác-2026")
        self.assertEqual(response.status_code, 302)
        self.citizen.refresh_from_db()
        self.assertTrue(self.citizen.check_password("Mật-Khẩu-Khác-2026"))
        self.assertIsNotNone(self.citizen.password_changed_at)
        self.assertEqual(self.client.get(PAGE).status_code, 200)

    def test_it_refuses_a_wrong_old_password(self):
        response = self.change("not-my-password", "Mật-Khẩu-Khác-2026")
        self.assertIn("old_password", response.context["form"].errors)

    def test_it_refuses_a_weak_new_password(self):
        response = self.change(self.password, "abc12345")
        self.assertIn("new_password", response.context["form"].errors)
        self.citizen.refresh_from_db()
        self.assertTrue(self.citizen.check_password(self.password))

    def test_it_refuses_two_different_new_passwords(self):
        response = self.change(self.password, "Mật-Khẩu-Khác-2026", "Mật-Khẩu-Khác-2027")
        self.assertIn("new_password_again", response.context["form"].errors)
