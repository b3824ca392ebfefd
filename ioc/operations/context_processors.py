"""R10.2: the approved changes whose window runs now, for the web shell's banner (read lazily from the shared
cache, never the database: the change services and a per-minute task keep it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from ioc.operations import selectors


def maintenance(request: HttpRequest) -> dict[str, Any]:
    return {"ioc_maintenance": SimpleLazyObject(lambda: selectors.banner_windows(now=timezone.now()))}
