"""Demo profiles, one per seed locality (R11): `ca-mau` (000), `quang-nam` (001), `hung-yen` (002), `loc-ninh`
(003), `ba-ria-vung-tau` (004). One deployment serves one of them (`IOC_PROFILE`)."""

from __future__ import annotations

from ioc.demo.profiles.ba_ria_vung_tau import PROFILE as BA_RIA_VUNG_TAU
from ioc.demo.profiles.base import Profile
from ioc.demo.profiles.ca_mau import PROFILE as CA_MAU
from ioc.demo.profiles.hung_yen import PROFILE as HUNG_YEN
from ioc.demo.profiles.loc_ninh import PROFILE as LOC_NINH
from ioc.demo.profiles.quang_nam import PROFILE as QUANG_NAM

PROFILES: dict[str, Profile] = {
    profile.key: profile for profile in (CA_MAU, QUANG_NAM, HUNG_YEN, LOC_NINH, BA_RIA_VUNG_TAU)
}


def profile_get(key: str) -> Profile:
    """The profile named `key`; a KeyError lists the known ones."""
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise KeyError(f"Không có hồ sơ {key!r} / Unknown profile {key!r}; có / known: {known}") from None
