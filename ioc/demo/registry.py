"""Every app's demo generator, in the order `demo_load` runs them (DESIGN "Demo data", R11).

A generator is `generate(*, profile, rng, until) -> dict[str, int]` in `ioc/<app>/demo.py`: it drives the last
14 days through the real services (older history through a documented bulk service) and stays under 60 s per
profile. The foundation (units, territory, agencies, demo accounts, systems and tokens) comes first.
Add a line here when an app gains its `demo.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

GENERATORS: tuple[tuple[str, str], ...] = (
    # (app label, module holding `generate`)
    ("demo", "ioc.demo.foundation"),
    ("citizen_reports", "ioc.citizen_reports.demo"),
    ("incidents", "ioc.incidents.demo"),
    ("datahub", "ioc.datahub.demo"),
    ("sharing", "ioc.sharing.demo"),
    ("sensors", "ioc.sensors.demo"),
    ("indicators", "ioc.indicators.demo"),
    ("scenarios", "ioc.scenarios.demo"),
    ("cybersecurity", "ioc.cybersecurity.demo"),
    ("media_watch", "ioc.media_watch.demo"),
    ("operations", "ioc.operations.demo"),
    ("dossiers", "ioc.dossiers.demo"),
    ("reporting", "ioc.reporting.demo"),
    ("federation", "ioc.federation.demo"),
)


@dataclass(frozen=True)
class Generator:
    app_label: str
    module: str
    generate: Callable[..., dict[str, Any]]


def generators() -> list[Generator]:
    """The generators of installed apps, in order."""
    found = []
    for label, module_name in GENERATORS:
        if not apps.is_installed(f"ioc.{label}"):
            continue
        module = importlib.import_module(module_name)
        found.append(Generator(label, module_name, module.generate))
    return found
