"""Procedures and their versions (R5.3): typed by the IOC (`views.config`) or imported from a file in the data
hub's template of `datasets.procedure_schema` (`services.procedure_import`); both through `procedure_version_set`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.audit.services import audit_record
from ioc.common.roles import Role, actor_require_role
from ioc.dossiers.choices import CODE_MAX, ProcedureLevel
from ioc.dossiers.models import Procedure, ProcedureStep, ProcedureVersion
from ioc.dossiers.selectors import PROCEDURE_VERSIONS

CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})


def _days(value: Any, field: str) -> Decimal:
    try:
        days = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: [_("Số ngày không hợp lệ / Not a number of days")]}) from exc
    if not days.is_finite() or days <= 0 or days > 3650:
        raise ValidationError({field: [_("Số ngày phải lớn hơn 0 / Days must be above 0")]})
    return days.quantize(Decimal("0.01"))


def _steps(steps: list[dict[str, Any]], limit: Decimal) -> list[tuple[str, str, Decimal]]:
    if not steps:
        raise ValidationError({"steps": [_("Cần ít nhất một bước xử lý / At least one step")]})
    parsed: list[tuple[str, str, Decimal]] = []
    for n, step in enumerate(steps, start=1):
        code, name = str(step.get("code", "")).strip(), str(step.get("name", "")).strip()
        if not code or len(code) > CODE_MAX or not name or len(name) > 200:
            raise ValidationError(
                {"steps": [_("Bước %(n)s thiếu mã hoặc tên / Step %(n)s lacks a code or name") % {"n": n}]}
            )
        parsed.append((code, name, _days(step.get("allotted_days"), "steps")))
    if len({code for code, _n, _d in parsed}) != len(parsed):
        raise ValidationError({"steps": [_("Mã bước bị trùng / Duplicate step code")]})
    if sum(days for _c, _n, days in parsed) > limit:
        raise ValidationError({"steps": [_("Tổng thời gian các bước vượt thời hạn / Steps exceed the limit")]})
    return parsed


@transaction.atomic
def procedure_version_set(
    *,
    code: str,
    name: str,
    field: str,
    effective_from: dt.date,
    limit_days: Any,
    steps: list[dict[str, Any]],
    documents: list[str] | None = None,
    fee: Any = 0,
    stop_clock_on_supplement: bool = True,
    level: str = "",
    actor: User,
) -> ProcedureVersion:
    """R5.3: a procedure (created when new) and its version in force from `effective_from`, with ordered steps."""
    refused = _("Chỉ quản trị, lãnh đạo IOC cấu hình thủ tục / Administrators and IOC leaders only")
    actor_require_role(actor, CONFIG_ROLES, refused)
    code, name, field = code.strip(), name.strip(), field.strip()
    if not code or len(code) > CODE_MAX:
        raise ValidationError({"code": [_("Mã thủ tục không hợp lệ / Invalid procedure code")]})
    if not name or not field:
        raise ValidationError({"name": [_("Cần tên và lĩnh vực / Name and field are required")]})
    if level not in ("", *ProcedureLevel.values):
        raise ValidationError({"level": [_("Cấp thực hiện không hợp lệ / Unknown level")]})
    limit = _days(limit_days, "limit_days")
    parsed = _steps(steps, limit)
    values = {"name": name, "field": field, **({"level": level} if level else {})}
    procedure, _created = Procedure.objects.update_or_create(code=code, defaults=values)
    if procedure.versions.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": [_("Đã có phiên bản từ ngày này / A version from this date exists")]})
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        effective_from=effective_from,
        limit_days=limit,
        documents=[d.strip() for d in documents or [] if d.strip()],
        fee=Decimal(str(fee or 0)),
        stop_clock_on_supplement=stop_clock_on_supplement,
    )
    ProcedureStep.objects.bulk_create(
        ProcedureStep(version=version, order=i, code=c, name=n, allotted_days=d)
        for i, (c, n, d) in enumerate(parsed, 1)
    )
    audit_record(actor=actor, action="procedure_version.set", obj=version, changes={"code": code, "limit": str(limit)})
    PROCEDURE_VERSIONS.changed()  # the intake's versions in force (selectors.versions_in_force)
    return version
