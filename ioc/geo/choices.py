"""Hierarchies and levels of administrative units (R6.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hierarchy(models.TextChoices):
    CURRENT = "2025", _("Hai cấp (từ 01/7/2025)")
    LEGACY = "legacy", _("Ba cấp (trước 01/7/2025)")


def qualified_unit_code(code: str, hierarchy: str) -> str:
    """The public form of a unit's identity: bare for 2025, `legacy:<code>` for the legacy hierarchy."""
    return code if hierarchy == Hierarchy.CURRENT else f"legacy:{code}"


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện")
    COMMUNE = "commune", _("Xã, phường")


class SuccessionKind(models.TextChoices):
    FULL = "full", _("Toàn bộ")
    PARTIAL = "partial", _("Một phần")


# Records with a point store a 0.01° grid cell (DESIGN "Contracts"): cell = floor(lat*100), floor(lon*100).
GRID_STEP = 0.01
