"""Scenarios' fixtures for other apps' tests: the ready scenarios of the demo profiles and their triggers (what an
app whose alerts start a ready scenario tests against)."""

from ioc.scenarios.demo import READY, ready_triggers
from ioc.scenarios.tests.support import ScenarioMixin, territory  # other apps' tests use them

__all__ = ["READY", "ScenarioMixin", "ready_triggers", "territory"]
