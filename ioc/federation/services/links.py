"""Links between centers (R9.1, R9.2): register a parent, a child or the national endpoint, agree what flows,
exchange the shared key on a written request (R7.2), map codes between levels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import RequestKind, RequestStatus
from ioc.accounts.models import AccountRequest
from ioc.audit.services import audit_record
from ioc.federation import signing
from ioc.federation.choices import FLOWS_BY_ROLE, LinkRole, MappingKind
from ioc.federation.models import CodeMapping, Link
from ioc.federation.services._base import require_admin
from ioc.geo import selectors as geo_selectors
from ioc.indicators import selectors as indicator_selectors

if TYPE_CHECKING:
    from ioc.accounts.models import User

Errors = dict[str, list[str]]
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,59}")
_KEY_ID = re.compile(r"[A-Za-z0-9._-]{4,60}")
_UNIT = re.compile(r"(?:legacy:)?[0-9]{2,5}|territory")


def _link_errors(code: str, name: str, role: str, base_url: str, flows: Sequence[str]) -> Errors:
    errors: Errors = {}
    if not _CODE.fullmatch(code or ""):
        errors["code"] = [_("Mã gồm chữ thường, số và gạch nối (2–60) / Lower-case letters, digits, hyphens (2–60)")]
    if not (name or "").strip() or len(name) > 200:
        errors["name"] = [_("Cần tên trung tâm (tối đa 200 ký tự) / A name is required (200 max)")]
    if role not in LinkRole.values:
        errors["role"] = [_("Vai trò không hợp lệ / Unknown role")]
        return errors
    allowed = FLOWS_BY_ROLE[LinkRole(role)]
    unknown = [flow for flow in flows if flow not in allowed]
    if unknown:
        errors["flows"] = [
            _("Luồng không áp dụng cho vai trò này / Flow not allowed for this role: %(f)s") % {"f": ", ".join(unknown)}
        ]
    errors.update(_url_errors(base_url, required=role != LinkRole.CHILD))
    return errors


def _url_errors(base_url: str, *, required: bool) -> Errors:
    if not base_url:
        return {"base_url": [_("Cần địa chỉ trung tâm / The address is required")]} if required else {}
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return {"base_url": [_("Địa chỉ phải là URL http(s) không có tham số / An http(s) URL without query")]}
    return {}


@transaction.atomic
def link_create(
    *,
    actor: User,
    code: str,
    name: str,
    role: str,
    base_url: str = "",
    flows: Sequence[str] = (),
    indicator_codes: Sequence[str] = (),
) -> Link:
    """R9.1: register the parent, a child or the national endpoint and what flows over the link. The address is
    reached through the outbound client: a loopback or private address must be allow-listed by an administrator
    (OUTBOUND_ALLOWED_CIDRS)."""
    require_admin(actor)
    errors = _link_errors(code, name, role, base_url, flows)
    if Link.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Mã liên kết đã có / This link code exists"))
    if errors:
        raise ValidationError(errors)
    link = Link.objects.create(
        code=code,
        name=name.strip(),
        role=role,
        base_url=base_url.rstrip("/"),
        flows=sorted(set(flows)),
        indicator_codes=sorted({c.strip() for c in indicator_codes if c.strip()}),
    )
    audit_record(actor=actor, action="federation_link.create", obj=link, changes=_summary(link))
    return link


@transaction.atomic
def link_update(
    *,
    actor: User,
    link: Link,
    name: str,
    base_url: str,
    flows: Sequence[str],
    indicator_codes: Sequence[str],
    is_active: bool,
) -> Link:
    """R9.1: change the address, the agreed flows or the indicators sent, or retire the link."""
    require_admin(actor)
    errors = _link_errors(link.code, name, link.role, base_url, flows)
    if errors:
        raise ValidationError(errors)
    before = _summary(link)
    link.name, link.base_url, link.is_active = name.strip(), base_url.rstrip("/"), is_active
    link.flows = sorted(set(flows))
    link.indicator_codes = sorted({c.strip() for c in indicator_codes if c.strip()})
    link.save(update_fields=["name", "base_url", "flows", "indicator_codes", "is_active"])
    audit_record(actor=actor, action="federation_link.update", obj=link, changes={"before": before, **_summary(link)})
    return link


def _summary(link: Link) -> dict[str, Any]:
    return {
        "code": link.code,
        "role": link.role,
        "base_url": link.base_url,
        "flows": list(link.flows),
        "indicator_codes": list(link.indicator_codes),
        "is_active": link.is_active,
    }


@transaction.atomic
def link_keys_set(
    *, actor: User, link: Link, account_request: AccountRequest, key_id: str, secret: str = ""
) -> tuple[Link, str]:
    """R9.1, R7.2: set the link's key id and shared secret on a pending written request (kind "issue token",
    the machine-link rule of R7.2), which this applies. An empty `secret` makes a new one, returned once to be
    handed to the other center; a given one is the other center's. The secret is sealed at rest."""
    require_admin(actor)
    request = _request_take(account_request)
    errors: Errors = {}
    if not _KEY_ID.fullmatch(key_id or ""):
        errors["key_id"] = [_("Mã khóa 4–60 ký tự chữ, số, . _ - / Key id: 4–60 of letters, digits, . _ -")]
    elif Link.objects.filter(key_id=key_id).exclude(pk=link.pk).exists():
        errors["key_id"] = [_("Mã khóa đã dùng cho liên kết khác / Key id used by another link")]
    if secret and len(secret) < 32:
        errors["secret"] = [_("Khóa bí mật tối thiểu 32 ký tự / The secret needs at least 32 characters")]
    if errors:
        raise ValidationError(errors)
    secret = secret or signing.new_secret()
    link.key_id, link.secret_sealed, link.keys_request = key_id, signing.seal(secret), request
    link.save(update_fields=["key_id", "secret_sealed", "keys_request"])
    request.status, request.decided_at = RequestStatus.APPLIED, timezone.now()
    request.payload = {**request.payload, "applied": {"federation_link": link.code, "key_id": key_id}}
    request.save(update_fields=["status", "decided_at", "payload"])
    audit_record(
        actor=actor,
        action="federation_link.keys_set",
        obj=link,
        changes={"key_id": key_id, "account_request": request.pk, "document_no": request.document_no},
    )
    return link, secret


