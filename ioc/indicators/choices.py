"""Choices of the monitoring indicators (R2.1–R2.6): period types, levels, aggregation, direction, sources,
statuses, data calls."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("Sáu tháng")
    YEAR = "year", _("Năm")


# Periods per year of each type (the season of the forecasts, R2.4).
PERIODS_PER_YEAR = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.HALF: 2, PeriodType.YEAR: 1}


class Level(models.TextChoices):
    TERRITORY = "territory", _("Toàn địa bàn")
    COMMUNE = "commune", _("Xã, phường")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    MEAN = "mean", _("Trung bình")
    WEIGHTED_MEAN = "weighted_mean", _("Trung bình có trọng số")
    LAST = "last", _("Giá trị cuối kỳ")
    NONE = "none", _("Không tổng hợp")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")
    RANGE = "range", _("Trong khoảng")


class Source(models.TextChoices):
    MANUAL = "manual", _("Nhập tay / cơ quan báo cáo")
    DATASET = "dataset", _("Trường của bộ dữ liệu")
    FORMULA = "formula", _("Công thức")
    SENSOR = "sensor", _("Chuỗi quan trắc (SensorThings)")


class SourceAggregate(models.TextChoices):
    """How a dataset field's rows or a datastream's observations of a period become one value (R2.1)."""

    SUM = "sum", _("Tổng")
    MEAN = "mean", _("Trung bình")
    MIN = "min", _("Nhỏ nhất")
    MAX = "max", _("Lớn nhất")
    COUNT = "count", _("Số bản ghi")


class Status(models.TextChoices):
    MET = "met", _("Đạt")
    AT_RISK = "at_risk", _("Có nguy cơ không đạt")
    NOT_MET = "not_met", _("Không đạt")
    NO_TARGET = "", _("Chưa có chỉ tiêu")


STATUS_TONES = {Status.MET: "green", Status.AT_RISK: "yellow", Status.NOT_MET: "red", Status.NO_TARGET: "secondary"}


class WarningKind(models.TextChoices):
    NOT_MET = "not_met", _("Không đạt chỉ tiêu")
    LIKELY_MISS = "likely_miss", _("Dự báo không đạt chỉ tiêu năm")


class CallKind(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    AD_HOC = "ad_hoc", _("Đột xuất")
    ON_REQUEST = "on_request", _("Theo yêu cầu")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Chờ báo cáo")
    ANSWERED = "answered", _("Đã báo cáo")
    CANCELLED = "cancelled", _("Đã hủy")


CALL_TRANSITIONS = {CallStatus.OPEN: {CallStatus.ANSWERED, CallStatus.CANCELLED}}


class RuleStatus(models.TextChoices):
    """R2.6: a recurring call rule's life: active (opens each period's call), paused, ended (for good)."""

    ACTIVE = "active", _("Đang áp dụng")
    PAUSED = "paused", _("Đang tạm dừng")
    ENDED = "ended", _("Đã kết thúc")


RULE_TRANSITIONS = {
    RuleStatus.ACTIVE: {RuleStatus.PAUSED, RuleStatus.ENDED},
    RuleStatus.PAUSED: {RuleStatus.ACTIVE, RuleStatus.ENDED},
}
