"""Writes of agencies (R1.1, R7.1): every change is audited, bad input is a ValidationError naming the field."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.agencies import selectors
from ioc.agencies.choices import DEMO_SOURCE, INTERNAL_BY_DEFAULT_KINDS, ActRole, AgencyKind, Sensitivity
from ioc.agencies.models import Agency, AgencyActRole, InformationSystem
from ioc.audit.services import audit_record
from ioc.common.roles import AGENCY_CONFIG_ROLES, actor_require_role
from ioc.geo.choices import Hierarchy
from ioc.geo.models import AdminUnit

if TYPE_CHECKING:  # a type only (accounts sits above agencies)
    from ioc.accounts.models import User

# An article of a seed act (`002:8.1`, `002:14.5a`) or `demo` for what the act does not name.
SOURCE_PATTERN = re.compile(r"^\d{3}:\d+(\.\d+)*[a-zđ]?$")
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
UPDATABLE_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "parent",
    "unit",
    "works_24x7",
    "email",
    "default_sensitivity",
    "is_active",
)


def _require_admin(actor: User) -> None:
    """R7.1: the catalogue of agencies and systems is the system administrator's (the system account included)."""
    actor_require_role(
        actor,
        AGENCY_CONFIG_ROLES,
        _("Chỉ quản trị hệ thống được sửa danh mục cơ quan / Only a system administrator may change agencies"),
    )


def _check_code(code: str, model: type[Agency] | type[InformationSystem]) -> None:
    if not CODE_PATTERN.match(code or "") or len(code) > 60:
        raise ValidationError({"code": [_("Mã chỉ gồm chữ thường không dấu, số và dấu gạch / Invalid code")]})
    if model.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("Mã đã được dùng / Code already in use")]})


def _check_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned or len(cleaned) > 200:
        raise ValidationError({"name": [_("Tên bắt buộc, tối đa 200 ký tự / Name required, 200 characters at most")]})
    return cleaned


def _check_kind(kind: str) -> None:
    if kind not in AgencyKind.values:
        raise ValidationError({"kind": [_("Loại cơ quan không hợp lệ / Unknown agency kind")]})


def _check_unit(unit: AdminUnit | None) -> None:
    if unit is not None and unit.hierarchy != Hierarchy.CURRENT:
        raise ValidationError({"unit": [_("Không gắn cơ quan với đơn vị hành chính cũ / Legacy unit not allowed")]})


def _check_parent(agency: Agency | None, parent: Agency | None) -> None:
    node = parent
    while node is not None:
        if agency is not None and node.pk == agency.pk:
            raise ValidationError({"parent": [_("Cơ quan cấp trên tạo vòng lặp / Parent would create a cycle")]})
        node = node.parent


@transaction.atomic
def agency_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str = AgencyKind.OTHER,
    name_en: str = "",
    short_name: str = "",
    parent: Agency | None = None,
    unit: AdminUnit | None = None,
    works_24x7: bool = False,
    email: str = "",
    default_sensitivity: str | None = None,
) -> Agency:
    """R1.1: a new agency of the deployment. R5.5: its data's default sensitivity, internal for police and security
    agencies unless given."""
    _require_admin(actor)
    _check_code(code, Agency)
    cleaned = _check_name(name)
    _check_kind(kind)
    _check_unit(unit)
    if default_sensitivity is None:
        default_sensitivity = Sensitivity.INTERNAL if kind in INTERNAL_BY_DEFAULT_KINDS else ""
    agency = Agency(
        code=code,
        name=cleaned,
        kind=kind,
        name_en=name_en,
        short_name=short_name,
        parent=parent,
        unit=unit,
        works_24x7=works_24x7,
        email=email,
        default_sensitivity=default_sensitivity,
    )
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="agency.create", obj=agency, changes={"code": code, "name": cleaned, "kind": kind})
    return agency


def _audit_value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, **fields: Any) -> Agency:
    """R1.1: change an agency's name, kind, parent, unit, contact or status; unchanged fields are no-ops."""
    _require_admin(actor)
    unknown = sorted(set(fields) - set(UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("Không được sửa trường này / Field cannot be changed")] for name in unknown})
    if "name" in fields:
        fields["name"] = _check_name(fields["name"])
    if "kind" in fields:
        _check_kind(fields["kind"])
    if "unit" in fields:
        _check_unit(fields["unit"])
    if "parent" in fields:
        _check_parent(agency, fields["parent"])
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    changes = {
        name: [_audit_value(getattr(agency, name)), _audit_value(value)]
        for name, value in fields.items()
        if getattr(agency, name) != value
    }
    if not changes:
        return agency
    for name in changes:
        setattr(agency, name, fields[name])
    agency.full_clean()
    agency.save(update_fields=list(changes))
    audit_record(actor=actor, action="agency.update", obj=agency, changes=changes)
    return agency


