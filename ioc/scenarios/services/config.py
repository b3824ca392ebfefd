"""Scenarios as data (R4.6): create and edit (each save a new version), retire. Administrators and the IOC
leader configure them; every refusal names its field and writes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.audit.services import audit_record
from ioc.common.plaintext import has_markup
from ioc.common.roles import Role, actor_require_role
from ioc.scenarios.choices import CODE_MAX, TEXT_MAX, TITLE_MAX
from ioc.scenarios.definition import definition_clean
from ioc.scenarios.models import Scenario, ScenarioVersion

CONFIG_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_LEADER})


def require_config(actor: User) -> None:
    actor_require_role(
        actor,
        CONFIG_ROLES,
        _("Chỉ quản trị hệ thống, lãnh đạo IOC được sửa kịch bản / Only administrators and IOC leaders edit scenarios"),
    )


def _graph(exclude: str) -> dict[str, list[str]]:
    rows = Scenario.objects.filter(is_active=True).exclude(code=exclude).values_list("code", "definition")
    return {code: list((definition or {}).get("activates", [])) for code, definition in rows}


def _fields(name: Any, group: Any, description: Any) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {"name": str(name or "").strip(), "group": str(group or "").strip(), "description": str(description or "")}
    limits = {"name": TITLE_MAX, "group": CODE_MAX, "description": TEXT_MAX}
    for field, value in values.items():
        if field == "name" and not value:
            errors[field] = [_("Không được để trống / Required")]
        elif len(value) > limits[field]:
            errors[field] = [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": limits[field]}]
        elif has_markup(value):
            errors[field] = [_("Không được chứa thẻ HTML / Must not contain HTML tags")]
    if errors:
        raise ValidationError(errors)
    return values


def _snapshot(scenario: Scenario, actor: User) -> ScenarioVersion:
    return ScenarioVersion.objects.create(
        scenario=scenario,
        number=scenario.version,
        name=scenario.name,
        definition=scenario.definition,
        saved_by=actor,
        saved_at=scenario.updated_at,
    )


@transaction.atomic
def scenario_create(
    *, actor: User, code: str, name: str, definition: Any, group: str = "", description: str = ""
) -> Scenario:
    """R4.6: a new scenario (version 1). Bad input: one ValidationError naming every field; nothing written."""
    require_config(actor)
    code = str(code or "").strip()
    errors: dict[str, list[str]] = {}
    if not code or slugify(code) != code or len(code) > CODE_MAX:
        errors["code"] = [_("Mã gồm chữ thường không dấu, số, gạch ngang / code: lowercase letters, digits, dashes")]
    elif Scenario.objects.filter(code=code).exists():
        errors["code"] = [_("Mã đã được dùng / The code is taken")]
    values: dict[str, str] = {}
    normal: dict[str, Any] = {}
    try:
        values = _fields(name, group, description)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        normal = definition_clean(definition, code=code, graph=lambda: _graph(code))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    scenario = Scenario.objects.create(code=code, definition=normal, updated_at=timezone.now(), **values)
    _snapshot(scenario, actor)
    audit_record(actor=actor, action="scenario.create", obj=scenario, changes={"code": code, "version": 1})
    return scenario


@transaction.atomic
def scenario_update(
    *,
    actor: User,
    scenario: Scenario,
    name: str,
    definition: Any,
    group: str = "",
    description: str = "",
    is_active: bool = True,
) -> Scenario:
    """R4.6: save a new version of a scenario (or retire it with `is_active=False`); activations already made keep
    the version they ran."""
    require_config(actor)
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    normal: dict[str, Any] = {}
    try:
        values = _fields(name, group, description)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        normal = definition_clean(definition, code=scenario.code, graph=lambda: _graph(scenario.code))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    before = locked.version
    for field, value in values.items():
        setattr(locked, field, value)
    locked.definition, locked.is_active = normal, bool(is_active)
    locked.version, locked.updated_at = before + 1, timezone.now()
    locked.save()
    _snapshot(locked, actor)
    audit_record(
        actor=actor,
        action="scenario.update",
        obj=locked,
        changes={"version": [before, locked.version], "is_active": locked.is_active},
    )
    return locked
