"""Reads of accounts data, the user's scope (DESIGN "Scope") and token resolution."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ioc.accounts.choices import AGENCY_ROLES, STAFF_ROLES, SYSTEM_USERNAME, TERRITORY_ROLES, Role
from ioc.accounts.models import AccountRequest, ApiToken, RoleAssignment, User
from ioc.accounts.tokens import token_digest, token_split
from ioc.common.context import request_memo
from ioc.common.rawread import Reader
from ioc.common.refcache import RefCache

if TYPE_CHECKING:
    from ioc.agencies.models import Agency
    from ioc.geo.models import AdminUnit

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """R7.1: what a user may see — the whole territory, or some agencies and administrative subtrees."""

    everything: bool = False
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    unit_paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.agency_ids or self.unit_paths)


def user_scope(*, user: Any) -> Scope:
    """R7.1: territory roles see everything; agency roles see their agency (and children) and units.

    Within a request it is read once per user (issue 20 "Speed": every domain's selector asks, 13 times on the
    operator's queue): the memo holds the user's `role_codes` it was read with, so a service that changes the roles
    (and forgets `role_codes`, as the accounts services do) is seen at once; outside a request it is always read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    memo = request_memo()
    roles = getattr(user, "role_codes", None)
    if memo is None or roles is None:
        return _scope_read(user)
    key, agency_id = ("accounts.user_scope", user.pk), getattr(user, "agency_id", None)
    found = memo.get(key)
    if found is not None and found[0] is roles and found[1] == agency_id:
        kept: Scope = found[2]
        return kept
    scope = _scope_read(user)
    memo[key] = (roles, agency_id, scope)
    return scope


def _scope_read(user: Any) -> Scope:
    # Only the columns the scope needs: a unit's row carries its boundary polygon, read on every scoped request.
    assignments = list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", "agency_id", "unit__path")
    )
    if any(role in TERRITORY_ROLES or role == Role.SYSTEM_ADMIN for role, _agency, _path in assignments):
        return Scope(everything=True)
    agency_ids: set[int] = set()
    paths: list[str] = []
    for role, assigned_agency, unit_path in assignments:
        if role in AGENCY_ROLES:
            agency_id = assigned_agency or user.agency_id
            if agency_id:
                agency_ids.add(agency_id)
        if unit_path is not None:
            paths.append(unit_path)
    return Scope(agency_ids=frozenset(_with_children(agency_ids)), unit_paths=tuple(sorted(set(paths))))


def _with_children(agency_ids: set[int]) -> set[int]:
    from ioc.agencies.models import Agency

    found = set(agency_ids)
    frontier = set(agency_ids)
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def scope_filter(
    qs: QuerySet[M],
    *,
    scope: Scope,
    agency_field: str | None = None,
    unit_field: str | None = None,
    unit_id_field: str | None = None,
) -> QuerySet[M]:
    """Limit a queryset to a scope. `agency_field` holds an agency id; `unit_field` names a FK to geo.AdminUnit
    (matched by subtree path); `unit_id_field` a plain column holding an AdminUnit id (derived tables without
    foreign keys, such as the statistics cells), matched against the ids of the scope's subtrees."""
    if scope.everything:
        return qs
    condition = Q(pk__in=[])
    if agency_field and scope.agency_ids:
        condition |= Q(**{f"{agency_field}__in": scope.agency_ids})
    if unit_field:
        for unit_path in scope.unit_paths:
            condition |= Q(**{f"{unit_field}__path": unit_path}) | Q(
                **{f"{unit_field}__path__startswith": unit_path + "/"}
            )
    if unit_id_field and scope.unit_paths:
        from ioc.geo.models import AdminUnit

        subtrees = Q()
        for unit_path in scope.unit_paths:
            subtrees |= Q(path=unit_path) | Q(path__startswith=unit_path + "/")
        condition |= Q(**{f"{unit_id_field}__in": AdminUnit.objects.filter(subtrees).values("pk")})
    return qs.filter(condition)


@dataclass(frozen=True)
class TokenLookup:
    token: ApiToken | None
    error: str = ""


# Every token-authenticated request reads these (issue 23 "Speed": the ORM compiling the token's query with its user
# was a fifth of a one-event push's request): full rows, as `select_related("user")` gave them, by plain SQL.
_TOKENS = Reader(ApiToken, [f.attname for f in ApiToken._meta.concrete_fields], follow="user")


def token_resolve(*, value: str) -> TokenLookup:
    """A token by its value: malformed, unknown, revoked and expired tokens each get their reason."""
    parts = token_split(value)
    if parts is None:
        return TokenLookup(None, "Mã truy cập không đúng định dạng / Malformed token")
    prefix, secret_part = parts
    # prefix is unique; a fixed statement, prepared on PostgreSQL (every API request and Open311 POST resolves a
    # token: the ORM's compile of this join was a sixth of an Open311 POST's CPU, issue 16 item 6)
    found = _TOKENS.models("t.prefix = %s", [prefix], prepared=True)
    token = found[0] if found else None
    if token is None or not _digest_matches(token, secret_part):
        return TokenLookup(None, "Mã truy cập không hợp lệ / Invalid token")
    if token.revoked_at is not None:
        return TokenLookup(None, "Mã truy cập đã bị thu hồi / Token revoked")
    if token.expires_at <= timezone.now():
        return TokenLookup(None, "Mã truy cập đã hết hạn / Token expired")
    if not token.user.is_active:
        return TokenLookup(None, "Tài khoản của hệ thống đã bị khóa / Account locked")
    return TokenLookup(token)


