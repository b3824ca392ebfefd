"""What the federation services share: settings with defaults, the actor check, the audit of a write."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from ioc.common.roles import Role, actor_require_role
from ioc.federation import choices

if TYPE_CHECKING:
    from ioc.accounts.models import User

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN})
OPERATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER})
MESSAGES_PATH = "/api/v1/federation/messages/"


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(setting("FEDERATION_MAX_ATTEMPTS", choices.MAX_ATTEMPTS_DEFAULT))


def lease_seconds() -> int:
    return int(setting("FEDERATION_LEASE_SECONDS", choices.LEASE_SECONDS_DEFAULT))


def max_message_bytes() -> int:
    return int(setting("FEDERATION_MAX_MESSAGE_BYTES", choices.MAX_MESSAGE_BYTES_DEFAULT))


def batch_size() -> int:
    return int(setting("FEDERATION_BATCH_SIZE", choices.BATCH_SIZE_DEFAULT))


def backoff(attempts: int) -> dt.timedelta:
    """R9.3: base, 2×base, 4×base … seconds after the 1st, 2nd, 3rd failed attempt, capped at an hour."""
    base = float(setting("FEDERATION_BACKOFF_BASE_SECONDS", choices.BACKOFF_BASE_SECONDS_DEFAULT))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), choices.BACKOFF_CAP_SECONDS))


def require_admin(actor: User) -> None:
    actor_require_role(
        actor, ADMIN_ROLES, _("Chỉ quản trị hệ thống cấu hình liên thông / Only a system administrator may do this")
    )


def require_operator(actor: User) -> None:
    actor_require_role(
        actor, OPERATOR_ROLES, _("Chỉ cán bộ vận hành IOC xử lý việc này / Only IOC operators may do this")
    )
