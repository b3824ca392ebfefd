"""R1.6, R11: the sharing demo — an on-request dataset of an agency with officers, another agency's request
granted in part, a second one refused in writing, a pending request for a default-shared dataset; idempotent."""

from __future__ import annotations

import io
import re
import tempfile
from typing import Any

from django.core.management import call_command
from django.test import TestCase, override_settings

from ioc.common.testing import settle_deferred_constraints
from ioc.sharing.choices import RequestStatus
from ioc.sharing.demo import CODE
from ioc.sharing.models import AccessRequest, Grant


def demo_load() -> str:
    out = io.StringIO()
    call_command(
        "demo_load",
        "--profile",
        "hung-yen",
        "--no-units",
        "--only",
        "demo",
        "--only",
        "datahub",
        "--only",
        "sharing",
        stdout=out,
    )
    return out.getvalue()


class DemoGenerateTest(TestCase):
    output: str
    var: tempfile.TemporaryDirectory[str]
    override: override_settings

    @classmethod
    def setUpTestData(cls) -> None:
        cls.var = tempfile.TemporaryDirectory()
        cls.override = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.override.enable()
        cls.output = demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.override.disable()
        cls.var.cleanup()

    def test_it_makes_a_grant_a_refusal_and_a_pending_request(self) -> None:
        line = re.search(r"^demo_load: ioc\.sharing\.demo .*$", self.output, re.M)
        self.assertIsNotNone(line, self.output)
        statuses = sorted(AccessRequest.objects.values_list("status", flat=True))
        self.assertEqual(statuses, sorted([RequestStatus.APPROVED, RequestStatus.REFUSED, RequestStatus.PENDING]))
        grant = Grant.objects.get()
        self.assertEqual(grant.dataset.code, CODE)
        self.assertNotIn("ghi_chu_nghiep_vu", grant.fields)
        refused = AccessRequest.objects.get(status=RequestStatus.REFUSED)
        self.assertTrue(refused.refusal_reasons and refused.refusal_legal_basis)
        self.assertNotEqual(AccessRequest.objects.get(status=RequestStatus.PENDING).dataset.code, CODE)

    def test_it_runs_twice_without_doubling(self) -> None:
        from ioc.sharing.demo import generate

        result: dict[str, Any] = generate(profile=None, rng=None, until=None)  # type: ignore[arg-type]
        self.assertEqual(result, {"already_loaded": 1})
        self.assertEqual(AccessRequest.objects.count(), 3)
