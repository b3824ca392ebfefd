"""Rate limits in the shared Django cache (never process memory): fixed windows counted atomically.

    decision = rate_limit_hit(key="open311.post.key:abc123", limit=60, window_seconds=60)
    if not decision.allowed: answer 429 with Retry-After: decision.retry_after

Configured limits are read per request through `rate_limit_rule(name, identity=…, token_prefix=…)`:
`settings.RATE_LIMITS = {name: (limit, window_seconds) or None}` over `DEFAULT_RATE_LIMITS` (None switches a
limit off), and `settings.RATE_LIMIT_TOKEN_OVERRIDES = {token_prefix: limit}` raises every limit of a request
made with that token (the benchmark key), per key and per address alike, since the benchmark runs from one
address. Per-address limits are generous: mobile carriers put many phones behind one address (CGNAT); IPv6
addresses are counted per /64, the block a carrier gives one device.

Atomicity: Redis counts with `SET … NX EX` and `INCR` in one pipeline; Memcached and the local-memory cache
increment atomically (`add` then `incr`). The database cache does not (its `incr` is a read then a write), so
its read-modify-write runs in one transaction under a lock: SQLite's IMMEDIATE transactions (settings) take the
write lock at BEGIN; PostgreSQL takes a transaction advisory lock on the key.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import math
import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction

# name -> (limit, window in seconds); None means "no limit".
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int] | None] = {
    # Open311 POST requests: per API key, and per client address (generous: carriers' shared addresses).
    "open311.post.key": (60, 60),
    "open311.post.addr": (300, 60),
    # Open311 GETs are public reads; off by default so reads stay reads (the database cache would make
    # every GET a write). Switch on with settings.RATE_LIMITS["open311.get.addr"] = (limit, window).
    "open311.get.addr": None,
    # Sign-in attempts per client address (issue 16 part 5): the axes lockout counts per username, so spraying one
    # password over many accounts from one address is stopped here. An office behind one address signs in well
    # under 60 times in 10 minutes.
    "accounts.login.addr": (60, 600),
    # Wrong API bearer tokens per client address (issue 16 part 5): 401 up to the limit, then 429.
    "api.token_fail.addr": (30, 600),
    # Citizens' dossier lookup (issue 23): per address (carriers' shared addresses: generous) and per dossier code
    # (guessing the phone or ID number of one dossier is stopped whatever the address).
    "dossiers.lookup.addr": (60, 600),
    "dossiers.lookup.code": (10, 3600),
}


@dataclass(frozen=True)
class RateRule:
    """One counter: `key` may make `limit` hits per fixed window of `window_seconds`."""

    key: str
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class RateDecision:
    """`allowed` is False once any counted rule is over its limit; `retry_after` is whole seconds to wait."""

    allowed: bool
    retry_after: int = 0
    count: int = 0
    limit: int = 0
    key: str = ""


def rate_limit_hit(*, key: str, limit: int, window_seconds: int, now: float | None = None) -> RateDecision:
    """Count one hit of `key` in the current fixed window and say whether it is within `limit`."""
    return rate_limit_hits([RateRule(key=key, limit=limit, window_seconds=window_seconds)], now=now)


def rate_limit_hits(rules: Iterable[RateRule | None], *, now: float | None = None) -> RateDecision:
    """Count one hit on every rule (None rules are skipped) in one go; the answer is the first refusal,
    or an allowed decision carrying the tightest remaining rule."""
    active = [rule for rule in rules if rule is not None]
    if not active:
        return RateDecision(allowed=True)
    moment = time.time() if now is None else now
    counts = _increment_all([(_cache_key(rule, moment), rule.window_seconds) for rule in active])
    decisions = [_decide(rule, count, moment) for rule, count in zip(active, counts, strict=True)]
    refused = [d for d in decisions if not d.allowed]
    if refused:
        return max(refused, key=lambda d: d.retry_after)
    return min(decisions, key=lambda d: d.limit - d.count)


def rate_limit_rule(name: str, *, identity: str, token_prefix: str = "") -> RateRule | None:
    """The configured rule `name` for one caller (`identity`: an address, a token prefix…); None if off."""
    limits: dict[str, tuple[int, int] | None] = {**DEFAULT_RATE_LIMITS, **getattr(settings, "RATE_LIMITS", {})}
    if name not in limits:
        raise KeyError(f"unknown rate limit {name!r}: add it to DEFAULT_RATE_LIMITS or settings.RATE_LIMITS")
    configured = limits[name]
    if configured is None:
        return None
    limit, window = configured
    overrides: dict[str, int] = getattr(settings, "RATE_LIMIT_TOKEN_OVERRIDES", {})
    if token_prefix and token_prefix in overrides:
        limit = max(limit, int(overrides[token_prefix]))
    return RateRule(key=f"{name}:{identity}", limit=int(limit), window_seconds=int(window))


def address_identity(address: str) -> str:
    """A client address as a counter identity: IPv4 as is, IPv6 by its /64 network."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _cache_key(rule: RateRule, moment: float) -> str:
    window = int(moment // rule.window_seconds)
    digest = hashlib.sha256(rule.key.encode()).hexdigest()[:32]  # keys may hold any text; cache keys may not
    return f"ratelimit:{rule.window_seconds}:{window}:{digest}"


def _decide(rule: RateRule, count: int, moment: float) -> RateDecision:
    allowed = count <= rule.limit
    remaining = rule.window_seconds - (moment % rule.window_seconds)
    return RateDecision(
        allowed=allowed,
        retry_after=0 if allowed else max(1, math.ceil(remaining)),
        count=count,
        limit=rule.limit,
        key=rule.key,
    )


def _increment_all(keys: list[tuple[str, int]]) -> list[int]:
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        return _increment_database(backend, keys)
    if isinstance(backend, RedisCache):
        return _increment_redis(backend, keys)
    return [_increment_atomic(backend, key, window + 5) for key, window in keys]


def _increment_redis(backend: RedisCache, keys: list[tuple[str, int]]) -> list[int]:
    """Every counter in one round trip: `SET key 0 EX window NX` opens the window, `INCR` counts (both atomic;
    Django's Redis cache stores integers as they are, so the counters stay readable through the cache API)."""
    client = backend._cache.get_client(write=True)
    with client.pipeline(transaction=False) as pipe:
        for key, window in keys:
            name = backend.make_and_validate_key(key)
            pipe.set(name, 0, ex=window + 5, nx=True)
            pipe.incr(name)
        replies = pipe.execute()
    return [int(count) for count in replies[1::2]]


def _increment_atomic(backend: BaseCache, key: str, timeout: int) -> int:
    if backend.add(key, 1, timeout):
        return 1
    try:
        return int(backend.incr(key))
    except ValueError:  # expired between add and incr: this hit opens the window
        backend.add(key, 1, timeout)
        return 1


def _increment_database(backend: DatabaseCache, keys: list[tuple[str, int]]) -> list[int]:
    """Read-modify-write under a lock, all counters in one transaction (one commit per request): one SELECT of
    the counters, then one upsert each in the cache's own row format (Django's `set` would also count the whole
    table and read each row again)."""
    alias = router.db_for_write(backend.cache_model_class)
    connection = connections[alias]
    table = connection.ops.quote_name(backend._table)  # type: ignore[attr-defined]
    upsert = (
        f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608 (the configured table)
        "ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires"
    )
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for key in sorted(key for key, _window in keys):
                lock = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        current = backend.get_many([key for key, _window in keys])
        counts = [int(current.get(key, 0)) + 1 for key, _window in keys]
        rows = [
            (backend.make_and_validate_key(key), _encoded(backend, count), _expiry(connection, window + 5))
            for (key, window), count in zip(keys, counts, strict=True)
        ]
        cursor.executemany(upsert, rows)
    return counts


def _encoded(backend: DatabaseCache, value: int) -> str:
    """A value as DatabaseCache stores it (base64 of the pickle)."""
    return base64.b64encode(pickle.dumps(value, backend.pickle_protocol)).decode("latin1")


def _expiry(connection: Any, timeout: int) -> Any:
    moment = dt.datetime.fromtimestamp(time.time() + timeout, tz=dt.UTC if settings.USE_TZ else None)
    return connection.ops.adapt_datetimefield_value(moment.replace(microsecond=0))
