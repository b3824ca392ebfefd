"""What the operations services share: the clock, text checks, the rights checks and their messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common.plaintext import has_markup
from ioc.operations import permissions
from ioc.worktime.selectors import LOCAL_TZ


def today(now: dt.datetime | None = None) -> dt.date:
    """The local (Asia/Ho_Chi_Minh) date of `now`."""
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def clean_text(value: Any, *, field: str, required: bool = True, limit: int = 300) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("Cần nhập thông tin này / This field is required")]})
    if len(text) > limit:
        raise ValidationError({field: [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": limit}]})
    if has_markup(text):
        raise ValidationError({field: [_("Không được chứa thẻ HTML / Markup is not allowed")]})
    return text


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
