"""R5.6: the watched assets, their event sources and event rules, set by the IOC (configuration, "Quản trị").
Every write checks the actor's role, validates, writes and records an audit entry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import actor_require_role
from ioc.cybersecurity import imagehash
from ioc.cybersecurity.choices import CONFIG_ROLES, AssetKind
from ioc.cybersecurity.models import Asset, EventRule, EventSource

if TYPE_CHECKING:
    from ioc.accounts.models import User

ASSET_FIELDS = (
    "name",
    "kind",
    "agency",
    "level",
    "url",
    "dns_expected",
    "deface_selectors",
    "forbidden_words",
    "forbidden_images",
    "interval_minutes",
    "is_active",
)
LIST_LIMIT = 50


def require_config(actor: User | None) -> None:
    actor_require_role(
        actor, CONFIG_ROLES, _("Chỉ quản trị hệ thống, lãnh đạo IOC cấu hình giám sát / Only administrators configure")
    )


def _url_errors(url: str, kind: str) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [_("Cần địa chỉ http:// hoặc https:// có tên máy / An http(s) URL with a host is required")]
    if kind == AssetKind.DC_SEGMENT and not parts.hostname:
        return [_("Cần địa chỉ của phân vùng / The segment's address is required")]
    return []


def _list_errors(values: Any, field: str) -> dict[str, list[str]]:
    if not isinstance(values, list) or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in values):
        return {field: [_("Cần danh sách chuỗi 1–200 ký tự / A list of 1–200 character strings")]}
    if len(values) > LIST_LIMIT:
        return {field: [_("Tối đa %(n)d mục / At most %(n)d items") % {"n": LIST_LIMIT}]}
    return {}


def _selector_errors(selectors: list[str]) -> list[str]:
    for selector in selectors:
        try:
            GenericTranslator().css_to_xpath(selector)
        except SelectorError:
            return [_("Bộ chọn CSS không hợp lệ: “%(s)s” / Invalid CSS selector") % {"s": selector[:60]}]
    return []


def _hash_errors(values: Any) -> dict[str, list[str]]:
    """Known defacement images as dHashes: 16 hex digits each (imagehash.py)."""
    if not isinstance(values, list) or not all(isinstance(v, str) and imagehash.HEX.match(v) for v in values):
        return {
            "forbidden_images": [_("Mỗi dòng một mã dHash 16 chữ số hex (0–9, a–f) / One 16-hex-digit dHash per line")]
        }
    if len(values) > LIST_LIMIT:
        return {"forbidden_images": [_("Tối đa %(n)d mục / At most %(n)d items") % {"n": LIST_LIMIT}]}
    return {}


def _validate(asset: Asset) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("dns_expected", "deface_selectors", "forbidden_words"):
        errors.update(_list_errors(getattr(asset, field), field))
    if "deface_selectors" not in errors and (bad := _selector_errors(asset.deface_selectors)):
        errors["deface_selectors"] = bad
    errors.update(_hash_errors(asset.forbidden_images))
    if bad := _url_errors(asset.url, asset.kind):
        errors["url"] = bad
    try:
        exclude = ["dns_expected", "deface_selectors", "forbidden_words", "forbidden_images", "deface_images"]
        asset.full_clean(exclude=[*exclude, *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def asset_create(*, actor: User, code: str, **fields: Any) -> Asset:
    """R5.6: watch a new asset (checked from now on)."""
    require_config(actor)
    asset = Asset(code=code, **{k: v for k, v in fields.items() if k in (*ASSET_FIELDS, "is_demo")})
    _validate(asset)
    asset.save()
    audit_record(actor=actor, action="cyber_asset.create", obj=asset, changes={"code": code, "url": asset.url})
    return asset


@transaction.atomic
def asset_update(*, actor: User, asset: Asset, **fields: Any) -> Asset:
    """R5.6: change an asset; a changed address or regions takes a new defacement baseline at the next check."""
    require_config(actor)
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ASSET_FIELDS and getattr(locked, name) != value:
            changes[name] = str(value)[:200]
            setattr(locked, name, value)
    _validate(locked)
    if {"url", "deface_selectors"} & changes.keys():
        locked.deface_fingerprint, locked.deface_baseline, locked.deface_images = "", "", None
    locked.next_check_at = timezone.now()
    locked.save()
    audit_record(actor=actor, action="cyber_asset.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def asset_rebaseline(*, actor: User, asset: Asset) -> Asset:
    """R5.6: the page's change was legitimate: the next check takes the watched regions as the new baseline."""
    require_config(actor)
    Asset.objects.filter(pk=asset.pk).update(
        deface_fingerprint="", deface_baseline="", deface_images=None, next_check_at=timezone.now()
    )
    audit_record(actor=actor, action="cyber_asset.rebaseline", obj=asset)
    asset.refresh_from_db()
    return asset


@transaction.atomic
def event_source_set(
    *, actor: User, name: str, address: str, agency: Any, is_active: bool = True, expect_new: bool = False
) -> EventSource:
    """R5.6: register (or change) a sender of syslog events by its address; `expect_new` (the "add" page) refuses
    an address already registered instead of changing its sender."""
    require_config(actor)
    source = EventSource.objects.filter(address=address).first()
    if source is not None and expect_new:
        raise ValidationError(
            {"address": _("Địa chỉ này đã được đăng ký cho nguồn “%(name)s”") % {"name": source.name}}
        )
    before = _source_values(source) if source is not None else None
    source = source or EventSource(address=address)
    source.name, source.agency, source.is_active = name, agency, is_active
    source.full_clean(validate_unique=False)
    _save_unique(source, "address", _("Địa chỉ này đã được đăng ký cho một nguồn khác"))
    changes: dict[str, Any] = {"address": address, **_source_values(source)}
    if before is not None:
        changes["before"] = before
    audit_record(actor=actor, action="cyber_source.set", obj=source, changes=changes)
    return source


def _source_values(source: EventSource) -> dict[str, Any]:
    return {"name": source.name, "agency": source.agency_id, "is_active": source.is_active}


def _save_unique(obj: EventSource | EventRule, field: str, message: str) -> None:
    """Save; a twin written meanwhile by another request (the unique key) is the field's error, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError({field: [message]}) from None


@transaction.atomic
def event_rule_set(*, actor: User, code: str, expect_new: bool = False, **fields: Any) -> EventRule:
    """R4.1, R5.6: create or change an event rule (prefix, minimum severity, count within a window); `expect_new`
    (the "add" page) refuses a code already in use."""
    require_config(actor)
    rule = EventRule.objects.filter(code=code).first()
    if rule is not None and expect_new:
        raise ValidationError({"code": _("Mã này đã dùng cho luật “%(name)s”") % {"name": rule.name}})
    names = ("name", "rule_prefix", "min_severity", "threshold", "window_minutes", "is_active")
    before = {name: getattr(rule, name) for name in names} if rule is not None else None
    rule = rule or EventRule(code=code)
    for name, value in fields.items():
        if name in names:
            setattr(rule, name, value)
    rule.full_clean(validate_unique=False)
    _save_unique(rule, "code", _("Mã này đã dùng cho một luật khác"))
    changes: dict[str, Any] = {name: getattr(rule, name) for name in names}
    if before is not None:
        changes["before"] = before
    audit_record(actor=actor, action="cyber_rule.set", obj=rule, changes=changes)
    return rule
