"""Alerts, incidents and their processes (R4.1–R4.5; DESIGN "Contracts: Alerts").

The kind registry (`KINDS`) is the one list of alert and incident kinds: its source, its process (time-bound or
immediate), its default severity, whether the IOC leader approves before anything is forwarded, and its clocks.
The transition tables (`TRANSITIONS`) name every allowed move of an incident; each is one service.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity

PROCESS = "incidents"  # the assignments process of every agency's part of an incident


class AlertSource(models.TextChoices):
    SENSORS = "sensors", _("Cảm biến")
    CAMERAS = "cameras", _("Camera")
    INDICATORS = "indicators", _("Chỉ số")
    SERVICE_CHECKS = "service_checks", _("Kiểm tra dịch vụ công")
    MEDIA = "media", _("Báo chí, mạng xã hội")
    SECURITY = "security", _("Giám sát an toàn thông tin")
    PEOPLE = "people", _("Người dân (đường dây nóng, điện thoại)")
    CITIZEN_REPORTS = "citizen_reports", _("Phản ánh hiện trường")
    FEDERATION = "federation", _("Trung tâm cấp dưới (liên thông)")
    CYBERSECURITY = "cybersecurity", _("Giám sát an toàn thông tin mạng")
    MEDIA_WATCH = "media_watch", _("Theo dõi thông tin trên mạng")
    OPERATIONS = "operations", _("Vận hành Trung tâm")
    DOSSIERS = "dossiers", _("Hồ sơ thủ tục hành chính")


class AlertState(models.TextChoices):
    NEW = "new", _("Chờ xác minh")
    ATTACHED = "attached", _("Đã gắn với sự cố")
    DISMISSED = "dismissed", _("Đã loại bỏ")
    RESOLVED = "resolved", _("Đã hết")


# An alert is "open" (a repeat of its dedup_key updates it) while new or attached to an incident.
ALERT_OPEN_STATES = frozenset({AlertState.NEW, AlertState.ATTACHED})


class Process(models.TextChoices):
    TIME_BOUND = "time_bound", _("Xử lý có thời hạn")
    IMMEDIATE = "immediate", _("Ứng phó khẩn cấp")


class IncidentState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo IOC duyệt")
    VERIFIED = "verified", _("Đã xác minh")
    FORWARDED = "forwarded", _("Đã chuyển xử lý")
    RESOLVED = "resolved", _("Đã xử lý, chờ IOC xác nhận")
    CONFIRMED = "confirmed", _("IOC đã xác nhận kết quả")
    NEW = "new", _("Mới, chờ điều động")
    DISPATCHED = "dispatched", _("Đã điều động")
    EN_ROUTE = "en_route", _("Lực lượng đang đến")
    ON_SCENE = "on_scene", _("Lực lượng đã có mặt")
    CLEARED = "cleared", _("Đã xử lý xong hiện trường")
    CLOSED = "closed", _("Đã đóng")
    CANCELLED = "cancelled", _("Đã hủy")


S = IncidentState
# R4.3: verified → forwarded → resolved (every agency's part resolved) → confirmed by the IOC → closed.
TIME_BOUND_TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_APPROVAL: frozenset({S.VERIFIED, S.CANCELLED}),
    S.VERIFIED: frozenset({S.FORWARDED, S.CANCELLED}),
    S.FORWARDED: frozenset({S.FORWARDED, S.RESOLVED, S.VERIFIED, S.CANCELLED}),
    S.RESOLVED: frozenset({S.CONFIRMED, S.FORWARDED}),
    S.CONFIRMED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
# R4.4: new → dispatched → en route → on scene → cleared → closed (the result confirmed when closing).
# More forces may be sent while dispatched, en route or on scene (REINFORCE_STATES): the state stays.
IMMEDIATE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.DISPATCHED, S.CANCELLED}),
    S.DISPATCHED: frozenset({S.EN_ROUTE, S.CANCELLED}),
    S.EN_ROUTE: frozenset({S.ON_SCENE}),
    S.ON_SCENE: frozenset({S.CLEARED}),
    S.CLEARED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Process.TIME_BOUND: TIME_BOUND_TRANSITIONS,
    Process.IMMEDIATE: IMMEDIATE_TRANSITIONS,
}
# Immediate process: more forces may be dispatched while these hold (the state does not move back).
REINFORCE_STATES = frozenset({S.DISPATCHED, S.EN_ROUTE, S.ON_SCENE})
INCIDENT_OPEN_STATES = frozenset(set(S) - {S.CLOSED, S.CANCELLED})
INCIDENT_FINAL_STATES = frozenset({S.CLOSED, S.CANCELLED})


class EventKind(models.TextChoices):
    """R4.5: what a line of an incident's timeline records."""

    OPENED = "opened", _("Mở sự cố")
    ALERT = "alert", _("Cảnh báo gắn vào")
    MERGED = "merged", _("Gộp cảnh báo")
    APPROVED = "approved", _("Lãnh đạo IOC duyệt")
    FORWARDED = "forwarded", _("Chuyển cơ quan xử lý")
    DISPATCHED = "dispatched", _("Điều động lực lượng")
    EN_ROUTE = "en_route", _("Lực lượng đang đến")
    ON_SCENE = "on_scene", _("Lực lượng có mặt")
    CLEARED = "cleared", _("Xử lý xong hiện trường")
    ASSIGNMENT = "assignment", _("Diễn biến của cơ quan")
    RESOLVED = "resolved", _("Các cơ quan đã xử lý xong")
    REOPENED = "reopened", _("Quay lại xử lý")
    CONFIRMED = "confirmed", _("IOC xác nhận kết quả")
    CLOSED = "closed", _("Đóng sự cố")
    CANCELLED = "cancelled", _("Hủy sự cố")
    SEVERITY = "severity", _("Thay đổi mức độ")
    NOTE = "note", _("Ghi chú")


