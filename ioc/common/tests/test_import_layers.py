"""The layers of DESIGN "Layout" are enforced by import-linter (pyproject.toml), not only written down.

A copy of the sources (Python files only) in a temporary directory gets one planted upward import; running
`lint-imports` on the copy must fail naming the layers contract. Nothing is written inside the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "Layers: top, feature apps, foundation apps in their order, common"


def _sources_only(directory: str, names: list[str]) -> list[str]:
    """shutil.copytree's ignore: keep packages and .py files, skip caches, data and templates."""
    return [
        name
        for name in names
        if name == "__pycache__" or not (name.endswith(".py") or os.path.isdir(os.path.join(directory, name)))
    ]


class ImportLayersTest(SimpleTestCase):
    def _lint(self, planted: dict[str, str]) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix="ioc-layers-") as tmp:
            copy = Path(tmp)
            for package in ("ioc", "config"):
                shutil.copytree(ROOT / package, copy / package, ignore=_sources_only)
            shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
            for relative, text in planted.items():
                (copy / relative).write_text(text, encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(copy)}
            return subprocess.run(
                [str(LINT_IMPORTS), "--no-cache", "--config", str(copy / "pyproject.toml")],
                cwd=copy,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

    def test_the_project_keeps_its_layers_and_the_copy_is_removed(self):
        before = set(Path(tempfile.gettempdir()).glob("ioc-layers-*"))
        result = self._lint({})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(f"{CONTRACT} KEPT", result.stdout)
        self.assertEqual(set(Path(tempfile.gettempdir()).glob("ioc-layers-*")), before)

    def test_a_planted_upward_import_breaks_the_layers_contract(self):
        planted = {
            # a foundation app reading a feature app (the example)
            "ioc/geo/planted_upward.py": "from ioc.citizen_reports import selectors  # noqa: F401\n",
            # the reused feature app reading the one that uses it
            "ioc/assignments/planted_upward.py": "from ioc.citizen_reports import models  # noqa: F401\n",
            # audit reading accounts again (Role now lives in ioc.common.roles)
            "ioc/audit/planted_upward.py": "from ioc.accounts.choices import Role  # noqa: F401\n",
        }
        result = self._lint(planted)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"{CONTRACT} BROKEN", result.stdout)
        for line in (
            "ioc.geo.planted_upward -> ioc.citizen_reports.selectors",
            "ioc.assignments.planted_upward -> ioc.citizen_reports.models",
            "ioc.audit.planted_upward -> ioc.accounts.choices",
        ):
            self.assertIn(line, result.stdout)
        for relative in planted:
            self.assertFalse((ROOT / relative).exists())
