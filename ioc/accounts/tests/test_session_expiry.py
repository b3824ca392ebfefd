"""R7.4: idle and absolute session expiry; background polling never extends idle time; display screens keep
their session 7 days; an expired session shows "phiên đã hết hạn" at sign-in."""

import time

from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from ioc.accounts.testing import Personas

# A page of this app that needs a signed-in (and, for staff, verified) session.
PROBE = reverse("accounts:password_change")


class SessionExpiryTest(Personas, TestCase):
    def set_clocks(self, *, idle_ago: float, started_ago: float) -> None:
        session = self.client.session
        now = time.time()
        session[SESSION_SEEN] = now - idle_ago
        session[SESSION_STARTED] = now - started_ago
        session.save()

    def test_it_starts_both_clocks_at_sign_in(self):
        self.sign_in(self.client, self.operator)
        self.assertIn(SESSION_STARTED, self.client.session)
        self.assertIn(SESSION_SEEN, self.client.session)

    def test_it_keeps_an_active_session(self):
        self.sign_in(self.client, self.operator)
        self.set_clocks(idle_ago=settings.SESSION_IDLE_SECONDS - 60, started_ago=3600)
        self.assertEqual(self.client.get(PROBE).status_code, 200)

    def test_it_expires_an_idle_session_and_says_so(self):
        self.sign_in(self.client, self.operator)
        self.set_clocks(idle_ago=settings.SESSION_IDLE_SECONDS + 5, started_ago=settings.SESSION_IDLE_SECONDS + 5)
        response = self.client.get(PROBE)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Phiên đã hết hạn")
        # The notice is shown once.
        self.assertNotContains(self.client.get(reverse("accounts:login")), "Phiên đã hết hạn")

    def test_it_expires_a_session_past_its_absolute_limit_even_when_active(self):
        self.sign_in(self.client, self.operator)
        self.set_clocks(idle_ago=1, started_ago=settings.SESSION_ABSOLUTE_SECONDS + 5)
        self.assertEqual(self.client.get(PROBE).status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_does_not_extend_idle_time_on_background_polls(self):
        self.sign_in(self.client, self.operator)
        self.set_clocks(idle_ago=settings.SESSION_IDLE_SECONDS - 10, started_ago=3600)
        before = self.client.session[SESSION_SEEN]
        self.assertEqual(self.client.get(PROBE, HTTP_X_IOC_BACKGROUND="1").status_code, 200)
        self.assertEqual(self.client.session[SESSION_SEEN], before)
        # A foreground request does extend it.
        self.assertEqual(self.client.get(PROBE).status_code, 200)
        self.assertGreater(self.client.session[SESSION_SEEN], before)

    def test_it_expires_a_session_kept_alive_only_by_background_polls(self):
        self.sign_in(self.client, self.operator)
        self.set_clocks(idle_ago=settings.SESSION_IDLE_SECONDS + 5, started_ago=settings.SESSION_IDLE_SECONDS + 5)
        response = self.client.get(PROBE, HTTP_X_IOC_BACKGROUND="1")
        self.assertEqual(response.status_code, 302)

    def test_it_keeps_a_display_screen_session_seven_days(self):
        self.sign_in(self.client, self.screen_user)
        day = 24 * 3600
        self.set_clocks(idle_ago=6 * day, started_ago=6 * day)
        self.assertEqual(self.client.get(PROBE).status_code, 200)
        self.set_clocks(idle_ago=7 * day + 5, started_ago=7 * day + 5)
        self.assertEqual(self.client.get(PROBE).status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)


class SessionSeenWriteTest(Personas, TestCase):
    """The idle clock is written at most once per SESSION_SEEN_WRITE_SECONDS: polling (the map's layers) does not
    write the session row on every request."""

    MAP_LAYER = "/api/v1/maps/layers/incidents/?bbox=105.0,20.0,107.0,22.0&zoom=10"

    def session_writes(self, path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(path).status_code, 200)
        return sum(1 for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT"))

    def seen_ago(self, seconds: float) -> None:
        session = self.client.session
        session[SESSION_SEEN] = time.time() - seconds
        session.save()

    def test_requests_within_the_interval_do_not_write_the_session(self):
        self.sign_in(self.client, self.operator)
        self.seen_ago(1)
        before = self.client.session[SESSION_SEEN]
        self.assertEqual([self.session_writes(self.MAP_LAYER) for _ in range(3)], [0, 0, 0])
        self.assertEqual(self.session_writes(PROBE), 0)
        self.assertEqual(self.client.session[SESSION_SEEN], before)

    def test_a_request_after_the_interval_writes_the_idle_clock_once(self):
        self.sign_in(self.client, self.operator)
        self.seen_ago(settings.SESSION_SEEN_WRITE_SECONDS + 1)
        before = self.client.session[SESSION_SEEN]
        self.assertEqual(self.session_writes(self.MAP_LAYER), 1)
        self.assertGreater(self.client.session[SESSION_SEEN], before)
        self.assertEqual(self.session_writes(self.MAP_LAYER), 0)

    @override_settings(SESSION_SEEN_WRITE_SECONDS=0)
    def test_the_interval_is_a_setting(self):
        self.sign_in(self.client, self.operator)
        self.seen_ago(1)
        self.assertEqual(self.session_writes(PROBE), 1)
