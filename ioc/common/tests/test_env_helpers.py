"""Settings helpers fail loudly on malformed values."""

import os
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from ioc.common.env import env_bool, env_int, env_list, env_secret, env_str


class EnvHelpersTest(SimpleTestCase):
    def test_it_reads_booleans_and_refuses_garbage(self):
        with mock.patch.dict(os.environ, {"X_FLAG": "yes"}):
            self.assertTrue(env_bool("X_FLAG", False))
        with mock.patch.dict(os.environ, {"X_FLAG": "maybe"}), self.assertRaisesMessage(ImproperlyConfigured, "X_FLAG"):
            env_bool("X_FLAG", False)

    def test_it_refuses_a_non_integer(self):
        with mock.patch.dict(os.environ, {"X_INT": "12a"}), self.assertRaisesMessage(ImproperlyConfigured, "X_INT"):
            env_int("X_INT", 1)

    def test_it_requires_a_string_without_default(self):
        with mock.patch.dict(os.environ, {}, clear=True), self.assertRaises(ImproperlyConfigured):
            env_str("X_MISSING")

    def test_it_splits_lists(self):
        with mock.patch.dict(os.environ, {"X_LIST": "a, b,,c"}):
            self.assertEqual(env_list("X_LIST", []), ["a", "b", "c"])

    def test_it_requires_long_secrets_outside_debug(self):
        with mock.patch.dict(os.environ, {}, clear=True), self.assertRaises(ImproperlyConfigured):
            env_secret("X_SECRET", debug_default="d" * 40, debug=False)
        with mock.patch.dict(os.environ, {"X_SECRET": "short"}), self.assertRaisesMessage(ImproperlyConfigured, "32"):
            env_secret("X_SECRET", debug_default=None, debug=True)
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(env_secret("X_SECRET", debug_default="d" * 40, debug=True), "d" * 40)
