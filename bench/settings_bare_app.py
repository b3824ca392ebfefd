"""Settings of the middleware-free bare app (issue 16 item 6): the production settings with no middleware at all and
a URL conf holding only the bare views (bench/bare_app_urls.py).

The same bare views also run inside the product's server (bench/settings_bench.py), behind its middleware: the two
side by side in one run show what a public request pays before and after its view — middleware, session, locale,
URL resolution through the access registry — and Open311 against this app shows the whole application layer.
"""

from config.settings import *  # noqa: F403

MIDDLEWARE = []
ROOT_URLCONF = "bench.bare_app_urls"
