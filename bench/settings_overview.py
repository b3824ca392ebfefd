"""Settings of the overview benchmark server: bench/settings_bench.py, with the overview's and the statistics'
cache lifetimes taken from the environment (the benchmark measures them on and off)."""

import os

from bench.settings_bench import *  # noqa: F403

IOC_OVERVIEW_CACHE_SECONDS = int(os.environ.get("IOC_OVERVIEW_CACHE_SECONDS", "2"))
CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS = int(os.environ.get("CITIZEN_REPORTS_STATISTICS_CACHE_SECONDS", "60"))
