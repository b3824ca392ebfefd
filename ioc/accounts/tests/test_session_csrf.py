"""R7.4, issue 16 part 5: sessions and CSRF at run time — the session cookie's flags (HttpOnly, SameSite, Secure
under TLS), a new session key at sign-in (fixation), sign-out invalidating the old cookie, a page form refused
without its CSRF token, the bearer-token API not needing one, and a session API call without one refused."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from ioc.accounts.testing import Personas


class SessionTest(Personas, TestCase):
    def login(self, client: Client):  # type: ignore[no-untyped-def]
        return client.post(reverse("accounts:login"), {"username": self.operator.username, "password": self.password})

    @override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
    def test_the_session_cookie_is_httponly_samesite_and_secure_under_tls(self) -> None:
        response = self.login(self.client)
        self.assertEqual(response.status_code, 302)
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertTrue(cookie["secure"])

    def test_signing_in_rotates_the_session_key(self) -> None:
        session = self.client.session
        session["planted"] = "by an attacker"
        session.save()
        planted = session.session_key
        self.assertEqual(self.login(self.client).status_code, 302)
        self.assertNotEqual(self.client.session.session_key, planted)
        self.assertFalse(Session.objects.filter(session_key=planted).exists())

    def test_signing_out_invalidates_the_old_cookie(self) -> None:
        self.sign_in(self.client, self.operator)
        old = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertEqual(self.client.get(reverse("citizen_reports:staff_index")).status_code, 200)
        self.client.post(reverse("accounts:logout"))
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = old
        response = replay.get(reverse("citizen_reports:staff_index"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class CsrfTest(Personas, TestCase):
    def test_a_page_form_without_its_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        self.sign_in(client, self.operator)
        response = client.post(reverse("accounts:logout"))
        self.assertEqual(response.status_code, 403)
        anonymous = Client(enforce_csrf_checks=True)
        response = anonymous.post("/phan-anh/gui/", {"description": "x"})
        self.assertEqual(response.status_code, 403)

    def test_the_token_api_needs_no_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/api/v1/incidents/alerts/",
            {},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.system_token}",
        )
        self.assertEqual(response.status_code, 400, response.content[:300])  # validation, not CSRF

    def test_a_session_api_call_without_the_csrf_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        self.sign_in(client, self.officer_a)
        response = client.post(
            "/api/v1/indicators/dataValueSets/",
            {"dataValues": []},
            content_type="application/json",
            HTTP_ORIGIN="https://evil.example",
            HTTP_SEC_FETCH_SITE="cross-site",
        )
        self.assertEqual(response.status_code, 403, response.content[:300])
        self.assertIn("CSRF", response.content.decode())
