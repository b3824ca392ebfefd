"""Settings of the crash-safety harness's processes: the production settings (config/settings.py) and a few
overrides only, all about observing the outside world, never about the code paths under test.

- e-mail goes to files under IOC_VAR_DIR/mail (Django's file backend): the harness reads the delivery ids
  (`X-IOC-Delivery-Id`) back to prove each outbox row reached the receiver;
- the harness's token gets a high rate limit (RATE_LIMIT_TOKEN_OVERRIDES, as bench/settings_bench.py does);
- every sender of the harness is one address (127.0.0.1), standing for many clients: its per-address Open311
  limit is lifted, so the shared-limit check counts only the plain token's own key (`open311.post.key`) and
  need not wait for a minute the load left untouched;
- the test client's host name is allowed, for the world's set-up in-process;
- the harness's loopback CSV source (bench/load/connectors.py) is allow-listed for the outbound client, as an
  administrator allow-lists a source on the IOC's own network (OUTBOUND_ALLOWED_CIDRS).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, VAR_DIR

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
_prefix = os.environ.get("BENCH_TOKEN_PREFIX", "")
RATE_LIMIT_TOKEN_OVERRIDES = {_prefix: 10**9} if _prefix else {}
RATE_LIMITS = {"open311.post.addr": None}
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
OUTBOUND_ALLOWED_CIDRS = ["127.0.0.1/32"]
