"""R11, issue 18 item 6: the federation demo — a district's link to its provincial center with its first messages
in the outbox; a province's national link, keys set on a written request, switched off; idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random
import tempfile
from types import SimpleNamespace
from typing import Any, ClassVar

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.accounts.choices import RequestStatus
from ioc.federation import demo
from ioc.federation.choices import Flow, LinkRole, OutState
from ioc.federation.models import Link, OutboxMessage
from ioc.federation.tests.base import FederationTestCase


class ProvinceDemoTest(TestCase):
    settings: ClassVar[Any]
    var: ClassVar[Any]
    output: ClassVar[str]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.settings = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.settings.enable()
        out = io.StringIO()
        call_command(
            "demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "federation", stdout=out
        )
        cls.output = out.getvalue()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.settings.disable()
        cls.var.cleanup()

    def test_a_province_has_its_national_link_switched_off(self) -> None:
        link = Link.objects.get()
        self.assertEqual((link.role, link.is_active, link.flows), (LinkRole.NATIONAL, False, [Flow.NATIONAL_EXPORT]))
        self.assertTrue(link.has_keys)
        assert link.keys_request is not None
        self.assertEqual(link.keys_request.status, RequestStatus.APPLIED)
        self.assertIn("ioc.federation.demo", self.output)

    def test_it_is_idempotent(self) -> None:
        profile = SimpleNamespace(key="hung-yen", level="province")
        self.assertEqual(demo.generate(profile=profile, rng=random.Random(1), until=timezone.now()), {})
        self.assertEqual(Link.objects.count(), 1)


class DistrictDemoTest(FederationTestCase):
    def test_a_district_links_to_its_province_and_queues_its_first_messages(self) -> None:
        Link.objects.all().delete()
        profile = SimpleNamespace(key="loc-ninh", level="district")
        counts = demo.generate(profile=profile, rng=random.Random(1), until=timezone.now() + dt.timedelta(hours=1))
        link = Link.objects.get()
        self.assertEqual((link.role, link.base_url, link.key_id), (LinkRole.PARENT, demo.PARENT_URL, "loc-ninh-tinh"))
        self.assertIn(Flow.DIRECTIVE, link.flows)
        self.assertGreater(counts["messages"], 0)
        self.assertEqual(set(OutboxMessage.objects.values_list("state", flat=True)), {OutState.PENDING})
