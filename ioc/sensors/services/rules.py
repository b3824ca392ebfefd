"""Alert rules as data (R4.1, R5.5): create and change a rule (its conditions checked for hysteresis), silences
and maintenance windows, and the ready rules of national standards (VN_AQI, flood alarm levels I–III per gauge,
heat, heavy rain). Every write checks the actor's role, is audited and drops the rule index (`RULES.changed()`)."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_require_role
from ioc.incidents.choices import KINDS
from ioc.sensors.choices import OPERATORS, SILENCE_KINDS
from ioc.sensors.models import AlertRule, Datastream, Silence
from ioc.sensors.rule_areas import area_check_scope, area_parse
from ioc.sensors.rules_catalogue import (
    AGGREGATES,
    FLOOD_CLEAR_MARGIN,
    FLOOD_SEVERITIES,
    PROPERTIES,
    READY_RULES,
    alarm_levels,
    property_of,
)
from ioc.sensors.rules_index import RULES

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.geo.models import AdminUnit

CONFIG_ROLES = (*IOC_STAFF_ROLES, Role.SYSTEM_ADMIN)
RULE_FIELDS = (
    "code",
    "name",
    "observed_property",
    "kind",
    "severity",
    "raise_op",
    "raise_value",
    "clear_op",
    "clear_value",
    "for_seconds",
    "repeat_count",
    "no_data_intervals",
    "expected_interval_seconds",
    "window_seconds",
    "aggregate",
    "labels",
    "standard",
    "is_active",
)
MAX_FOR_SECONDS = 7 * 86400


def _require(actor: User) -> None:
    actor_require_role(actor, CONFIG_ROLES, _("Chỉ IOC và quản trị hệ thống được cấu hình quy tắc cảnh báo"))


def _side_of(op: str) -> int:
    return 1 if op in (">", ">=") else -1


def clear_reachable(raise_op: str, raise_value: float, clear_op: str, clear_value: float) -> bool:
    """Hysteresis: the clear condition must point the other way and share no value with the raise condition."""
    if _side_of(raise_op) == _side_of(clear_op):
        return False
    both_inclusive = raise_op.endswith("=") and clear_op.endswith("=")
    if _side_of(raise_op) > 0:  # raise above, clear below
        return clear_value < raise_value or (clear_value == raise_value and not both_inclusive)
    return clear_value > raise_value or (clear_value == raise_value and not both_inclusive)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _count_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, low, high in (
        ("for_seconds", 0, MAX_FOR_SECONDS),
        ("repeat_count", 1, 10_000),
        ("no_data_intervals", 0, 1000),
        ("expected_interval_seconds", 1, 86400),
        ("window_seconds", 0, MAX_FOR_SECONDS),
    ):
        value = data[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [_("Phải là số nguyên từ %(a)d đến %(b)d") % {"a": low, "b": high}]
    if not isinstance(data["labels"], dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float) for k, v in data["labels"].items()
    ):
        errors["labels"] = [_("Nhãn là các cặp tên → giá trị")]
    if data["aggregate"] not in AGGREGATES:
        errors["aggregate"] = [_("Cách tính gộp phải là một trong: %(v)s") % {"v": ", ".join(AGGREGATES)}]
    return errors


def _condition_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for op, value in (("raise_op", "raise_value"), ("clear_op", "clear_value")):
        if data[op] not in OPERATORS:
            errors[op] = [_("Phép so sánh phải là một trong > >= < <=")]
        if not _number(data[value]):
            errors[value] = [_("Ngưỡng phải là một số")]
    if not errors and not clear_reachable(data["raise_op"], data["raise_value"], data["clear_op"], data["clear_value"]):
        errors["clear_value"] = [
            _("Điều kiện hết không bao giờ đạt được cùng điều kiện báo (cần ngược chiều, không chồng lấn)")
        ]
    return errors


def _rule_errors(data: dict[str, Any], pk: int | None) -> dict[str, list[str]]:
    errors = {**_condition_errors(data), **_count_errors(data)}
    if data["observed_property"] not in PROPERTIES:
        errors["observed_property"] = [
            _("Đại lượng không có trong danh mục: “%(v)s”") % {"v": data["observed_property"]}
        ]
    if data["kind"] not in KINDS:
        errors["kind"] = [_("Loại cảnh báo không có trong danh mục: “%(v)s”") % {"v": data["kind"]}]
    if not isinstance(data["severity"], int) or not 1 <= data["severity"] <= 5:
        errors["severity"] = [_("Mức độ từ 1 (thông tin) đến 5 (khẩn cấp)")]
    if not str(data["name"] or "").strip():
        errors["name"] = [_("Cần tên quy tắc")]
    same_code = AlertRule.objects.filter(code=data["code"])
    if (same_code.exclude(pk=pk) if pk is not None else same_code).exists():
        errors["code"] = [_("Mã quy tắc đã có")]
    return errors


def _streams_errors(prop: str, streams: list[Datastream]) -> dict[str, list[str]]:
    wrong = [
        s.pk
        for s in streams
        if property_of(definition=s.observed_property.definition, name=s.observed_property.name) != prop
    ]
    if wrong:
        return {"datastreams": [_("Chuỗi số liệu không đo đại lượng này: %(ids)s") % {"ids": wrong}]}
    return {}


def _defaults() -> dict[str, Any]:
    return {
        "for_seconds": 0,
        "repeat_count": 1,
        "no_data_intervals": 0,
        "expected_interval_seconds": 900,
        "window_seconds": 0,
        "aggregate": "sum",
        "labels": {},
        "standard": "",
        "is_active": True,
    }


def _area_errors(actor: User, raw: Any, unit: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """R4.1: the rule's drawn or circular area, parsed and checked against the actor's scope; a commune and an
    area together are refused (which one would the rule watch?)."""
    try:
        stored, area = area_parse(raw)
        if area is not None:
            area_check_scope(actor=actor, area=area)
    except ValidationError as exc:
        return {}, exc.message_dict
    if stored and unit is not None:
        return {}, {"area": [_("Chọn một: mã đơn vị hoặc vùng theo dõi, không cả hai")]}
    return stored, {}


def _save(
    rule: AlertRule, data: dict[str, Any], streams: list[Datastream] | None, *, actor: User, unit: Any, area: Any
) -> None:
    errors = _rule_errors(data, rule.pk)
    if streams is not None and "observed_property" not in errors:
        errors.update(_streams_errors(data["observed_property"], streams))
    stored, area_errors = _area_errors(actor, area, unit)
    errors.update(area_errors)
    if errors:
        raise ValidationError(errors)
    for name in RULE_FIELDS:
        setattr(rule, name, data[name])
    rule.unit = unit
    rule.area = stored
    rule.save()
    if streams is not None:
        rule.datastreams.set(streams)
    RULES.changed()


@transaction.atomic
def rule_create(
    *,
    actor: User,
    datastreams: list[Datastream] | None = None,
    unit: AdminUnit | None = None,
    area: dict[str, Any] | None = None,
    **fields: Any,
) -> AlertRule:
    """R4.1: a new alert rule. Bad input (unknown property or kind, a clear condition that can never be met with
    the raise condition, counts out of range, an area that is invalid, too large or outside the territory —
    `rule_areas`): one ValidationError naming every field; nothing written. `unit` (a commune) or `area` (a point
    and radius or a drawn polygon) limits the rule to the Datastreams whose Thing lies there."""
    _require(actor)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Trường không có")] for name in sorted(unknown)})
    data = {**_defaults(), **fields}
    missing = [name for name in RULE_FIELDS if name not in data]
    if missing:
        raise ValidationError({name: [_("Cần nhập")] for name in missing})
    rule = AlertRule(created_by=actor)
    _save(rule, data, list(datastreams or []), actor=actor, unit=unit, area=area)
    changes = {**{k: data[k] for k in RULE_FIELDS}, **({"area": rule.area} if rule.area else {})}
    audit_record(actor=actor, action="sensors.rule.create", obj=rule, changes=changes)
    return rule


@transaction.atomic
def rule_update(
    *, actor: User, rule: AlertRule, datastreams: list[Datastream] | None = None, **fields: Any
) -> AlertRule:
    """R4.1: change a rule (retire it with `is_active=False`); the same checks as `rule_create`. `unit` and
    `area` keep their values unless given (`area={}` removes the area)."""
    _require(actor)
    unknown = set(fields) - set(RULE_FIELDS) - {"unit", "area"}
    if unknown:
        raise ValidationError({name: [_("Trường không có")] for name in sorted(unknown)})
    before = {name: getattr(rule, name) for name in (*RULE_FIELDS, "area")}
    data = {**before, **{k: v for k, v in fields.items() if k not in ("unit", "area")}}
    area = fields.get("area", rule.area)
    _save(rule, data, datastreams, actor=actor, unit=fields.get("unit", rule.unit), area=area)
    data["area"] = rule.area
    changed = {k: [before[k], data[k]] for k in (*RULE_FIELDS, "area") if before[k] != data[k]}
    audit_record(actor=actor, action="sensors.rule.update", obj=rule, changes=changed)
    return rule


def _silence_errors(kind: str, matchers: Any, starts_at: Any, ends_at: Any, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in SILENCE_KINDS:
        errors["kind"] = [_("Loại phải là tắt tiếng (silence) hoặc bảo trì (maintenance)")]
    if not isinstance(matchers, dict) or not matchers or not all(isinstance(k, str) for k in matchers):
        errors["matchers"] = [_("Cần ít nhất một điều kiện nhãn (tên → giá trị)")]
    aware = all(isinstance(t, dt.datetime) and timezone.is_aware(t) for t in (starts_at, ends_at))
    if not aware:
        errors["starts_at"] = [_("Cần thời điểm có múi giờ")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("Thời điểm kết thúc phải sau thời điểm bắt đầu")]
    if not str(reason or "").strip():
        errors["reason"] = [_("Cần nêu lý do")]
    return errors


def _schedule_errors(weekdays: Any, start: Any, end: Any) -> dict[str, list[str]]:
    """A recurring window: weekdays 0 (Monday) … 6 (Sunday), both daily times or neither, not the same time."""
    errors: dict[str, list[str]] = {}
    if not isinstance(weekdays, list | tuple) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in weekdays
    ):
        errors["weekdays"] = [_("Các ngày trong tuần là số từ 0 (thứ Hai) đến 6 (Chủ nhật)")]
    times = [t for t in (start, end) if t is not None]
    if any(not isinstance(t, dt.time) for t in times):
        errors["daily_start"] = [_("Giờ phải có dạng HH:MM")]
    elif len(times) == 1:
        errors["daily_end" if end is None else "daily_start"] = [_("Cần cả giờ bắt đầu và giờ kết thúc")]
    elif times and start == end:
        errors["daily_end"] = [_("Giờ kết thúc phải khác giờ bắt đầu")]
    if weekdays and not times and "weekdays" not in errors:
        errors["daily_start"] = [_("Lịch theo ngày trong tuần cần khung giờ hằng ngày")]
    return errors


@transaction.atomic
def silence_create(
    *,
    actor: User,
    kind: str,
    matchers: dict[str, Any],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    weekdays: list[int] | None = None,
    daily_start: dt.time | None = None,
    daily_end: dt.time | None = None,
) -> Silence:
    """R4.1: mute the hand-off of matching rule states to the inbox for a window (a silence, or a planned
    maintenance window of a station); the states themselves keep moving. With `daily_start`–`daily_end` (and
    `weekdays`) the window recurs: every day, or on those days, in Asia/Ho_Chi_Minh wall time, from `starts_at`
    until `ends_at`; matchers on `rule`, `thing` or `datastream` mute rules or sources."""
    _require(actor)
    weekdays = list(weekdays or [])
    errors = _silence_errors(kind, matchers, starts_at, ends_at, reason)
    errors.update(_schedule_errors(weekdays, daily_start, daily_end))
    if errors:
        raise ValidationError(errors)
    clean = {str(k): str(v) for k, v in matchers.items()}
    days = sorted(set(weekdays))
    silence = Silence.objects.create(
        kind=kind,
        matchers=clean,
        starts_at=starts_at,
        ends_at=ends_at,
        weekdays=days,
        daily_start=daily_start,
        daily_end=daily_end,
        reason=reason.strip(),
        author=actor,
    )
    schedule = {"weekdays": days, "daily": [str(daily_start or ""), str(daily_end or "")]}
    audit_record(
        actor=actor,
        action="sensors.silence.create",
        obj=silence,
        changes={"matchers": clean, "kind": kind, **(schedule if daily_start else {})},
    )
    return silence


@transaction.atomic
def silence_expire(*, actor: User, silence: Silence) -> Silence:
    """R4.1: end a silence now (the sweep then hands its firing states to the inbox)."""
    _require(actor)
    now = timezone.now()
    if silence.ends_at > now:
        silence.ends_at = max(now, silence.starts_at + dt.timedelta(seconds=1))
        silence.save(update_fields=["ends_at"])
        audit_record(actor=actor, action="sensors.silence.expire", obj=silence, changes={"ends_at": now.isoformat()})
    return silence


def _flood_rules(actor: User) -> int:
    made = 0
    streams = Datastream.objects.select_related("observed_property", "thing").order_by("pk")
    for stream in streams:
        prop = property_of(definition=stream.observed_property.definition, name=stream.observed_property.name)
        levels = alarm_levels(stream.properties) if prop == "water_level" else None
        if levels is None:
            continue
        for number, (level, severity) in enumerate(zip(levels, FLOOD_SEVERITIES, strict=True), start=1):
            code = f"bao-dong-{number}-ds-{stream.pk}"
            if AlertRule.objects.filter(code=code).exists():
                continue
            rule_create(
                actor=actor,
                datastreams=[stream],
                code=code,
                name=f"Báo động {('I', 'II', 'III')[number - 1]}: {stream.thing.name}"[:200],
                observed_property="water_level",
                kind="env.flood_level",
                severity=severity,
                raise_op=">=",
                raise_value=level,
                clear_op="<",
                clear_value=level - FLOOD_CLEAR_MARGIN,
                standard="QĐ 05/2020/QĐ-TTg",
            )
            made += 1
    return made


@transaction.atomic
def rules_install_standard(*, actor: User) -> int:
    """R4.1: the ready rules of national standards, as data (`rules_catalogue.READY_RULES`), and flood alarm
    levels I–III for every gauge whose Datastream has `properties.alarm_levels`. Idempotent (by code)."""
    _require(actor)
    made = 0
    for ready in READY_RULES:
        if AlertRule.objects.filter(code=ready.code).exists():
            continue
        rule_create(
            actor=actor,
            code=ready.code,
            name=ready.name,
            observed_property=ready.prop,
            kind=ready.kind,
            severity=ready.severity,
            raise_op=ready.raise_op,
            raise_value=ready.raise_value,
            clear_op="<=",
            clear_value=ready.clear_value,
            for_seconds=ready.for_seconds,
            window_seconds=ready.window_seconds,
            no_data_intervals=4,
            standard=ready.standard,
        )
        made += 1
    return made + _flood_rules(actor)
