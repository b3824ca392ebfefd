"""Helpers other apps' tests may use (the app-boundaries rule lets tests import an app's `testing` module): a
per-test anchor file and a database that threads truly share, for tests of concurrent durable work."""

from ioc.audit.tests.support import AnchorFileMixin, SharedDatabase, shared_database

__all__ = ["AnchorFileMixin", "SharedDatabase", "shared_database"]