@transaction.atomic
def agency_act_role_add(*, actor: User, agency: Agency, role: str, source: str) -> AgencyActRole:
    """R7.1: the role the act gives an agency, citing its article (`002:8.1`) or `demo`.

    Adding the same role with the same source again changes nothing; another source for a role the agency
    already has is refused (the citation is corrected by removing the role first).
    """
    _require_admin(actor)
    if role not in ActRole.values:
        raise ValidationError({"role": [_("Vai trò không hợp lệ / Unknown role")]})
    source = (source or "").strip()
    if source != DEMO_SOURCE and not SOURCE_PATTERN.match(source):
        raise ValidationError(
            {"source": [_("Căn cứ phải là điều khoản (002:8.1) hoặc 'demo' / Source must cite an article or 'demo'")]}
        )
    existing = AgencyActRole.objects.filter(agency=agency, role=role).first()
    if existing is not None:
        if existing.source == source:
            return existing
        raise ValidationError({"role": [_("Cơ quan đã có vai trò này với căn cứ khác / Role already cited elsewhere")]})
    act_role = AgencyActRole.objects.create(agency=agency, role=role, source=source)
    audit_record(actor=actor, action="agency.act_role_add", obj=agency, changes={"role": role, "source": source})
    return act_role


@transaction.atomic
def agency_act_role_remove(*, actor: User, agency: Agency, role: str) -> None:
    """R7.1: withdraw a role from an agency (a new act, or a wrong citation)."""
    _require_admin(actor)
    act_role = AgencyActRole.objects.filter(agency=agency, role=role).first()
    if act_role is None:
        raise ValidationError({"role": [_("Cơ quan không có vai trò này / Agency has no such role")]})
    act_role.delete()
    audit_record(actor=actor, action="agency.act_role_remove", obj=agency, changes={"role": role})


@transaction.atomic
def information_system_create(
    *, actor: User, agency: Agency, code: str, name: str, description: str = ""
) -> InformationSystem:
    """R1.1, R1.2: an information system of an agency; its service account comes from an account request."""
    _require_admin(actor)
    _check_code(code, InformationSystem)
    cleaned = _check_name(name)
    if not agency.is_active:
        raise ValidationError({"agency": [_("Cơ quan đã ngừng hoạt động / Agency is inactive")]})
    system = InformationSystem.objects.create(agency=agency, code=code, name=cleaned, description=description)
    selectors.SYSTEMS_BY_USER.changed()
    audit_record(
        actor=actor, action="information_system.create", obj=system, changes={"agency": agency.code, "code": code}
    )
    return system


SYSTEM_UPDATABLE_FIELDS = ("name", "description", "is_active")


@transaction.atomic
def information_system_update(*, actor: User, system: InformationSystem, **fields: Any) -> InformationSystem:
    """R1.1, R1.2: rename, describe, retire or resume an information system; system administrator only.

    A system whose service account still holds a token in force is not retired: revoke its tokens first (through
    an account request), so that a retired system can no longer call the API.
    """
    actor_require_role(
        actor, AGENCY_CONFIG_ROLES, _("Chỉ quản trị hệ thống được sửa / Only system administrators may change this")
    )
    unknown = sorted(set(fields) - set(SYSTEM_UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("Không được sửa trường này / Field cannot be changed")] for name in unknown})
    if "name" in fields:
        fields["name"] = _check_name(fields["name"])
    locked = InformationSystem.objects.select_for_update().get(pk=system.pk)
    if fields.get("is_active") is False and locked.is_active and _has_tokens_in_force(locked):
        raise ValidationError(
            {"is_active": [_("Hãy thu hồi mã truy cập còn hiệu lực trước / Revoke its tokens in force first")]}
        )
    changes = {name: [getattr(locked, name), value] for name, value in fields.items() if getattr(locked, name) != value}
    if not changes:
        return locked
    for name in changes:
        setattr(locked, name, fields[name])
    locked.full_clean()
    locked.save(update_fields=list(changes))
    selectors.SYSTEMS_BY_USER.changed()
    audit_record(actor=actor, action="information_system.update", obj=locked, changes=changes)
    return locked


def _has_tokens_in_force(system: InformationSystem) -> bool:
    # Through the reverse relation: agencies sits below accounts and does not import its models.
    if system.service_user is None:
        return False
    tokens = system.service_user.api_tokens
    return bool(tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).exists())
