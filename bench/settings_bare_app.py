"""Settings of the middleware-free bare app (issue 16 item 6): the production settings with no middleware at all and
a URL conf holding only the bare views (bench/bare_app_urls.py).

The same bare views also run inside the product's server (bench/settings_bench.py), behind its middleware: the two
side by side in one run show what a public request pays before and after its view — middleware, session, locale,
URL resolution through the access registry — and Open311 against this app shows the whole application layer.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE as PRODUCT_MIDDLEWARE

# `open311_bench.py --only split`: BENCH_MIDDLEWARE_STAGE=k keeps the product's middleware up to the end of stage k
# (in the product's order, so each keeps what it depends on); 0 (the default) is none at all. The access policy and
# axes are not among them: the bare URLs carry no policy; the product's server behind all of it is "bare GET".
MIDDLEWARE_STAGES: list[tuple[str, int]] = [
    ("none", 0),
    ("request id, metrics", 2),
    ("security, static files, security headers", 5),
    ("session", 6),
    ("locale (Vietnamese first)", 7),
    ("common, CSRF", 9),
    ("authentication, second factor, session expiry, the queue's write stamp", 14),
    ("messages, frame options, htmx", 17),
]
MIDDLEWARE = list(PRODUCT_MIDDLEWARE[: MIDDLEWARE_STAGES[int(os.environ.get("BENCH_MIDDLEWARE_STAGE", "0"))][1]])
ROOT_URLCONF = "bench.bare_app_urls"
