"""R11, issue 9: for each profile, `demo_load` (with its units, as `make demo PROFILE=…` runs it) runs every
generator of `ioc/demo/registry.py` — citizen reports' included — within its 60 s budget.

Slow (a year of citizen reports per profile): run by `make test-slow`.
"""

import io
import re
import tempfile

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings

from ioc.demo.management.commands.demo_load import GENERATOR_BUDGET_SECONDS
from ioc.demo.registry import generators
from ioc.geo.models import Territory

TIMING = re.compile(r"^demo_load: (\S+) \(([\d.]+) s\)", re.M)


class AllProfilesLoad:
    key = ""

    def test_every_generator_runs_within_its_budget(self):
        with (
            tempfile.TemporaryDirectory() as var,
            override_settings(VAR_DIR=var, MEDIA_ROOT=var + "/media", IOC_PROFILE=self.key),
        ):
            out = io.StringIO()
            call_command("demo_load", "--profile", self.key, stdout=out)
        timings = {module: float(seconds) for module, seconds in TIMING.findall(out.getvalue())}
        print(self.key, timings)
        self.assertEqual(set(timings), {g.module for g in generators()})
        for module, seconds in timings.items():
            self.assertLessEqual(seconds, GENERATOR_BUDGET_SECONDS, f"{self.key}: {module}")
        self.assertTrue(Territory.objects.get(profile=self.key).communes.exists())


@pytest.mark.slow
class CaMauAllLoadTest(AllProfilesLoad, TestCase):
    key = "ca-mau"


@pytest.mark.slow
class QuangNamAllLoadTest(AllProfilesLoad, TestCase):
    key = "quang-nam"


@pytest.mark.slow
class HungYenAllLoadTest(AllProfilesLoad, TestCase):
    key = "hung-yen"


@pytest.mark.slow
class LocNinhAllLoadTest(AllProfilesLoad, TestCase):
    key = "loc-ninh"


@pytest.mark.slow
class BaRiaVungTauAllLoadTest(AllProfilesLoad, TestCase):
    key = "ba-ria-vung-tau"