def _request_take(account_request: Any) -> AccountRequest:
    fresh = None
    if isinstance(account_request, AccountRequest) and account_request.pk is not None:
        fresh = AccountRequest.objects.select_for_update().filter(pk=account_request.pk).first()
    if fresh is None:
        raise ValidationError({"account_request": [_("Cần văn bản đề nghị hợp lệ / An account request is required")]})
    if fresh.kind != RequestKind.ISSUE_TOKEN or fresh.status != RequestStatus.PENDING:
        raise ValidationError(
            {
                "account_request": [
                    _(
                        "Cần văn bản cấp mã truy cập đang chờ thực hiện / "
                        "A pending request to issue a system key is required"
                    )
                ]
            }
        )
    return fresh


def _local_errors(kind: str, local_code: str) -> Errors:
    """The code a mapping points to must exist here: a 2025 unit (or "territory"), a catalogue indicator."""
    if kind == MappingKind.UNIT and local_code != "territory":
        try:
            unit = geo_selectors.unit_get(ref=local_code)
        except (geo_selectors.UnitRefError, geo_selectors.UnitNotFoundError):
            unit = None
        if unit is None or unit.hierarchy != "2025":
            return {"local_code": [_("Không có đơn vị 2025 mã này / No 2025 unit with this code")]}
    if kind == MappingKind.INDICATOR and indicator_selectors.indicator_get(code=local_code) is None:
        return {"local_code": [_("Không có chỉ số mã này / No indicator with this code")]}
    return {}


@transaction.atomic
def mapping_set(*, actor: User, link: Link, kind: str, remote_code: str, local_code: str) -> CodeMapping:
    """R9.1 "Mapping": the code the other center sends and what it means here (units: `25270`, `legacy:25270`).
    The local code must exist here; a remote code already mapped on the link is refused (remove it first)."""
    require_admin(actor)
    remote_code, local_code = (remote_code or "").strip(), (local_code or "").strip()
    errors: Errors = {}
    if kind not in MappingKind.values:
        errors["kind"] = [_("Loại mã không hợp lệ / Unknown kind")]
    for field, value in (("remote_code", remote_code), ("local_code", local_code)):
        if not value or len(value) > 80:
            errors[field] = [_("Cần mã (tối đa 80 ký tự) / A code is required (80 max)")]
        elif kind == MappingKind.UNIT and not _UNIT.fullmatch(value):
            errors[field] = [_("Mã đơn vị dạng 25270 hoặc legacy:25270 / A unit code: 25270 or legacy:25270")]
    if not errors:
        errors.update(_local_errors(kind, local_code))
    if CodeMapping.objects.filter(link=link, kind=kind, remote_code=remote_code).exists():
        errors.setdefault("remote_code", []).append(_("Mã này đã được ánh xạ / This code is already mapped"))
    if errors:
        raise ValidationError(errors)
    mapping = CodeMapping.objects.create(link=link, kind=kind, remote_code=remote_code, local_code=local_code)
    audit_record(
        actor=actor,
        action="federation_mapping.set",
        obj=mapping,
        changes={"link": link.code, "kind": kind, "remote_code": remote_code, "local_code": local_code},
    )
    return mapping


@transaction.atomic
def mapping_remove(*, actor: User, mapping: CodeMapping) -> None:
    """R9.1 "Mapping": remove a mapping (the remote code then means itself)."""
    require_admin(actor)
    changes = {"link": mapping.link.code, "kind": mapping.kind, "remote_code": mapping.remote_code}
    audit_record(actor=actor, action="federation_mapping.remove", obj=mapping, changes=changes)
    CodeMapping.objects.filter(pk=mapping.pk).delete()