def _digest_matches(token: ApiToken, secret_part: str) -> bool:
    import hmac

    return hmac.compare_digest(token.digest, token_digest(secret_part))


def user_list(*, include_removed: bool = False) -> QuerySet[User]:
    qs = User.objects.select_related("agency").order_by("username")
    return qs if include_removed else qs.filter(is_removed=False)


def user_list_with_roles(*, include_removed: bool = False) -> QuerySet[User]:
    """R7.1: accounts with their active roles (`active_roles`) for the administrator's list."""
    active = RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("agency", "unit").order_by("role")
    return user_list(include_removed=include_removed).prefetch_related(
        Prefetch("role_assignments", queryset=active, to_attr="active_roles")
    )


def account_request_list() -> QuerySet[AccountRequest]:
    """R7.2: written requests, newest first."""
    return AccountRequest.objects.select_related("subject", "approver", "requested_by").order_by("-created_at", "-pk")


def account_request_get(*, pk: int) -> AccountRequest | None:
    return AccountRequest.objects.filter(pk=pk).first()


def approver_candidates() -> QuerySet[User]:
    """R7.2: people who may approve an account request (system administrators, IOC leaders)."""
    approver_roles = [Role.SYSTEM_ADMIN, Role.IOC_LEADER]
    holders = RoleAssignment.objects.filter(role__in=approver_roles, revoked_at__isnull=True).values("user_id")
    people = User.objects.filter(pk__in=holders, is_active=True, is_removed=False).exclude(username=SYSTEM_USERNAME)
    return people.order_by("username")


def token_list(*, active_only: bool = True) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user").order_by("-created_at")
    return qs.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()) if active_only else qs


def agency_list() -> QuerySet[Agency]:
    from ioc.agencies.models import Agency

    return Agency.objects.filter(is_active=True).order_by("name")


def unit_by_code(*, code: str) -> AdminUnit | None:
    """A 2025 administrative unit by its bare code (R6.1); legacy codes are never assigned."""
    from ioc.geo.choices import Hierarchy
    from ioc.geo.models import AdminUnit

    return AdminUnit.objects.filter(hierarchy=Hierarchy.CURRENT, code=code.strip()).first()


def totp_device_confirmed(*, user: Any) -> TOTPDevice | None:
    """R7.4: the account's confirmed TOTP device, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_device_pending(*, user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def backup_codes_left(*, user: Any) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def needs_second_factor(*, user: Any) -> bool:
    """R7.4: staff accounts must enrol and verify TOTP; no setting disables it."""
    return bool(getattr(user, "is_authenticated", False) and set(getattr(user, "role_codes", ())) & STAFF_ROLES)


def agency_codes(*, ids: frozenset[int] | set[int]) -> list[str]:
    from ioc.agencies.models import Agency

    return sorted(Agency.objects.filter(pk__in=ids).values_list("code", flat=True)) if ids else []


def agency_of_user(*, user: Any) -> Agency | None:
    """The agency an officer or head works for: the account's agency, else the first agency role's.

    It lives here, not in `agencies`, because it reads role assignments (agencies sits below accounts)."""
    from ioc.agencies.selectors import agency_by_id

    if getattr(user, "agency_id", None):
        return agency_by_id(agency_id=user.agency_id)
    agency_id = (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, agency__isnull=False)
        .values_list("agency_id", flat=True)
        .first()
    )
    return agency_by_id(agency_id=agency_id) if agency_id else None


# --- the system account ------------------------------------------------------------------------------------


class SystemAccountMissing(ImproperlyConfigured):
    """The IOC's own account does not exist (or was locked, removed or stripped of its role)."""


# Every outbox row, escalation and background write names the system account as its actor: one query each,
# inside the caller's write transaction (on SQLite, under the database's only write lock). The services never
# lock, remove or strip the account (`_system_account_kept`), so a copy per process is safe; a change made
# outside them (a database console) is seen within the cache's recheck interval. A missing account is not kept:
# it is looked for again at the next call (a deployment being set up).
SYSTEM_ACCOUNT: RefCache[User | None] = RefCache("accounts.system_account")


def _system_account_load() -> User | None:
    holder = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    return User.objects.filter(username=SYSTEM_USERNAME, is_active=True, is_removed=False, pk__in=holder).first()


def system_account_or_none() -> User | None:
    """The IOC's own account (`SYSTEM_USERNAME`) when it is active and holds the system-administrator role.

    Each caller gets its own shallow copy of the process's instance (a model's copy has its own state and related
    cache), so what one request loads or sets on it (`user.agency`…) never reaches another thread."""
    found = SYSTEM_ACCOUNT.get(SYSTEM_USERNAME, _system_account_load)
    if found is None:
        SYSTEM_ACCOUNT.forget()
        return None
    return copy.copy(found)


def system_account() -> User:
    """R7.3: the account that setup commands, demo generators and background work act as (never anonymous)."""
    found = system_account_or_none()
    if found is None:
        raise SystemAccountMissing(
            f"Chưa có tài khoản hệ thống {SYSTEM_USERNAME!r}: chạy `manage.py bootstrap_admin` (triển khai mới) hoặc "
            f"`manage.py system_account_ensure` / The system account {SYSTEM_USERNAME!r} is missing: run "
            "`manage.py bootstrap_admin` (new deployment) or `manage.py system_account_ensure`"
        )
    return found
