"""R3.4, R7.5 (issue 16 part 5): the canary crawl over a whole demo. Every demo generator loaded together (the
citizens of the demo leave canary contacts: `nguoidan…@canary.invalid`, `0900000…`, ioc/citizen_reports/demo/
draws.py), then every PUBLIC pattern of the access registry asked for anonymously, its parameters taken from the
demo's own data (its published reports, their public photos, its public warnings, its communes, the public map
layers), with the query strings that page through the lists and zoom the layers, and the Open311 and SensorThings
samples of the fixture crawl (test_canary_crawl.py, which also proves that every pattern is reached). No body may
carry a canary.

Marked `whole_demo` (one load of every generator: SQLite only in CI, as ioc/demo/tests/test_demo_load.py)."""

from __future__ import annotations

import io
import itertools
import tempfile

import pytest
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from ioc.citizen_reports.models import Report, ReporterContact
from ioc.citizen_reports.selectors import public_first_photos
from ioc.geo.models import AdminUnit
from ioc.maps.selectors import PUBLIC_LAYERS
from ioc.scenarios.selectors import warnings_feed
from ioc.web.testing.pages import registry_patterns
from ioc.web.tests.test_canary_crawl import crawl

REPORTS_ASKED = 60  # published demo reports whose own pages are asked for (the lists carry the rest)


def demo_values() -> dict[str, list[str]]:
    """Path parameter → values from the loaded demo."""
    published = Report.objects.filter(status="published").order_by("-pk")
    codes = list(published.values_list("tracking_code", flat=True)[:REPORTS_ASKED])
    photos = public_first_photos(report_ids=list(published.values_list("pk", flat=True)[:REPORTS_ASKED]))
    commune = AdminUnit.objects.filter(level="commune").order_by("code").values_list("code", flat=True)[:1]
    return {
        "code": codes,
        "request_id": codes,
        "pk": [str(pk) for pk in photos.values()],
        "identifier": [warning.identifier for warning in warnings_feed(limit=10)],
        "ref": list(commune),
        "layer": list(PUBLIC_LAYERS),
        "fmt": ["json", "xml"],
    }


def demo_paths(values: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """One path per PUBLIC pattern and value combination (regex routes are reached by `demo_samples`), and the
    patterns the demo holds no value for."""
    paths: list[str] = []
    missing: list[str] = []
    for pattern in registry_patterns(None):
        if pattern.policy is None or pattern.policy.kind != "public" or "^" in pattern.route:
            continue
        choices = [values.get(param, []) for param in pattern.params]
        if not all(choices):
            missing.append(pattern.url_name)
            continue
        for combination in itertools.product(*choices):
            paths.append(reverse(pattern.url_name, kwargs=dict(zip(pattern.params, combination, strict=True))))
    return paths, missing


def demo_samples(values: dict[str, list[str]]) -> list[str]:
    """Open311 and SensorThings over the demo's data, and the lists paged and the layers zoomed."""
    samples = [f"/open311/v2/requests/{code}.{fmt}" for code in values["request_id"][:20] for fmt in ("json", "xml")]
    samples += [f"/open311/v2/requests.{fmt}?page_size=500&page={page}" for fmt in ("json", "xml") for page in (1, 2)]
    samples += [f"/open311/v2/requests.json?status={status}&page_size=500" for status in ("open", "closed")]
    samples += [f"/open311/v2/services.{fmt}" for fmt in ("json", "xml")]
    samples += [f"/phan-anh/cong-khai/?page={page}" for page in (1, 2, 3)]
    samples += ["/phan-anh/ban-do/du-lieu.geojson?bbox=100,5,115,25"]
    for layer in values["layer"]:
        samples += [f"/api/v1/maps/public/layers/{layer}/?bbox=100,5,115,25&zoom={zoom}" for zoom in (6, 12, 16)]
    samples += ["/sta/v1.1/Observations?$top=500", "/sta/v1.1/Things?$expand=Datastreams,Locations&$top=200"]
    samples += ["/sta/v1.1/Datastreams?$top=200", "/sta/v1.1/FeaturesOfInterest?$top=200"]
    return samples


@pytest.mark.whole_demo
class DemoCanaryCrawlTest(TestCase):
    def setUp(self) -> None:
        self.var = tempfile.TemporaryDirectory()
        self.addCleanup(self.var.cleanup)
        override = override_settings(VAR_DIR=self.var.name)
        override.enable()
        self.addCleanup(override.disable)

    def test_no_public_answer_of_a_loaded_demo_carries_a_canary(self) -> None:
        command = ["demo_load", "--profile", "hung-yen", "--no-units", "--address", "http://127.0.0.1:8123/"]
        call_command(*command, "--seed", "2025", stdout=io.StringIO())
        # The demo's reporters left contacts and some of their reports are public: else the crawl proves nothing.
        self.assertGreater(ReporterContact.objects.count(), 50)
        values = demo_values()
        self.assertGreaterEqual(len(values["code"]), 20)
        self.assertTrue(values["pk"], "no public photo in the demo")
        paths, missing = demo_paths(values)
        self.assertEqual(missing, [], "public patterns the demo holds no value for")
        problems = crawl(Client(), paths + demo_samples(values))
        self.assertEqual(problems, [], "\n".join(problems[:40]))
