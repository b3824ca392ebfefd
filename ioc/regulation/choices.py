"""Kinds and frequencies of what an act sets (R11, "Quy chế")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class DomainKind(models.TextChoices):
    DOMAIN = "domain", _("Lĩnh vực giám sát")
    DATA_GROUP = "data_group", _("Nhóm dữ liệu")
    SCENARIO_KIND = "scenario_kind", _("Loại kịch bản điều hành")


class Period(models.TextChoices):
    MONTH = "month", _("tháng")


# What carries a duty out: a screen (`url:<url name>`), an API path (`api:/api/v1/…`) or a job (`task:<name>`).
TARGET_KINDS = ("url", "api", "task")
