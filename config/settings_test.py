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
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
