"""R1.6, R11: the sharing demo — an on-request dataset of an agency with officers, another agency's request
granted in part, a second one refused in writing, a pending request for a default-shared dataset; idempotent."""

from __future__ import annotations

import re
from typing import Any

from django.test import TestCase

from ioc.common.testing import DemoLoadTestCase
from ioc.sharing.choices import RequestStatus
from ioc.sharing.demo import CODE
from ioc.sharing.models import AccessRequest, Grant


class DemoGenerateTest(DemoLoadTestCase, TestCase):
    demo_only = ("datahub", "sharing")

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
