"""Fuzzing: schemathesis generates requests from our own OpenAPI schema and checks every answer against it.

Runs in CI's "fuzzing" stage (`pytest -m fuzz`, `make fuzz`), not in `make test`'s suite. No answer may be a 5xx, and
every answer must match the documented responses (the shared error body for 4xx included). Every operation is called
anonymously, as the persona its access policy admits (`ioc/accounts/testing.py`: a signed-in session with a CSRF
token) and, where its policy takes a token, as the information system's token (R7.4). Generation is derandomised
(the same cases on every run) and bounded: IOC_FUZZ_EXAMPLES cases per operation and caller (default 20; `make
fuzz-long` runs 200).
"""

import json
import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings

from ioc.accounts.testing import personas_create, sign_in
from ioc.common.access import policy_of
from ioc.common.plaintext import json_has_nul
from ioc.common.roles import Role

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("IOC_FUZZ_EXAMPLES", "20"))
CSRF = "FuzzCsrfToken0123456789abcdefABCD"  # 32 characters: Django takes an unmasked secret in cookie and header


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, which closes the database connection at each request's end
    (`close_old_connections`): harmless on SQLite, but on PostgreSQL it closes the connection holding the test's
    transaction. Django's test client disconnects the same handlers; so do we, for the test's duration."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


def _operations():
    return {result.ok().label: result.ok() for result in _schema().get_all_operations()}


# Operations whose schema-valid input may still be refused by a documented domain rule (a 400 naming the field):
# the point lookup answers 400 for a point outside the country and the unit list 400 for an unknown `parent`
# code, which no JSON schema can express; raising an alert answers 400 for a `source` or `kind` missing from their
# registries (incidents/choices.py KINDS) — and for a severity outside 1–5, which the schema could say (left to the
# incidents app); a dataValueSets CSV body must be UTF-8 text with its header row (the schema says only "string");
# a camera event names a camera registered to the caller's agency by its code, and a rule an observed property of
# the catalogue with a clear condition its raise condition can reach (ioc/sensors/rules_catalogue.py); a map
# layer's `bbox` must also be west < east, south < north and inside the earth's ranges (ioc/maps/layers.py); pushed
# online items name an active export or platform source configured by the administrator (ioc/media_watch).
DOMAIN_REFUSALS = {
    "GET /api/v1/geo/lookup/",
    "GET /api/v1/geo/units/",
    "POST /api/v1/incidents/alerts/",
    "POST /api/v1/indicators/dataValueSets/",
    "POST /api/v1/sensors/cameras/events/",
    "POST /api/v1/sensors/rules/",
    "GET /api/v1/maps/layers/{layer}/",
    "GET /api/v1/maps/public/layers/{layer}/",
    "POST /api/v1/media-watch/items/",
}

# The persona who holds a role of a policy (the first that matches, in this order).
ROLE_PERSONAS = [
    (Role.IOC_OPERATOR, "operator"),
    (Role.IOC_LEADER, "leader"),
    (Role.AGENCY_OFFICER, "officer_a"),
    (Role.SYSTEM_ADMIN, "admin"),
    (Role.CITIZEN, "citizen"),
    (Role.INFORMATION_SYSTEM, "token"),  # an information system acts only through its token
]


def _policy(operation):
    path = re.sub(r"\{[^}]+\}", "1", operation.path)
    try:
        return policy_of(resolve(path).func)
    except Resolver404:
        return None


def _callers(operation) -> list[str]:
    """Anonymous, the persona the policy admits (if any) and the token (if the policy takes one)."""
    policy = _policy(operation)
    callers = ["anonymous"]
    if policy is None or policy.kind == "public":
        return callers
    if policy.kind == "authenticated":
        callers.append("citizen")
    for role, persona in ROLE_PERSONAS:
        if role in policy.roles:
            callers.append(persona)
            break
    if policy.token_scopes and "token" not in callers:
        callers.append("token")
    return callers


def _headers(caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    people = personas_create()
    if caller == "token":
        return {"Authorization": f"Bearer {people.system_token}"}
    client = Client()
    sign_in(client, getattr(people, caller))
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}


def _escapes_nul(body) -> bool:
    """A generated JSON body holding a NUL or a lone surrogate: schema-valid, but no JSON entry point takes it
    (PostgreSQL cannot store either), which no JSON schema can say for free-form values."""
    try:
        return json_has_nul(json.dumps(body).encode())
    except (TypeError, ValueError):  # not a JSON body (a form, bytes)
        return False


CASES = sorted((label, caller) for label, operation in _operations().items() for caller in _callers(operation))


@pytest.mark.parametrize(("label", "caller"), CASES)
def test_it_answers_generated_requests_as_documented(label, caller):
    operation = _operations()[label]
    excluded = [schemathesis.checks.positive_data_acceptance] if label in DOMAIN_REFUSALS else []
    # Layers and boundaries are gzip'd for a client that accepts it (Django's gzip_page); schemathesis's WSGI
    # transport would not inflate them before checking the body against the schema.
    headers = {**_headers(caller), "Accept-Encoding": "identity"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
    )
    def check(case):
        skip = excluded
        if _escapes_nul(case.body):  # refused by every JSON entry point (ioc.common.plaintext.json_has_nul): a 400
            skip = [*excluded, schemathesis.checks.positive_data_acceptance]
        case.call_and_validate(headers=headers, excluded_checks=skip)

    check()


def test_every_operation_with_a_policy_beyond_public_gets_an_authenticated_caller():
    """The fuzzing reaches past the door: an operation that is not public is also called as someone it admits."""
    missing = [
        label
        for label, operation in _operations().items()
        if (policy := _policy(operation)) is not None and policy.kind != "public" and len(_callers(operation)) == 1
    ]
    assert missing == []
