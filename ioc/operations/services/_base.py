"""What the operations services share: the clock, text checks, the rights checks and their messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common import plaintext
from ioc.operations import permissions
from ioc.worktime.selectors import LOCAL_TZ


def today(now: dt.datetime | None = None) -> dt.date:
    """The local (Asia/Ho_Chi_Minh) date of `now`."""
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def clean_text(value: Any, *, field: str, required: bool = True, limit: int = 300) -> str:
    """The common free-text check (`ioc.common.plaintext.clean_text`) with this app's defaults."""
    return plaintext.clean_text(value, field=field, required=required, max_length=limit)


def require_staff_manager(actor: Any) -> None:
    """R10.4: only the IOC leader and the managing body keep the staff list and prepare sheets."""
    if not permissions.can_manage_staff(actor):
        raise PermissionDenied(
            _("Chỉ lãnh đạo IOC và cơ quan quản lý được thực hiện / Only the IOC leader and the managing body may")
        )


def require_managing_body(actor: Any) -> None:
    """R10.2, R10.4: approvals belong to the managing body."""
    if not permissions.is_managing_member(actor):
        raise PermissionDenied(_("Chỉ cơ quan quản lý được phê duyệt / Only the managing body may approve"))
