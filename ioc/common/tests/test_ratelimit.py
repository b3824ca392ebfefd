"""Rate limits: fixed windows in the shared cache, configured per key class, raised per token prefix."""

import threading

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings

from ioc.common.ratelimit import (
    DEFAULT_RATE_LIMITS,
    RateRule,
    _cache_key,
    address_identity,
    rate_limit_hit,
    rate_limit_hits,
    rate_limit_rule,
)

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ioc_cache_test"}}
T0 = 1_750_000_020.0  # a window boundary for windows of 60 s


class RateLimitHitTest(SimpleTestCase):
    def setUp(self):
        caches["default"].clear()

    def test_it_allows_up_to_the_limit_then_refuses_with_retry_after(self):
        decisions = [rate_limit_hit(key="k1", limit=3, window_seconds=60, now=T0 + 10) for _ in range(4)]
        self.assertEqual([d.allowed for d in decisions], [True, True, True, False])
        self.assertEqual([d.count for d in decisions], [1, 2, 3, 4])
        self.assertEqual(decisions[3].retry_after, 50)
        self.assertEqual(decisions[0].retry_after, 0)

    def test_it_opens_a_new_window_after_the_old_one(self):
        for _ in range(3):
            rate_limit_hit(key="k2", limit=2, window_seconds=60, now=T0 + 59)
        self.assertFalse(rate_limit_hit(key="k2", limit=2, window_seconds=60, now=T0 + 59.5).allowed)
        self.assertTrue(rate_limit_hit(key="k2", limit=2, window_seconds=60, now=T0 + 60).allowed)

    def test_it_counts_keys_apart(self):
        self.assertTrue(rate_limit_hit(key="a", limit=1, window_seconds=60, now=T0).allowed)
        self.assertTrue(rate_limit_hit(key="b", limit=1, window_seconds=60, now=T0).allowed)
        self.assertFalse(rate_limit_hit(key="a", limit=1, window_seconds=60, now=T0).allowed)

    def test_it_accepts_any_text_in_a_key(self):
        key = "open311.post.addr:2001:db8::/64 khóa có dấu và khoảng trắng"
        self.assertTrue(rate_limit_hit(key=key, limit=1, window_seconds=60, now=T0).allowed)
        self.assertFalse(rate_limit_hit(key=key, limit=1, window_seconds=60, now=T0).allowed)

    def test_it_reports_the_refused_rule_of_several(self):
        rules = [RateRule("per-key", 5, 60), None, RateRule("per-addr", 1, 60)]
        self.assertTrue(rate_limit_hits(rules, now=T0).allowed)
        refused = rate_limit_hits(rules, now=T0)
        self.assertFalse(refused.allowed)
        self.assertEqual(refused.key, "per-addr")

    def test_it_allows_everything_without_rules(self):
        self.assertTrue(rate_limit_hits([None]).allowed)


class RateLimitRuleTest(SimpleTestCase):
    def test_it_uses_the_defaults(self):
        rule = rate_limit_rule("open311.post.key", identity="abc")
        self.assertEqual(rule, RateRule("open311.post.key:abc", *DEFAULT_RATE_LIMITS["open311.post.key"]))

    def test_it_keeps_per_address_limits_generous(self):
        per_key = DEFAULT_RATE_LIMITS["open311.post.key"]
        per_addr = DEFAULT_RATE_LIMITS["open311.post.addr"]
        assert per_key and per_addr
        self.assertGreater(per_addr[0] / per_addr[1], per_key[0] / per_key[1])

    @override_settings(RATE_LIMITS={"open311.post.key": (5, 10), "open311.post.addr": None})
    def test_it_reads_settings_over_the_defaults(self):
        self.assertEqual(rate_limit_rule("open311.post.key", identity="x"), RateRule("open311.post.key:x", 5, 10))
        self.assertIsNone(rate_limit_rule("open311.post.addr", identity="1.2.3.4"))

    @override_settings(RATE_LIMIT_TOKEN_OVERRIDES={"benchkey": 100_000})
    def test_it_raises_the_limit_for_an_overridden_token_prefix(self):
        self.assertEqual(
            rate_limit_rule("open311.post.key", identity="benchkey", token_prefix="benchkey").limit, 100_000
        )
        self.assertEqual(
            rate_limit_rule("open311.post.addr", identity="10.0.0.1", token_prefix="benchkey").limit, 100_000
        )
        self.assertEqual(rate_limit_rule("open311.post.key", identity="other", token_prefix="other").limit, 60)

    def test_it_refuses_an_unknown_limit_name(self):
        with self.assertRaises(KeyError):
            rate_limit_rule("no.such.limit", identity="x")

    def test_it_counts_ipv6_per_64_and_mapped_ipv4_as_ipv4(self):
        self.assertEqual(address_identity("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64")
        self.assertEqual(address_identity("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64")
        self.assertEqual(address_identity("::ffff:10.1.2.3"), "10.1.2.3")
        self.assertEqual(address_identity("203.0.113.7"), "203.0.113.7")
        self.assertEqual(address_identity(""), "unknown")


@override_settings(CACHES=DB_CACHE)
class DatabaseCacheRateLimitTest(TestCase):
    """The production default: the database cache, shared by every process."""

    @classmethod
    def setUpTestData(cls):
        call_command("createcachetable", verbosity=0)

    def test_it_counts_in_the_database_table(self):
        decisions = [rate_limit_hit(key="db-key", limit=2, window_seconds=60, now=T0) for _ in range(3)]
        self.assertEqual([d.count for d in decisions], [1, 2, 3])
        self.assertFalse(decisions[2].allowed)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM ioc_cache_test")
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_its_counters_are_ordinary_cache_entries(self):
        rule = RateRule("entry", 5, 60)
        for _ in range(3):
            rate_limit_hits([rule], now=T0)
        self.assertEqual(caches["default"].get(_cache_key(rule, T0)), 3)

    def test_it_sees_counts_made_by_another_cache_instance(self):
        rate_limit_hit(key="shared", limit=1, window_seconds=60, now=T0)
        first = caches["default"]
        del caches["default"]  # a fresh backend instance, as another process would build it
        self.assertIsNot(caches["default"], first)
        self.assertFalse(rate_limit_hit(key="shared", limit=1, window_seconds=60, now=T0).allowed)


@override_settings(CACHES=DB_CACHE)
class DatabaseCacheConcurrencyTest(TransactionTestCase):
    """Concurrent hits on the database cache lose no count (PostgreSQL: advisory lock; SQLite: IMMEDIATE)."""

    def test_it_loses_no_hit_under_concurrency(self):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.assertEqual(connection.settings_dict["OPTIONS"].get("transaction_mode"), "IMMEDIATE")
            return  # threads cannot share an in-memory test database; PostgreSQL runs the real race
        call_command("createcachetable", verbosity=0)
        allowed: list[bool] = []
        lock = threading.Lock()

        def worker():
            try:
                for _ in range(10):
                    decision = rate_limit_hit(key="race", limit=25, window_seconds=3600, now=T0)
                    with lock:
                        allowed.append(decision.allowed)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(allowed), 40)
        self.assertEqual(allowed.count(True), 25)
        self.assertEqual(rate_limit_hit(key="race", limit=25, window_seconds=3600, now=T0).count, 41)
