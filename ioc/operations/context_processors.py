"""R10.2: the approved changes whose window runs now, for the web shell's banner (read lazily: only a signed-in
page that shows the banner asks the database, one indexed query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ioc.operations import selectors


def maintenance(request: HttpRequest) -> dict[str, Any]:
    return {"ioc_maintenance": SimpleLazyObject(lambda: selectors.changes_running(now=timezone.now()))}
