"""R3.4, R7.5 (issue 16 part 5): the canary crawl. Every PUBLIC pattern of the URL access registry is asked for
anonymously — pages, JSON, GeoJSON, Atom, CAP, Open311 and SensorThings, with the query strings that list data, and
the citizens' dossier lookup by POST (page and API) —
over the crawl's fixture world (ioc/web/testing/world.py) plus reports whose reporters left canary contacts
(`@canary.invalid`, `0900000…`, "… Canary") and typed them into descriptions and results. No body may carry a
canary (matcher: ioc/citizen_reports/tests/canaries.py). A pattern the walk cannot reach fails the test naming it,
so a new public page (the maps app's layers) joins by itself or asks for a sample below.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, resolve

from ioc.citizen_reports import services
from ioc.citizen_reports.models import Report, ReporterContact
from ioc.citizen_reports.privacy import decrypt
from ioc.citizen_reports.tests.canaries import canary_leaks
from ioc.citizen_reports.tests.test_public_support import point_in, publish_report
from ioc.common.access import PUBLIC, route
from ioc.common.images import image_clean
from ioc.dossiers.testing import CANARY_CONTACT, CRAWL_DOSSIER
from ioc.web.testing.pages import Pattern, _paths, registry_patterns
from ioc.web.testing.world import World, world_create

CANARY_PHONE = "0900000777"
CANARY_EMAIL = "tran-thi@canary.invalid"
# Path parameters the page crawl does not need (it skips the JSON API): value factories by parameter name.
EXTRA_PARAMS = {"ref": lambda w: w.unit.code, "layer": lambda w: "citizen_reports"}


def regex_samples(world: World) -> list[str]:
    """Regular-expression routes (Open311, SensorThings) with the query strings that list data."""
    code = world.reports["published"].tracking_code
    category = world.category.code
    samples = [f"/open311/v2/discovery.{f}" for f in ("json", "xml")]
    samples += [f"/open311/v2/services.{f}" for f in ("json", "xml")]
    samples += [f"/open311/v2/services/{category}.{f}" for f in ("json", "xml")]
    samples += [f"/open311/v2/requests.{f}" for f in ("json", "xml")]
    samples += [f"/open311/v2/requests.json?status={s}" for s in ("open", "closed")]
    samples += [f"/open311/v2/requests.json?service_code={category}", "/open311/v2/requests.json?page_size=500"]
    for report in world.reports.values():
        samples += [f"/open311/v2/requests/{report.tracking_code}.{f}" for f in ("json", "xml")]
    samples += [f"/open311/v2/tokens/{code}.json", "/open311/v2/khong-ton-tai"]
    samples += ["/sta/v1.1/" + p for p in ("Things", "Sensors", "Locations", "Datastreams", "ObservedProperties")]
    samples += ["/sta/v1.1/Observations?$top=200", "/sta/v1.1/Things?$expand=Datastreams", "/sta/v1.1/khong"]
    samples += ["/sta/v1.1/CreateObservations"]
    return samples


def query_samples(world: World) -> list[str]:
    """Plain routes once more with the query strings that list or open data."""
    samples = [f"/phan-anh/cong-khai/?category={world.category.code}", "/phan-anh/cong-khai/?page=2"]
    samples += ["/phan-anh/ban-do/du-lieu.geojson?bbox=100,5,115,25", "/api/v1/geo/lookup/?lat=20.9&lon=106.0"]
    # the public map's layers, as points and as clusters (issue 20)
    for layer in ("citizen_reports", "sensors", "warnings"):
        samples += [f"/api/v1/maps/public/layers/{layer}/?bbox=100,5,115,25&zoom={zoom}" for zoom in (16, 6)]
    for label, report in world.reports.items():
        samples.append(f"/phan-anh/tra-cuu/{report.tracking_code}/")
        token = world.private_tokens.get(label)
        if token:
            samples.append(f"/phan-anh/tra-cuu/{report.tracking_code}/?t={token}")
        samples.append(f"/phan-anh/tra-cuu/?code={report.tracking_code}")
    return samples


def post_samples() -> list[tuple[str, str, dict[str, str]]]:
    """Public answers reached by POST (path, content type, data): the citizens' dossier lookup, page and API, with
    the crawl dossier's own code and canary contact, so the answer found is the one that must not echo it (R5.3)."""
    data = {"code": CRAWL_DOSSIER, "contact": CANARY_CONTACT}
    return [("/ho-so/tra-cuu/", "form", data), ("/api/v1/dossiers/lookup/", "json", data)]


def crawl_posts(client: Client, samples: list[tuple[str, str, dict[str, str]]]) -> list[str]:
    """As `crawl`, for `post_samples`; each lookup must find its dossier, or the check would prove nothing."""
    problems = []
    for path, kind, data in samples:
        if kind == "json":
            response = client.post(path, data, content_type="application/json")
        else:
            response = client.post(path, data)
        if response.status_code != 200:
            problems.append(f"POST {path}: answers {response.status_code}, expected the dossier found")
        problems += [f"POST {path} ({response.status_code}): {leak}" for leak in canary_leaks(response.content)]
    return problems


