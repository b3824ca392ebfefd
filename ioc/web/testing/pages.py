"""What the crawl visits (issue 19): every URL pattern of the access registry (`ioc.common.access`) that answers
GET with an HTML page, with its path parameters filled from the fixture world, as every persona its policy
admits (public pages anonymously). Shared by the crawl test, the planted-fault test and `make screenshots`.

A pattern is probed first with Django's test client, per persona: 200 with a whole HTML document is a page;
a redirect, a file, JSON, an HTML fragment or 405 (POST only) is listed as "not a page". A pattern whose
parameter has no fixture value, or whose every variant answers an error to an admitted persona, is a fault with
the line to add to FIXTURE_PARAMS: never silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ioc.accounts.models import User
from ioc.accounts.testing import sign_in
from ioc.common.access import Policy, policy_of
from ioc.web.testing.world import WORLD_FILE, World, fixture_value

# Whole branches that are not our pages: each says why.
EXCLUDED_PREFIXES = {
    "admin/": "Django's own admin site (its templates are Django's, not the IOC's)",
    "api/": "JSON API (its contract is the OpenAPI schema and the fuzzing stage)",
    "open311/": "Open311 GeoReport v2 (JSON/XML)",
    "sta/": "OGC SensorThings API 1.1 (JSON), tested in ioc/sensors/tests",
}
# Single endpoints that are not pages for people, by URL name: each says why.
EXCLUDED_NAMES = {
    "web:healthz": "liveness probe for the load balancer (plain text), tested in ioc/web/tests",
    "web:readyz": "readiness probe (JSON; 503 without a worker), tested in test_readiness.py",
    "web:metrics": "Prometheus metrics for an allow-listed scraper, tested in test_metrics.py",
}
PUBLIC_LANGUAGES = ("vi", "en")
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Pattern:
    """One registry pattern: its full route, its URL name (namespace:name) and its policy."""

    route: str
    url_name: str
    policy: Policy | None

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in PARAM.finditer(self.route)]


@dataclass(frozen=True)
class Target:
    """One page to visit as one persona: `label` names the page (URL name, and the variant in brackets)."""

    label: str
    url_name: str
    path: str
    persona: str
    languages: tuple[str, ...] = ("vi",)


@dataclass
class Plan:
    """The crawl's pages, what was not a page (and why), and the faults found while planning."""

    targets: list[Target] = field(default_factory=list)
    not_pages: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)  # persona → session cookie (shared with the browser)


def registry_patterns(urlconf: str | None = None) -> list[Pattern]:
    """Every concrete pattern of the URL map with its namespaced name, in URL order."""

    def walk(items: Sequence[URLPattern | URLResolver], prefix: str, ns: str) -> Iterable[Pattern]:
        for item in items:
            if isinstance(item, URLPattern):
                name = f"{ns}{item.name}" if item.name else ""
                yield Pattern(prefix + str(item.pattern), name, policy_of(item.callback))
            else:
                inner = f"{ns}{item.namespace}:" if item.namespace else ns
                yield from walk(item.url_patterns, prefix + str(item.pattern), inner)

    return list(walk(get_resolver(urlconf).url_patterns, "", ""))


def admitted(policy: Policy | None, personas: dict[str, User | None]) -> list[str]:
    """The personas a policy admits: public pages anonymously only, the others every signed-in persona it allows."""
    if policy is None:
        return []
    if policy.kind == "public":
        return ["anonymous"]
    return [name for name, user in personas.items() if user is not None and policy.allows(user)]


