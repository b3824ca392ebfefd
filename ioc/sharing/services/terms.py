"""R1.6: the sharing terms as configuration (set-up and answer days, longest grant, reminder lead time)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import WORKTIME_CONFIG_ROLES, actor_require_role
from ioc.sharing.models import SharingTerms
from ioc.sharing.services._base import terms_current

if TYPE_CHECKING:
    from ioc.accounts.models import User

TERMS_ROLES = WORKTIME_CONFIG_ROLES  # the system administrator and the IOC leader (answerable for deadlines)
LIMITS = {
    "setup_working_days": (1, 30),
    "response_working_days": (1, 60),
    "max_grant_days": (1, 3660),
    "remind_before_hours": (0, 240),
}


@transaction.atomic
def sharing_terms_set(
    *,
    actor: User,
    setup_working_days: int,
    response_working_days: int,
    max_grant_days: int,
    remind_before_hours: int,
) -> SharingTerms:
    """R1.6: change the terms; each value within its bounds (a field error names it)."""
    actor_require_role(actor, TERMS_ROLES, _("Chỉ quản trị hệ thống, lãnh đạo IOC được đổi quy định chia sẻ."))
    values = {
        "setup_working_days": setup_working_days,
        "response_working_days": response_working_days,
        "max_grant_days": max_grant_days,
        "remind_before_hours": remind_before_hours,
    }
    errors = {
        name: [_("Từ %(low)d đến %(high)d.") % {"low": LIMITS[name][0], "high": LIMITS[name][1]}]
        for name, value in values.items()
        if not LIMITS[name][0] <= value <= LIMITS[name][1]
    }
    if errors:
        raise ValidationError(errors)
    terms = terms_current()
    before = {name: getattr(terms, name) for name in values}
    for name, value in values.items():
        setattr(terms, name, value)
    terms.save()
    audit_record(actor=actor, action="sharing_terms.set", obj=terms, changes={"before": before, "after": values})
    return terms
