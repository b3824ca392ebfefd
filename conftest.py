"""Test-session wiring shared by every app's tests."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

# --- Reference data (geo): loaded ONCE per test session (per xdist worker) into the test database. ---------------
# Tests see a small subset (ioc.geo.testing.SUBSET: province 33 with 20 communes, plus 00070 and 25270 with their
# provinces and legacy predecessors). A TransactionTestCase (or a `transaction=True` test) flushes every table
# when it ends, so after such a test, once all its fixtures are torn down, the subset is loaded again.
_GEO_RESTORE = pytest.StashKey[Any]()


def _load_reference_data() -> None:
    """The subset is loaded as the system account (every write has a real actor), which stays for the session
    like the reference data: setup and background writes of every test act as it (`system_actor()`)."""
    from ioc.accounts.testing import system_actor
    from ioc.geo.testing import load_subset

    load_subset(actor=system_actor())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference_data()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    from django.test import TestCase, TransactionTestCase

    cls = request.cls
    if cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
        return True
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _geo_reference_data_watch(request, django_db_blocker):
    if _is_transactional(request):
        request.node.stash[_GEO_RESTORE] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    result = yield
    blocker = item.stash.get(_GEO_RESTORE, None)
    # The session's last test: the test database is already destroyed, nothing to restore.
    if blocker is not None and nextitem is not None:
        from ioc.geo.models import AdminUnit

        with blocker.unblock():
            if not AdminUnit.objects.exists():
                from ioc.common import refcache

                refcache.forget_all()  # the flush emptied every table: no process copy (system account…) holds
                _load_reference_data()
    return result


# --- Shared cache: every test starts with an empty one (rate-limit counters, cached statistics, geo index version;
# also the process's reference data), so a test never depends on what an earlier test in the same worker left
# behind. -------------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _empty_cache() -> Generator[None, Any, Any]:
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    from ioc.common import refcache

    refcache.forget_all()  # rolled-back tests leave other territories, categories, information systems behind

    # A test that points the cache at a database table creates that table itself, after this fixture.
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()
    yield


# --- Language: every test starts in the default language (Vietnamese). A request in English through the test client
# leaves English active in the worker's thread, and a later template rendered outside a request would read it. ---
@pytest.fixture(autouse=True)
def _default_language() -> Generator[None, Any, Any]:
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def chromium_path() -> str:
    """Debian's chromium for the browser tests: with CI set a missing one fails with the install command."""
    from ioc.common.testing import CHROMIUM, require_component

    return require_component(CHROMIUM, install="install chromium: sudo bash scripts/system-deps")