def public_paths(world: World, urlconf: str | None = None) -> tuple[list[str], list[str]]:
    """Every path to ask (one per PUBLIC pattern and variant, the samples) and the patterns it cannot reach."""
    patterns = [p for p in registry_patterns(urlconf) if p.policy is not None and p.policy.kind == "public"]
    paths: list[str] = []
    unreached: list[str] = []
    for pattern in patterns:
        if "^" in pattern.route:
            continue  # a regex route: reached by the samples (checked below)
        found, missing = _paths(pattern, world)
        if missing:
            found, missing = _extra_paths(pattern, world), []
        paths += found.values()
        if not found:
            unreached.append(f"{pattern.url_name} (/{pattern.route}): add a value to EXTRA_PARAMS")
    if urlconf is None:
        paths += regex_samples(world) + query_samples(world)
    reached = {resolve(p.split("?")[0], urlconf).view_name for p in paths}
    unreached += [
        f"{p.url_name} (/{p.route}): add a sample to regex_samples"
        for p in patterns
        if p.url_name not in reached and "^" in p.route
    ]
    return paths, unreached


def _extra_paths(pattern: Pattern, world: World) -> dict[str, str]:
    from django.urls import reverse

    if not all(param in EXTRA_PARAMS for param in pattern.params):
        return {}
    kwargs = {param: EXTRA_PARAMS[param](world) for param in pattern.params}
    return {pattern.url_name: reverse(pattern.url_name, kwargs=kwargs)}


def crawl(client: Client, paths: list[str]) -> list[str]:
    """The leaks (path, status, canary and context) and the server errors of the walk."""
    problems = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 500:
            problems.append(f"{path}: answers {response.status_code}")
        streamed = getattr(response, "streaming_content", None)
        body = b"".join(streamed) if response.streaming and streamed is not None else response.content
        problems += [f"{path} ({response.status_code}): {leak}" for leak in canary_leaks(body)]
    return problems


def _leaking_view(request: HttpRequest) -> JsonResponse:
    """A deliberately leaking public view: the last reporter's contact, as a careless JSON API would."""
    contact = ReporterContact.objects.latest("pk")
    fields = ("name_encrypted", "phone_encrypted", "email_encrypted")
    return JsonResponse({name: decrypt(getattr(contact, name)) for name in fields})


urlpatterns: list[URLPattern | URLResolver] = [route("ro-ri/", _leaking_view, policy=PUBLIC, name="leak")]


class CanaryCrawlTest(TestCase):
    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = world_create()
        people = cls.world.people
        lat, lon = point_in(cls.world.unit.code)
        for anonymous in (True, False):
            received = services.report_receive(
                channel="web",
                category=cls.world.category,
                description=f"Gọi {CANARY_PHONE} hoặc 090 000 0777, thư {CANARY_EMAIL}.",
                lat=lat,
                lon=lon,
                contact=services.ContactInput(
                    name="Trần Thị Canary", phone=CANARY_PHONE, email=CANARY_EMAIL, consent_processing=True
                ),
                photos=[image_clean(cls.world_photo())],
                anonymous_to_public=anonymous,
            )
            label = f"canary-{'anonymous' if anonymous else 'named'}"
            cls.world.reports[label] = publish_report(
                received.report,
                operator=people.operator,
                officer=people.officer_a,
                result=f"Đã gọi lại {CANARY_PHONE}, thư {CANARY_EMAIL}: người phản ánh xác nhận.",
            )
            cls.world.private_tokens[label] = received.private_token or ""

    @staticmethod
    def world_photo() -> bytes:
        from ioc.citizen_reports.tests.test_public_support import jpeg_bytes

        return jpeg_bytes(640, 480)

    def test_no_public_answer_carries_a_canary(self) -> None:
        paths, unreached = public_paths(self.world)
        self.assertEqual(unreached, [])
        self.assertGreater(len(paths), 60)
        self.assertEqual(Report.objects.filter(status="published").count(), 3)
        problems = crawl(Client(), paths) + crawl_posts(Client(), post_samples())
        self.assertEqual(problems, [], "\n".join(problems))

    def test_the_crawl_finds_a_deliberately_leaking_public_view(self) -> None:
        with override_settings(ROOT_URLCONF=__name__):
            paths, unreached = public_paths(self.world, urlconf=__name__)
            self.assertEqual((paths, unreached), (["/ro-ri/"], []))
            problems = crawl(Client(), paths)
        self.assertTrue(any("'canary.invalid'" in p for p in problems), problems)
        self.assertTrue(any("'0900000'" in p for p in problems), problems)
        self.assertTrue(any("'canary'" in p and "Trần Thị" in p for p in problems), problems)
