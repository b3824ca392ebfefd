"""Cadences, kinds, scopes and states of reports (R8.1–R8.3)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


# The DHIS2 period ids each cadence accepts (ad hoc: any valid period, checked by period_parse).
CADENCE_PATTERN: dict[str, re.Pattern[str]] = {
    Cadence.MONTHLY: re.compile(r"[0-9]{6}"),
    Cadence.QUARTERLY: re.compile(r"[0-9]{4}Q[1-4]"),
    Cadence.HALF_YEARLY: re.compile(r"[0-9]{4}S[12]"),
    Cadence.YEARLY: re.compile(r"[0-9]{4}"),
}
CADENCE_EXAMPLE = {
    Cadence.MONTHLY: "202507",
    Cadence.QUARTERLY: "2025Q3",
    Cadence.HALF_YEARLY: "2025S1",
    Cadence.YEARLY: "2025",
    Cadence.AD_HOC: "20250714",
}
# The period type (common.periods.period_code) of each periodic cadence.
CADENCE_PERIOD_TYPE = {
    Cadence.MONTHLY: "month",
    Cadence.QUARTERLY: "quarter",
    Cadence.HALF_YEARLY: "half",
    Cadence.YEARLY: "year",
}


class TemplateKind(models.TextChoices):
    OPERATIONS = "operations", _("Báo cáo hoạt động của Trung tâm")
    BRIEFING = "briefing", _("Báo cáo phục vụ họp giao ban kinh tế - xã hội")
    THEMATIC = "thematic", _("Báo cáo chuyên đề")
    AD_HOC = "ad_hoc", _("Báo cáo đột xuất")


# Issue 17: the template kinds that may be narrowed to one scenario or sector (a thematic briefing).
FOCUS_KINDS = frozenset({TemplateKind.THEMATIC})

# R8.3 (002:3.3): the reports made for meetings — periodic (the socio-economic briefing), thematic and ad hoc — all of
# which must be produced from the IOC's data ("100 %"); their share is counted per period.
MEETING_KINDS = frozenset({TemplateKind.BRIEFING, TemplateKind.THEMATIC, TemplateKind.AD_HOC})


class ScopeKind(models.TextChoices):
    TERRITORY = "territory", _("Toàn địa bàn")
    AGENCY = "agency", _("Cơ quan, đơn vị")
    COMMUNE = "commune", _("Xã, phường")
    AREA = "area", _("Vùng chọn trên bản đồ")


# Issue 17: a drawn area stored with a report keeps at most this many vertices (a unit or a circle is stored as its
# code or centre and radius); the map's own selection allows more, but a report's scope is read on every refresh.
AREA_MAX_VERTICES = 1000


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


# Draft → issued only; an issued report is never changed in place (a correction is a new version).
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportState.DRAFT: frozenset({ReportState.ISSUED}),
    ReportState.ISSUED: frozenset(),
}


class WorkState(models.TextChoices):
    """The state of a calendar obligation's durable work (DESIGN "Durable work")."""

    PENDING = "pending", _("Chờ tạo dự thảo")
    DRAFTED = "drafted", _("Đã tạo dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    FAILED = "failed", _("Lỗi khi tạo dự thảo")


# The document number's kind and issuing body (Decree 30/2020, appendix III: "BC" for a report).
NUMBER_SUFFIX = "BC-TTGSĐH"


class MeetingState(models.TextChoices):
    """R8.4: a review meeting is prepared (agenda, briefing, minutes, decisions) and then closed (frozen)."""

    PLANNED = "planned", _("Đang chuẩn bị, họp")
    CLOSED = "closed", _("Đã kết thúc")


# The assignments process of meeting decisions (one officer inbox: the decision lands with the agency).
DECISION_PROCESS = "reporting"
DECISION_TEXT_MAX = 2000
MINUTES_MAX = 20000
