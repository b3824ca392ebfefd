"""Roles an act gives agencies (R1.1, R7.1) and kinds of agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActRole(models.TextChoices):
    OWNER = "owner", _("Cơ quan chủ quản")
    MANAGING = "managing", _("Cơ quan quản lý")
    OPERATING = "operating", _("Đơn vị vận hành")
    PROCESSING = "processing", _("Đơn vị xử lý")
    COORDINATING = "coordinating", _("Đơn vị phối hợp")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
    OFFICE = "office", _("Văn phòng")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    CENTER = "center", _("Trung tâm, đơn vị sự nghiệp")
    POLICE = "police", _("Công an")
    FIRE_RESCUE = "fire_rescue", _("Phòng cháy, chữa cháy và cứu nạn, cứu hộ")
    EMERGENCY_MEDICAL = "emergency_medical", _("Cấp cứu y tế")
    MEDIA = "media", _("Báo, đài")
    OTHER = "other", _("Khác")


class Sensitivity(models.TextChoices):
    """How widely an agency's data (a sensor Thing, say: R5.5) may be shown: public to anyone, internal to signed-in
    accounts, restricted to the owner agency. An agency's default applies when a record names none."""

    PUBLIC = "public", _("Công khai cho mọi người")
    INTERNAL = "internal", _("Nội bộ (tài khoản đăng nhập)")
    RESTRICTED = "restricted", _("Hạn chế (cơ quan sở hữu)")


# Agencies whose data is internal unless a record says otherwise (police and security).
INTERNAL_BY_DEFAULT_KINDS = frozenset({AgencyKind.POLICE})


# A source outside the act: the agency exists only in the demo data.
DEMO_SOURCE = "demo"
