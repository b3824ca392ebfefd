"""/metrics merges the metric files of every gunicorn worker in multiprocess mode (PROMETHEUS_MULTIPROC_DIR)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from ioc.web.metrics import exposition

ROOT = Path(settings.BASE_DIR)
WORKER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
django.setup()
from ioc.web.metrics import REQUESTS
REQUESTS.labels("GET", "web:home", "2xx").inc(3)
"""


class MultiprocessMetricsTest(SimpleTestCase):
    databases = {"default"}  # /metrics also reads federation's lag and backlog from the database (R9.3)

    def test_it_adds_up_the_counts_written_by_other_processes(self):
        with tempfile.TemporaryDirectory() as directory:
            env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": directory}
            for _worker in range(2):
                subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, env=env, check=True, timeout=120)
            self.assertTrue(list(Path(directory).glob("counter_*.db")))
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
            try:
                body, content_type = exposition()
            finally:
                del os.environ["PROMETHEUS_MULTIPROC_DIR"]
        self.assertTrue(content_type.startswith("text/plain"))
        self.assertIn('ioc_http_requests_total{method="GET",route="web:home",status="2xx"} 6.0', body.decode())
