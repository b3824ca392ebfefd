"""Scales shared by every domain (DESIGN "Contracts")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.IntegerChoices):
    """One severity scale for alerts, incidents and notifications; 4–5 are "severe" (R4.5)."""

    INFO = 1, _("Thông tin")
    LOW = 2, _("Thấp")
    MEDIUM = 3, _("Trung bình")
    HIGH = 4, _("Cao")
    EMERGENCY = 5, _("Khẩn cấp")


# CAP 1.2 <severity> for each level (standards/CAP-v1.2-schema.xsd).
SEVERITY_TO_CAP = {
    Severity.INFO: "Minor",
    Severity.LOW: "Minor",
    Severity.MEDIUM: "Moderate",
    Severity.HIGH: "Severe",
    Severity.EMERGENCY: "Extreme",
}


def is_severe(level: int) -> bool:
    return level >= Severity.HIGH
