"""The small reference-data subset every test session loads once (foundation issue: one province, ~20 communes).

Province 33 (Hưng Yên 2025) limited to 20 communes, 9 from former Hưng Yên and 11 from former Thái Bình
(13066 Hưng Phú is coastal: the "within 1 km of the border" test uses it), plus the units tests name:
00070 Phường Hoàn Kiếm (province 01) and 25270 Phường Lộc Ninh (province 75), with their legacy predecessors.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only (accounts sits above geo)
    from ioc.accounts.models import User

HUNG_YEN_COMMUNES = [
    # former Hưng Yên (legacy 33)
    "11953",
    "11977",
    "11980",
    "11983",
    "12004",
    "12019",
    "12103",
    "12142",
    "12205",
    # former Thái Bình (legacy 34)
    "12472",
    "12586",
    "12817",
    "12826",
    "12862",
    "12970",
    "13057",
    "13063",
    "13066",
    "13192",
    "13225",
]
SUBSET: dict[str, Any] = {
    "provinces": ["01", "33", "75"],
    "communes": [*HUNG_YEN_COMMUNES, "00070", "25270"],
}


def load_subset(*, actor: User) -> dict[str, Any]:
    """Load the test subset (idempotent, a fraction of a second) as `actor` (the root conftest passes the
    system account)."""
    from ioc.geo.services import units_load

    return units_load(actor=actor, **SUBSET)


def territory_ensure(*, actor: User) -> None:
    """The tests' territory, set as `actor` (the system account): province 33, Tỉnh Hưng Yên, under the act of
    1 July 2025, for the settings' profile."""
    from django.conf import settings

    from ioc.geo.services import territory_set

    territory_set(
        actor=actor, profile=settings.IOC_PROFILE, name="Tỉnh Hưng Yên", root_code="33", act_date=dt.date(2025, 7, 1)
    )
