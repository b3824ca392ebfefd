"""Demo profiles, one per seed locality (R11). Only `hung-yen` so far; the other four are a separate issue."""

from __future__ import annotations

from ioc.demo.profiles.base import Profile
from ioc.demo.profiles.hung_yen import PROFILE as HUNG_YEN

PROFILES: dict[str, Profile] = {HUNG_YEN.key: HUNG_YEN}


def profile_get(key: str) -> Profile:
    """The profile named `key`; a KeyError lists the known ones."""
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"Không có hồ sơ {key!r} / Unknown profile {key!r}; có / known: {known}") from None
