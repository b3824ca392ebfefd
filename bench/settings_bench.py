"""Settings of the benchmark server: the production settings (config/settings.py) with two overrides only.

- ROOT_URLCONF adds the bare views (bench/bare_urls.py) in front of config.urls;
- the benchmark key's rate limit is raised (RATE_LIMIT_TOKEN_OVERRIDES, issue 3: "the benchmark key has a high
  limit by configuration"): BENCH_TOKEN_PREFIX names the key, the load comes from one loopback address.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
_prefix = os.environ.get("BENCH_TOKEN_PREFIX", "")
RATE_LIMIT_TOKEN_OVERRIDES = {_prefix: 10**9} if _prefix else {}