class TimerState(models.TextChoices):
    PENDING = "pending", _("Đang tính")
    FIRED = "fired", _("Đã báo quá hạn")
    DONE = "done", _("Đã xong")


@dataclass(frozen=True)
class KindSpec:
    """One kind of alert and incident (R4.1): its label, process, default severity and clocks.

    `verify_minutes`: an alert of this kind not verified within this time is reported to the IOC leader.
    `handling_hours`: time-bound process, each agency's deadline in its working hours; `response_minutes`:
    immediate process, the forces' deadline to be on scene, round the clock. `accept_hours` (R4.3): each
    agency's time to accept its part (working hours; plain hours for 24/7 forces), never beyond its deadline.
    """

    code: str
    label: Promise
    process: str
    default_severity: int
    needs_approval: bool = False
    verify_minutes: int = 30
    handling_hours: float = 16.0
    response_minutes: int = 30
    accept_hours: float = 2.0


TB, IM = Process.TIME_BOUND, Process.IMMEDIATE
SEV = Severity
# code, label, process, default severity, leader approval, verify (min), handling (working h), response (min),
# accept (working h; 0.05 h = 3 min for the 24/7 forces)
_KIND_ROWS: tuple[tuple[str, Promise, str, int, bool, int, float, int, float], ...] = (
    ("env.air_quality", _("Chất lượng không khí vượt ngưỡng"), TB, SEV.MEDIUM, False, 30, 8.0, 30, 2.0),
    ("env.flood_level", _("Mực nước ngập, lũ vượt ngưỡng"), TB, SEV.HIGH, False, 15, 4.0, 30, 1.0),
    ("camera.crowd", _("Tụ tập đông người (camera)"), TB, SEV.MEDIUM, False, 15, 2.0, 30, 0.5),
    ("env.heat", _("Nắng nóng vượt ngưỡng"), TB, SEV.MEDIUM, False, 30, 8.0, 30, 2.0),
    ("env.heavy_rain", _("Mưa lớn vượt ngưỡng"), TB, SEV.MEDIUM, False, 15, 4.0, 30, 1.0),
    ("sensor.no_data", _("Trạm cảm biến mất số liệu"), TB, SEV.LOW, False, 60, 16.0, 30, 4.0),
    ("camera.accident", _("Tai nạn giao thông (camera)"), TB, SEV.HIGH, False, 5, 2.0, 20, 0.1),
    ("camera.wrong_way", _("Đi ngược chiều (camera)"), TB, SEV.MEDIUM, False, 10, 2.0, 30, 0.5),
    ("camera.fire_smoke", _("Khói, lửa (camera)"), TB, SEV.HIGH, False, 5, 2.0, 15, 0.1),
    ("camera.illegal_parking", _("Dừng, đỗ xe sai quy định (camera)"), TB, SEV.LOW, False, 30, 4.0, 30, 1.0),
    ("camera.intrusion", _("Xâm nhập khu vực cấm (camera)"), TB, SEV.HIGH, False, 10, 2.0, 20, 0.5),
    ("indicator.target_miss", _("Chỉ số không đạt chỉ tiêu"), TB, SEV.LOW, False, 480, 40.0, 30, 8.0),
    ("citizen_reports.surge", _("Phản ánh tăng đột biến"), TB, SEV.MEDIUM, False, 60, 16.0, 30, 4.0),
    ("service.down", _("Dịch vụ công trực tuyến gián đoạn"), TB, SEV.MEDIUM, False, 30, 4.0, 30, 1.0),
    ("media.negative", _("Thông tin tiêu cực trên báo chí, mạng xã hội"), TB, SEV.LOW, False, 120, 16.0, 30, 4.0),
    ("media.hot_topic", _("Chủ đề nóng lan truyền nhanh trên mạng"), TB, SEV.MEDIUM, False, 60, 16.0, 30, 4.0),
    ("media.watch_list", _("Đối tượng theo dõi được nhắc tới tăng đột biến"), TB, SEV.MEDIUM, False, 60, 16.0, 30, 4.0),
    ("security.intrusion", _("Tấn công, xâm nhập hệ thống thông tin"), TB, SEV.HIGH, True, 15, 4.0, 30, 1.0),
    ("infrastructure.damage", _("Hư hỏng hạ tầng (điện, nước, đường)"), TB, SEV.MEDIUM, False, 30, 8.0, 30, 2.0),
    # Public-administration dossiers (issue 23): one kind per rule of `dossiers.rules` with immediate handling.
    ("dossiers.supplement_repeated", _("Yêu cầu bổ sung hồ sơ quá một lần"), TB, SEV.HIGH, False, 60, 8.0, 30, 2.0),
    ("dossiers.refusal_without_reason", _("Từ chối hồ sơ không nêu lý do"), TB, SEV.HIGH, False, 60, 8.0, 30, 2.0),
    ("dossiers.step_unassigned", _("Xử lý hồ sơ sai người được phân công"), TB, SEV.HIGH, False, 60, 8.0, 30, 2.0),
    ("fire", _("Cháy, nổ"), IM, SEV.EMERGENCY, False, 5, 4.0, 15, 0.05),
    ("accident.traffic", _("Tai nạn giao thông"), IM, SEV.HIGH, False, 5, 4.0, 20, 0.05),
    ("crime.robbery", _("Cướp, trộm cắp"), IM, SEV.HIGH, False, 5, 4.0, 20, 0.05),
    ("public_order.disorder", _("Gây rối trật tự công cộng"), IM, SEV.MEDIUM, False, 10, 4.0, 30, 0.1),
    ("medical.emergency", _("Cấp cứu y tế"), IM, SEV.EMERGENCY, False, 5, 4.0, 15, 0.05),
    ("disaster.natural", _("Thiên tai (bão, lốc, sạt lở)"), IM, SEV.EMERGENCY, False, 10, 8.0, 60, 0.1),
    # Information-security watch (issue 21): one kind per check rule of ioc.cybersecurity, and its event rules.
    ("cyber.down", _("Trang, dịch vụ không truy cập được"), TB, SEV.HIGH, False, 15, 4.0, 30, 1.0),
    ("cyber.slow", _("Trang, dịch vụ phản hồi chậm"), TB, SEV.LOW, False, 60, 16.0, 30, 4.0),
    ("cyber.tls", _("Chứng thư số không hợp lệ"), TB, SEV.HIGH, False, 30, 8.0, 30, 2.0),
    ("cyber.cert_expiry", _("Chứng thư số sắp hết hạn"), TB, SEV.MEDIUM, False, 120, 16.0, 30, 4.0),
    ("cyber.headers", _("Thiếu tiêu đề bảo mật HTTP"), TB, SEV.LOW, False, 480, 40.0, 30, 8.0),
    ("cyber.dns", _("Bản ghi DNS khác bản đã đăng ký"), TB, SEV.HIGH, True, 15, 4.0, 30, 1.0),
    ("cyber.redirect", _("Chuyển hướng bất thường"), TB, SEV.MEDIUM, False, 60, 8.0, 30, 2.0),
    ("cyber.defacement", _("Thay đổi giao diện trái phép"), TB, SEV.HIGH, True, 15, 4.0, 30, 1.0),
    ("cyber.event", _("Sự kiện an toàn thông tin vượt ngưỡng"), TB, SEV.HIGH, True, 15, 4.0, 30, 1.0),
    # R10.2, R10.3 (issue 24): the center's own equipment and changes made without the managing body's approval.
    (
        "operations.equipment_fault",
        _("Thiết bị Trung tâm ngừng hoạt động"),
        TB,
        SEV.HIGH,
        False,
        30,
        8.0,
        30,
        2.0,
    ),
    ("operations.unapproved_change", _("Thay đổi hệ thống chưa được phê duyệt"), TB, SEV.HIGH, False, 30, 8.0, 30, 2.0),
)
KINDS: dict[str, KindSpec] = {row[0]: KindSpec(*row) for row in _KIND_ROWS}
KIND_CHOICES = [(spec.code, spec.label) for spec in KINDS.values()]
IMMEDIATE_KINDS = frozenset(code for code, spec in KINDS.items() if spec.process == Process.IMMEDIATE)

# Text limits (issue 12 "Bad input").
TITLE_MAX = 200
TEXT_MAX = 4000
DEDUP_KEY_MAX = 200
PAYLOAD_MAX_BYTES = 16_000
# Durable verification timers (DESIGN "Durable work"): a claimed row is the claimer's until the lease expires.
TIMER_LEASE_SECONDS = 300
# Forces' response deadline bounds (minutes, round the clock).
RESPONSE_MINUTES_MAX = 24 * 60
