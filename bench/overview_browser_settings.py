"""Settings of the browser checks of the overview (bench/overview_heap.py, bench/overview_screenshots.py): the
benchmark server's (bench/settings_overview.py) with static files served from the apps by WhiteNoise's finders,
so that no `collectstatic` run is needed in a worktree."""

from bench.settings_overview import *  # noqa: F403
from bench.settings_overview import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
