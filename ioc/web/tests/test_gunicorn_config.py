"""config/gunicorn.py: gthread workers, 2 × cores by default, loopback bind on PORT, dead workers marked."""

import importlib.util
import os
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import SimpleTestCase

CONFIG = Path(settings.BASE_DIR) / "config" / "gunicorn.py"


def load(**env):
    with mock.patch.dict(os.environ, env, clear=False):
        for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "PORT"):
            if name not in env:
                os.environ.pop(name, None)
        spec = importlib.util.spec_from_file_location("gunicorn_config_under_test", CONFIG)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


class GunicornConfigTest(SimpleTestCase):
    def test_it_uses_gthread_workers_two_per_core_on_the_loopback(self):
        config = load()
        self.assertEqual(config.worker_class, "gthread")
        self.assertEqual(config.workers, 2 * (os.cpu_count() or 1))
        self.assertEqual(config.bind, "127.0.0.1:8000")

    def test_it_follows_port_and_web_concurrency(self):
        config = load(PORT="8123", WEB_CONCURRENCY="3")
        self.assertEqual((config.bind, config.workers), ("127.0.0.1:8123", 3))

    def test_it_clears_stale_metric_files_when_the_master_starts(self):
        with tempfile.TemporaryDirectory() as directory:
            stale = Path(directory) / "counter_123.db"
            stale.write_bytes(b"x")
            config = load(PROMETHEUS_MULTIPROC_DIR=directory)
            with mock.patch.dict(os.environ, {"PROMETHEUS_MULTIPROC_DIR": directory}):
                config.on_starting(None)
                self.assertFalse(stale.exists())
                config.child_exit(None, mock.Mock(pid=123))  # marks the dead worker without error
