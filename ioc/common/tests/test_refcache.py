"""Reference data kept per process and dropped everywhere when it changes (ioc/common/refcache.py)."""

from django.test import TestCase

from ioc.common.refcache import RefCache


class RefCacheTest(TestCase):
    def setUp(self):
        self.loads = 0

    def load(self, value="v1"):
        def loader():
            self.loads += 1
            return value

        return loader

    def test_it_loads_a_key_once(self):
        ref = RefCache("tests.once", recheck_seconds=60)
        self.assertEqual(ref.get("a", self.load()), "v1")
        self.assertEqual(ref.get("a", self.load("v2")), "v1")
        self.assertEqual(ref.get("b", self.load("v3")), "v3")
        self.assertEqual(self.loads, 2)

    def test_a_change_drops_this_process_copy_at_once(self):
        ref = RefCache("tests.here", recheck_seconds=60)
        ref.get("a", self.load())
        ref.changed()  # inside the (test) transaction: before it commits
        self.assertEqual(ref.get("a", self.load("v2")), "v2")

    def test_other_processes_reload_once_the_change_commits(self):
        here, there = RefCache("tests.shared", recheck_seconds=0), RefCache("tests.shared", recheck_seconds=0)
        there.get("a", self.load())
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            here.changed()
        self.assertEqual(there.get("a", self.load("v2")), "v1")  # not committed yet: the old value stands
        for callback in callbacks:
            callback()
        self.assertEqual(there.get("a", self.load("v2")), "v2")

    def test_a_value_loaded_across_a_change_is_not_kept(self):
        ref = RefCache("tests.race", recheck_seconds=60)

        def stale():
            ref.forget()  # a change lands while this load runs
            return "stale"

        self.assertEqual(ref.get("a", stale), "stale")
        self.assertEqual(ref.get("a", self.load("fresh")), "fresh")
