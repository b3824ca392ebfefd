"""IOC settings: wiring only. Every value comes from the environment through helpers that fail loudly.

Secrets (SECRET_KEY, AUDIT_KEY, FIELD_ENCRYPTION_KEY, TOKEN_HMAC_KEY) are required unless DEBUG is on;
`make demo` writes a private `var/demo.env` with random ones on its first run. What the environment cannot
refuse on its own (a missing or weak secret, a public address on the loopback) the system checks of
`ioc/common/checks.py` report: `manage.py check --deploy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from ioc.common.env import env_bool, env_int, env_list, env_secret, env_str

# Lets `admin.ModelAdmin[Model]` and `forms.ModelForm[Model]` be subscripted at run time (typing).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("IOC_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# A missing secret is read as "" outside DEBUG: `manage.py check` names each one (ioc.E001–E004) and every other
# process refuses to start (ioc/common/checks.py, run from CommonConfig.ready()).
SECRET_KEY = env_secret("SECRET_KEY", debug_default="insecure-debug-only-" + "x" * 40, debug=DEBUG, checked=True)
AUDIT_KEY = env_secret("AUDIT_KEY", debug_default="insecure-debug-audit-key-" + "y" * 40, debug=DEBUG, checked=True)
TOKEN_HMAC_KEY = env_secret(
    "TOKEN_HMAC_KEY", debug_default="insecure-debug-token-key-" + "z" * 40, debug=DEBUG, checked=True
)
FIELD_ENCRYPTION_KEY = env_secret(
    "FIELD_ENCRYPTION_KEY", debug_default="insecure-debug-field-key-" + "w" * 40, debug=DEBUG, checked=True
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The profile names the locality this deployment serves (R11): hung-yen, ca-mau, ...
IOC_PROFILE = env_str("IOC_PROFILE", "hung-yen")
# The address citizens reach the IOC at: tracking links in messages to reporters are built on it.
IOC_PUBLIC_BASE_URL = env_str("IOC_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # first, so that its `createsuperuser` (disabled: R7.2, use bootstrap_admin) overrides django.contrib.auth's
    "ioc.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "huey.contrib.djhuey",
    # foundation
    "ioc.common",
    "ioc.geo",
    "ioc.agencies",
    "ioc.audit",
    "ioc.notifications",
    "ioc.worktime",
    "ioc.regulation",
    # feature apps
    "ioc.assignments",
    "ioc.incidents",
    "ioc.citizen_reports",
    "ioc.datahub",
    "ioc.sensors",
    "ioc.sharing",
    "ioc.indicators",
    "ioc.scenarios",
    "ioc.cybersecurity",
    "ioc.media_watch",
    "ioc.operations",
    "ioc.dossiers",
    # composition (issue 20)
    "ioc.duty",
    "ioc.sectors",
    "ioc.maps",
    "ioc.reporting",
    "ioc.federation",
    # top layer
    "ioc.web",
    "ioc.demo",
    "ioc.backups",
]

MIDDLEWARE = [
    "ioc.common.middleware.RequestIdMiddleware",
    "ioc.web.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ioc.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ioc.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ioc.accounts.middleware.SessionExpiryMiddleware",
    "ioc.accounts.middleware.SecondFactorMiddleware",
    # After a queue user's write, their kept queue is read afresh (issue 20 "Speed", ioc/web/queue_items.py).
    "ioc.web.queue_items.WriteStampMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ioc.common.access.AccessPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ioc.web.context_processors.shell",
                "ioc.operations.context_processors.maintenance",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE transactions, busy timeout, synchronous=FULL) unless DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Prepared statements get one generic plan per connection. Only ioc.common.prepared's cursor prepares (the
        # public report page, the Open311 write, the token look-up; Django's own cursors bind on the client and are
        # never prepared): docs/decisions/0006.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, write transactions queued on a file lock (docs/decisions/0003).
            "ENGINE": "ioc.common.sqlite",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "ioc.sqlite3")),
            # Keep each thread's connection: a new one per request re-runs the PRAGMAs and starts with an
            # empty page cache (docs/benchmarks.md, "SQLite connections").
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
                ),
            },
        }
    }
# Off behind a transaction-mode pooler that cannot keep prepared statements (docs/decisions/0006).
IOC_PREPARED_PUBLIC_ROWS = env_bool("IOC_PREPARED_PUBLIC_ROWS", True)
# Sweeps at once in a drain or catch-up of escalation deadlines on PostgreSQL (docs/decisions/0017); SQLite: one.
ESCALATION_SWEEPERS = env_int("ESCALATION_SWEEPERS", 2)
# Due escalation steps one run of the every-minute sweep fires at most (a backlog drains in one run, in batches).
ESCALATION_SWEEP_LIMIT = env_int("ESCALATION_SWEEP_LIMIT", 100_000)
# The operator's unfiltered queue kept per user this many seconds (0: read every time); a user's own change shows at
# once (ioc/web/queue_items.py, issue 20 "Speed").
IOC_QUEUE_CACHE_SECONDS = env_int("IOC_QUEUE_CACHE_SECONDS", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ioc.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# R7.4: lockout after repeated failures (django-axes, shared through the database).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ioc.accounts.views.own.lockout_response"
AXES_VERBOSE = False

# R7.4: idle and absolute session expiry; display screens keep a 7-day session.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_DISPLAY_SECONDS = 7 * 24 * 3600
# The idle clock is written at most this often (each write is a database write; the map polls): R7.4.
SESSION_SEEN_WRITE_SECONDS = env_int("SESSION_SEEN_WRITE_SECONDS", 60)
SESSION_COOKIE_AGE = SESSION_DISPLAY_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

IOC_TLS = env_bool("IOC_TLS", True)
SECURE_SSL_REDIRECT = IOC_TLS
SESSION_COOKIE_SECURE = IOC_TLS
CSRF_COOKIE_SECURE = IOC_TLS
SECURE_HSTS_SECONDS = 31536000 if IOC_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = IOC_TLS
# R7.4: eligible for the browsers' HSTS preload list (`check --deploy`, security.W021); IOC_HSTS_PRELOAD=0 for a
# deployment whose parent domain must not be preloaded.
SECURE_HSTS_PRELOAD = env_bool("IOC_HSTS_PRELOAD", IOC_TLS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts only from our own origin (set by SecurityHeadersMiddleware).
IOC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "ioc.web.storage.StaticStorage"},
}
# Uploaded files are never under a public URL: views that apply the selector's scope serve them.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/_private_media_never_served/"

# Cache: shared across processes (rate limits, locks); the database cache unless REDIS_URL.
REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ioc.common.cache_redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Rate-limit counters live here: a cull at Django's default 300 entries would leak limits.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ioc_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    if not DATABASE_URL:
        # One machine on SQLite: the cache table gets a database file of its own (ioc.common.routers.CacheRouter),
        # so counting a request never takes the main database's only write lock nor waits for its fsync. What it
        # holds may be lost on power failure, so it syncs at checkpoints only (docs/decisions/0002).
        DATABASES["cache"] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_CACHE_PATH", str(VAR_DIR / "cache.sqlite3")),
            "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
        DATABASE_ROUTERS = ["ioc.common.routers.CacheRouter"]

# Huey wakes work up; durable work lives in database rows (DESIGN "Durable work").
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "ioc", "url": REDIS_URL, "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "ioc",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ioc.accounts.authentication.BearerTokenAuthentication",
        "ioc.accounts.authentication.OtpSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ioc.common.permissions.PolicyPermission"],
    "DEFAULT_PARSER_CLASSES": [  # DRF's defaults, JSON refusing too-deep nesting with a 400 (R7.4)
        "ioc.common.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "ioc.common.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IOC API",
    "DESCRIPTION": "API của Trung tâm Giám sát, điều hành thông minh (IOC) / Intelligent Operations Center API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ioc.common.errors.spectacular_error_hook",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a field named `status` with its own choices: each enum gets its app's name.
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "ioc.assignments.choices.AssignmentStatus",
        "ImportSummaryStatusEnum": ["accepted", "partial", "rejected"],
    },
}

# Notifications (R4.5): transports; console only for the demo.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ioc@localhost")
NOTIFICATIONS_TRANSPORTS = env_list("NOTIFICATIONS_TRANSPORTS", ["email", "webhook", "sms"])
# Where the console transport writes (the demo: var/notifications.log); a relative path is under IOC_VAR_DIR.
# Empty: the `ioc.notifications` log.
NOTIFICATIONS_CONSOLE_FILE = env_str("NOTIFICATIONS_CONSOLE_FILE", "")
if NOTIFICATIONS_CONSOLE_FILE:
    NOTIFICATIONS_CONSOLE_FILE = str(VAR_DIR / NOTIFICATIONS_CONSOLE_FILE)
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_AUTH = env_str("SMS_GATEWAY_AUTH", "")
SMS_GATEWAY_SUCCESS_PATTERN = env_str("SMS_GATEWAY_SUCCESS_PATTERN", "")
WEBHOOK_SIGNING_KEY = env_str("WEBHOOK_SIGNING_KEY", "")

# Outbound HTTP (common.http): private ranges refused unless allow-listed by an administrator.
OUTBOUND_ALLOWED_CIDRS = env_list("OUTBOUND_ALLOWED_CIDRS", [])
# R5.7: the deployment's own tokens for the watch's YouTube Data API v3 and X API v2 sources, used when a source's
# row holds no key of its own (ioc/media_watch/services/collect.py); never shown on a page, in a run or a log.
MEDIA_WATCH_YOUTUBE_API_KEY = env_str("MEDIA_WATCH_YOUTUBE_API_KEY", "")
MEDIA_WATCH_X_BEARER_TOKEN = env_str("MEDIA_WATCH_X_BEARER_TOKEN", "")
# Federation between centers (R9.3): the sender's attempts, lease, back-off base, batch size; the receiver's limit.
FEDERATION_MAX_ATTEMPTS = env_int("FEDERATION_MAX_ATTEMPTS", 12)
FEDERATION_LEASE_SECONDS = env_int("FEDERATION_LEASE_SECONDS", 120)
FEDERATION_BACKOFF_BASE_SECONDS = env_int("FEDERATION_BACKOFF_BASE_SECONDS", 30)
FEDERATION_BATCH_SIZE = env_int("FEDERATION_BATCH_SIZE", 100)
FEDERATION_MAX_MESSAGE_BYTES = env_int("FEDERATION_MAX_MESSAGE_BYTES", 1024 * 1024)
OUTBOUND_TIMEOUT_SECONDS = env_int("OUTBOUND_TIMEOUT_SECONDS", 15)
# Extra certificate authorities the outbound client trusts (a PEM file: the province's own CA), besides the system's.
OUTBOUND_EXTRA_CA_FILE = env_str("OUTBOUND_EXTRA_CA_FILE", "")

# Information-security watch (issue 21, R5.6): the syslog listener's port (unprivileged), the DNS servers asked
# for the registered answers (blank: the system's), how long security events are kept, a slow answer; on PostgreSQL
# the monthly partitions of the events created ahead by the nightly purge (ioc/cybersecurity/partitions.py).
CYBER_SYSLOG_PORT = env_int("CYBER_SYSLOG_PORT", 5514)
CYBER_DNS_NAMESERVERS = env_list("CYBER_DNS_NAMESERVERS", [])
CYBER_EVENT_RETENTION_DAYS = env_int("CYBER_EVENT_RETENTION_DAYS", 180)
CYBER_SLOW_MS = env_int("CYBER_SLOW_MS", 5000)
CYBER_EVENT_PARTITIONS_AHEAD = env_int("CYBER_EVENT_PARTITIONS_AHEAD", 3)
# Defacement by image (ioc/cybersecurity/imagehash.py): the watched regions' same-host images, at most this many and
# this large each, are hashed (dHash, 64 bits); two hashes at most this many bits apart are the same image.
CYBER_IMAGE_MAX_COUNT = env_int("CYBER_IMAGE_MAX_COUNT", 10)
CYBER_IMAGE_MAX_BYTES = env_int("CYBER_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
CYBER_IMAGE_HASH_DISTANCE = env_int("CYBER_IMAGE_HASH_DISTANCE", 10)
# Screenshots of a defaced page (ioc/cybersecurity/screenshots.py): Debian's chromium (blank: none taken), browsers at
# once per worker process, seconds for one page.
CYBER_SCREENSHOT_CHROMIUM = env_str("CYBER_SCREENSHOT_CHROMIUM", "/usr/bin/chromium")
CYBER_SCREENSHOT_CONCURRENCY = env_int("CYBER_SCREENSHOT_CONCURRENCY", 2)
CYBER_SCREENSHOT_SECONDS = env_int("CYBER_SCREENSHOT_SECONDS", 20)

# Audit (R7.3): the anchor file is append-only and goes into backups.
AUDIT_ANCHOR_PATH = Path(env_str("AUDIT_ANCHOR_PATH", str(VAR_DIR / "audit-anchor.log")))

# Backups (R10.1, ioc.backups): AES-GCM archives keyed by IOC_BACKUP_KEY (32+ characters; keep a copy off the
# machine), written to IOC_BACKUP_DIR; a scheduled run every IOC_BACKUP_EVERY_HOURS (0: off; on needs the key,
# check backups.E001), the newest IOC_BACKUP_KEEP scheduled archives kept.
IOC_BACKUP_KEY = env_secret("IOC_BACKUP_KEY", debug_default=None, debug=DEBUG, checked=True)
IOC_BACKUP_DIR = Path(env_str("IOC_BACKUP_DIR", str(VAR_DIR / "backups")))
IOC_BACKUP_EVERY_HOURS = env_int("IOC_BACKUP_EVERY_HOURS", 0)
IOC_BACKUP_KEEP = env_int("IOC_BACKUP_KEEP", 14)

# Metrics: an allow-listed address range or a bearer token.
METRICS_ALLOWED_CIDRS = env_list("METRICS_ALLOWED_CIDRS", ["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")

# Readiness thresholds.
READY_WORKER_HEARTBEAT_SECONDS = env_int("READY_WORKER_HEARTBEAT_SECONDS", 120)
READY_OUTBOX_MAX_AGE_SECONDS = env_int("READY_OUTBOX_MAX_AGE_SECONDS", 900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Citizen-report surges (R4.1, issue 12): N reports of one category in one commune within T minutes raise one
# `citizen_reports.surge` alert (checked every 5 minutes).
IOC_REPORT_SURGE_COUNT = env_int("IOC_REPORT_SURGE_COUNT", 10)
IOC_REPORT_SURGE_MINUTES = env_int("IOC_REPORT_SURGE_MINUTES", 60)

# SensorThings MQTT extension (R5.5): the broker `mqtt_bridge` subscribes to; bridges of one group share topics.
MQTT_HOST = env_str("MQTT_HOST", "127.0.0.1")
MQTT_PORT = env_int("MQTT_PORT", 1883)
MQTT_USERNAME = env_str("MQTT_USERNAME", "")
MQTT_PASSWORD = env_str("MQTT_PASSWORD", "")
MQTT_SHARE_GROUP = env_str("MQTT_SHARE_GROUP", "ioc-bridge")
# A bridge's MQTT client id, stable across restarts so that its session keeps unacknowledged messages (one per
# bridge process; default ioc-bridge-<host name>).
MQTT_CLIENT_ID = env_str("MQTT_CLIENT_ID", "")
# New observations (HTTP or MQTT) published back on their topics; off where no broker runs.
MQTT_PUBLISH = env_bool("MQTT_PUBLISH", False)
# Largest SensorThings request body (CreateObservations), bytes.
STA_MAX_BODY_BYTES = env_int("STA_MAX_BODY_BYTES", 32 * 1024 * 1024)

# The digital map's selection (R6.2): its own caps, below ioc.geo's MAX_RADIUS_M (500 km); an optional tile URL
# under the communes' boundaries (no tile server by default).
MAPS_SELECTION_MAX_RADIUS_M = env_int("MAPS_SELECTION_MAX_RADIUS_M", 50_000)
MAPS_SELECTION_MAX_AREA_KM2 = env_int("MAPS_SELECTION_MAX_AREA_KM2", 20_000)
IOC_MAP_TILE_URL = env_str("IOC_MAP_TILE_URL", "")
# Seconds a worker keeps the map's request-independent reads: a wide view's tile counts (its clusters may lag
# that long; points are read live) and the population figures (ioc.maps.memo; 0: off).
MAPS_CACHE_SECONDS = env_int("MAPS_CACHE_SECONDS", 30)
# Seconds the shared cache keeps a wall screen's compact layer answer, stored under the layer's version stamp (a new
# row is never hidden by it). The stamps are MAX(id)s, so an edit, a deletion, a sensitivity change or a report
# turning overdue does not move them: such a change reaches a reloaded screen within this time, which is therefore
# the answer's age bound and kept short (ioc.maps.layers.stored_compact; 0: off).
MAPS_LAYER_STORE_SECONDS = env_int("MAPS_LAYER_STORE_SECONDS", 60)
