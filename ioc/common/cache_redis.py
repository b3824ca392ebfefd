"""The shared cache on Redis (the PostgreSQL profile, DESIGN "Beyond one machine"): Django's own backend, with one
client object per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache operation. The connection pool is
reused, but each client registers its ~170 response callbacks anew: about 0.2 ms of CPU an operation, and an Open311
POST makes two (the rate limit's pipeline, the sender's wake-up flag) — measured in docs/benchmarks.md ("Open311 on
PostgreSQL"). A `redis.Redis` client is safe to share between threads (each command checks a connection out of the
pool; pipelines, which are not, are made per call), and the pool itself notices a fork and starts afresh.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    """`RedisCacheClient` keeping one `redis.Redis` per connection pool instead of one per operation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own private helpers (not in django-stubs): the pool per server and the client class.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:  # two threads may both build one: the loser's is dropped, both work
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES' backend when REDIS_URL is set: Django's Redis cache with a shared client per pool."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
