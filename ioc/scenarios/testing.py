"""Scenarios' fixtures for other apps' tests: the ready scenarios of the demo profiles and their triggers (what an
app whose alerts start a ready scenario tests against)."""

from ioc.scenarios.demo import READY, ready_triggers

__all__ = ["READY", "ready_triggers"]
