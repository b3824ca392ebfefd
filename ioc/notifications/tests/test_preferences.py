"""Users choose channels, language and quiet hours through an audited service (R4.5, R7.3)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.models import User
from ioc.audit.models import AuditEntry
from ioc.notifications.models import NotificationPreference
from ioc.notifications.services import notification_preference_set
from ioc.notifications.tests.helpers import make_user


class PreferenceTest(TestCase):
    user: User

    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("canbo")

    def set(self, **values: Any) -> NotificationPreference:
        return notification_preference_set(actor=self.user, user=self.user, **values)

    def test_it_saves_and_audits_preferences(self):
        self.set(sms_enabled=True, quiet_start=dt.time(22, 0), quiet_end=dt.time(6, 0))
        self.set(sms_enabled=True, language="en", quiet_start=dt.time(22, 0), quiet_end=dt.time(6, 0))
        pref = NotificationPreference.objects.get(user=self.user)
        self.assertEqual((pref.sms_enabled, pref.language, pref.quiet_end), (True, "en", dt.time(6, 0)))
        entries = AuditEntry.objects.filter(action="notification_preference.set")
        self.assertEqual(entries.count(), 2)
        self.assertEqual(entries.order_by("id")[1].changes["quiet_start"], "22:00:00")

    def test_it_refuses_bad_input_naming_the_field(self):
        cases: list[tuple[str, dict[str, Any]]] = [
            ("quiet_end", {"quiet_start": dt.time(22, 0)}),
            ("quiet_start", {"quiet_end": dt.time(6, 0)}),
            ("quiet_end", {"quiet_start": dt.time(6, 0), "quiet_end": dt.time(6, 0)}),
            ("language", {"language": "fr"}),
        ]
        for field, values in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.set(**values)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(NotificationPreference.objects.filter(user=self.user).exists())
        self.assertFalse(AuditEntry.objects.filter(action="notification_preference.set").exists())
