"""Across apps, code imports only another app's models, choices, selectors and services (DESIGN "rooms")."""

import ast
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

IOC = Path(__file__).resolve().parents[2]
ALLOWED = {"models", "choices", "selectors", "services"}
# Shared infrastructure any app may use; the top layer may import anything.
OPEN_APPS = {"common"}
TOP_LAYER = {"web", "demo"}
# Test helpers: another app's `testing` module (personas, fixtures) may be used by tests.
TEST_ONLY = {"testing"}
# Data migrations: another app's `migration_ops` (helpers on historical models only, e.g. the escalation chains').
MIGRATION_ONLY = {"migration_ops"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return [name for name in found if name.startswith("ioc.")]


def violations(root: Path = IOC) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        app = rel.parts[0]
        if app in TOP_LAYER or len(rel.parts) < 2:
            continue
        in_tests = "tests" in rel.parts
        in_migrations = "migrations" in rel.parts
        for name in _imports(path):
            parts = name.split(".")
            if len(parts) < 3 or parts[1] in (app, *OPEN_APPS):
                continue
            room = parts[2]
            if room in ALLOWED or (in_tests and room in TEST_ONLY) or (in_migrations and room in MIGRATION_ONLY):
                continue
            if len(parts) == 3 and room[:1].isupper():  # `from ioc.x import SomeName` is not a module
                continue
            bad.append(f"ioc/{rel}: imports {'.'.join(parts[:3])}")
    return sorted(set(bad))


class AppBoundariesTest(SimpleTestCase):
    def test_it_finds_no_import_of_another_apps_internals(self):
        self.assertEqual(violations(), [])

    def test_it_flags_an_import_of_another_apps_views(self):
        with tempfile.TemporaryDirectory() as tmp:
            app = Path(tmp) / "alpha"
            app.mkdir()
            (app / "services.py").write_text("from ioc.beta.views import page\nfrom ioc.beta.selectors import x\n")
            self.assertEqual(violations(Path(tmp)), ["ioc/alpha/services.py: imports ioc.beta.views"])
