"""Issue 20 "Speed": the wall screen's poll interval comes from `?poll=` (the JS heap check polls ten times faster);
a value that is not a number from 0.2 to 60 answers 400 naming `poll`."""

import datetime as dt

from django.test import TestCase, override_settings

from ioc.accounts.testing import Personas, system_actor
from ioc.geo.services import territory_set
from ioc.web.tests import people


class DisplayPollTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile="hung-yen",
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 9, 21),
        )

    def setUp(self):
        self.client = people.signed_in(self.screen_user)

    def test_the_page_carries_the_interval_as_a_plain_number(self):
        self.assertContains(self.client.get("/man-hinh/"), 'data-poll-seconds="2"')
        self.assertContains(self.client.get("/man-hinh/?poll=0.2"), 'data-poll-seconds="0.2"')
        vietnamese = self.client.get("/man-hinh/?poll=0.5", HTTP_ACCEPT_LANGUAGE="vi")
        self.assertContains(vietnamese, 'data-poll-seconds="0.5"')  # never "0,5"

    @override_settings(IOC_DISPLAY_POLL_SECONDS=5)
    def test_the_setting_gives_the_default(self):
        self.assertContains(self.client.get("/man-hinh/"), 'data-poll-seconds="5"')

    def test_a_bad_interval_answers_400_naming_poll(self):
        for value in ("abc", "0", "0.1", "61", "nan", "-2"):
            with self.subTest(value=value):
                response = self.client.get("/man-hinh/", {"poll": value})
                self.assertEqual(response.status_code, 400)
                self.assertIn("poll", response.content.decode())