def _paths(pattern: Pattern, world: World | None) -> tuple[dict[str, str], list[str]]:
    """label → path for each variant of the pattern's parameters, and the faults (a missing parameter)."""
    if not pattern.params:
        return {pattern.url_name: reverse(pattern.url_name)}, []
    values: dict[str, dict[str, Any]] = {}
    missing = []
    for param in pattern.params:
        found = fixture_value(world, pattern.url_name, param)
        if found is None:
            missing.append(
                f"{pattern.url_name} (/{pattern.route}): no fixture value for `{param}`: "
                f"add `{param}` for `{pattern.url_name}` to FIXTURE_PARAMS in {WORLD_FILE}"
            )
        else:
            values[param] = found
    if missing:
        return {}, missing
    # One parameter may have variants (label → value); the others have one value each.
    varied = next((p for p in pattern.params if len(values[p]) > 1), None)
    labels = list(values[varied]) if varied else [""]
    paths = {}
    for label in labels:
        kwargs = {p: (values[p][label] if p == varied else next(iter(values[p].values()))) for p in pattern.params}
        paths[f"{pattern.url_name}[{label}]" if label else pattern.url_name] = reverse(pattern.url_name, kwargs=kwargs)
    return paths, []


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


def _kind(response: Any) -> str:
    """'page', or why the answer is not a page."""
    if response.status_code in (301, 302, 303, 307, 308):
        return f"redirects ({response.status_code}) to {response.get('Location', '')}"
    if response.status_code == 405:
        return "POST only (405)"
    if response.status_code >= 400:
        return f"error {response.status_code}"
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        return f"not HTML ({content_type.split(';')[0]})"
    if getattr(response, "streaming", False) or b"<html" not in response.content[:2000].lower():
        return "an HTML fragment"
    return "page"


def _probe(plan: Plan, pattern: Pattern, persona: str, client: Client, paths: dict[str, str]) -> None:
    answers = {label: _kind(client.get(path)) for label, path in paths.items()}
    errors = {label: kind for label, kind in answers.items() if kind.startswith("error")}
    if errors and len(errors) == len(answers):
        hint = (
            f"the fixture world has no object for {', '.join(pattern.params)} that {persona} may see: "
            f"add `{pattern.params[-1]}` for `{pattern.url_name}` to FIXTURE_PARAMS in {WORLD_FILE}"
            if pattern.params
            else "the page fails for a persona its policy admits"
        )
        plan.faults.append(f"{pattern.url_name} as {persona}: answers {sorted(set(errors.values()))}: {hint}")
        return
    languages = PUBLIC_LANGUAGES if persona == "anonymous" else ("vi",)
    for label, kind in answers.items():
        if kind == "page":
            plan.targets.append(Target(label, pattern.url_name, paths[label], persona, languages))
        elif not kind.startswith("error"):  # an error on one variant only: out of this persona's scope
            plan.not_pages.append(f"{label} as {persona}: {kind}")


def plan_crawl(
    world: World | None,
    *,
    urlconf: str | None = None,
    only: Iterable[str] | None = None,
    personas: dict[str, User | None] | None = None,
) -> Plan:
    """Every page × admitted persona of the registry (or of `urlconf`), probed; `only` limits to URL names.
    Without a world (the planted-fault test) the only persona is anonymous and no parameter has a value."""
    plan = Plan()
    if personas is None:
        personas = world.personas() if world is not None else {"anonymous": None}
    clients = {name: _client(user) for name, user in personas.items()}
    plan.sessions = {
        name: client.cookies[settings.SESSION_COOKIE_NAME].value
        for name, client in clients.items()
        if settings.SESSION_COOKIE_NAME in client.cookies
    }
    wanted = set(only) if only is not None else None
    for pattern in registry_patterns(urlconf):
        if any(pattern.route.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
            continue
        if pattern.url_name in EXCLUDED_NAMES or (wanted is not None and pattern.url_name not in wanted):
            continue
        if not pattern.url_name:
            plan.faults.append(f"/{pattern.route}: a pattern without a name cannot be crawled: give it `name=`")
            continue
        paths, missing = _paths(pattern, world)
        plan.faults.extend(missing)
        if not paths:
            continue
        for persona in admitted(pattern.policy, personas):
            _probe(plan, pattern, persona, clients[persona], paths)
    return plan
