"""Test settings: fixed secrets, no TLS redirect, tasks run inline, fast password hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "s" * 40)
os.environ.setdefault("AUDIT_KEY", "test-audit-key-" + "a" * 40)
os.environ.setdefault("TOKEN_HMAC_KEY", "test-token-key-" + "t" * 40)
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "test-field-key-" + "f" * 40)
os.environ.setdefault("IOC_TLS", "0")
os.environ.setdefault("IOC_VAR_DIR", tempfile.mkdtemp(prefix="ioc-test-"))

from config.settings import *  # noqa: F403
from config.settings import HUEY

HUEY = {**HUEY, "immediate": True}
# Argon2 stays the production hasher (a test checks settings.py); tests hash fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No cache database (a SQLite deployment's): tests that point the cache at a table create it in `default`.
DATABASES = {"default": DATABASES["default"]}
if DATABASES["default"]["ENGINE"] == "ioc.common.sqlite":
    # The test database is in memory (no lock file to queue on); pytest-django recognises in-memory SQLite by
    # Django's own ENGINE name. ioc/common/tests/test_sqlite_backend.py tests the lock on files.
    DATABASES["default"] = {**DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
DATABASE_ROUTERS = []
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The per-address sign-in and bearer-token limits (ioc.common.ratelimit, on in production) would count every test's
# 127.0.0.1 in one process-wide cache: off here; their own tests switch them on with RATE_LIMITS.
RATE_LIMITS = {"accounts.login.addr": None, "api.token_fail.addr": None}
# The map's per-process memo (ioc.maps.memo) would outlive each test's data: off; its own tests switch it on.
MAPS_CACHE_SECONDS = 0
# The stored compact layers are keyed by MAX(id) stamps, which a rolled-back test's ids repeat: off; tested alone.
MAPS_LAYER_STORE_SECONDS = 0
# The operator's queue kept 2 s per user (ioc.web.queue_items) would hide a test's new rows made by another actor
# between two reads of the same page: off; test_queue_items switches it on.
IOC_QUEUE_CACHE_SECONDS = 0
# No browser behind the checks' defacement in the ordinary tests; the browser-marked screenshot test turns it on.
CYBER_SCREENSHOT_CHROMIUM = ""
