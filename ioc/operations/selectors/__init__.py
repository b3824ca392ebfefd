"""Every read of running the center (R10.2–R10.4), re-exported: `from ioc.operations import selectors`."""

from ioc.operations.selectors.allowances import (
    Estimate,
    allowance_estimate,
    allowance_rules,
    can_approve,
    sheet_get_for,
    sheet_lines,
    sheet_list,
)
from ioc.operations.selectors.changes import (
    change_consents,
    change_get_for,
    change_list,
    changes_pending,
    changes_running,
    deployments_recent,
)
from ioc.operations.selectors.rosters import (
    Gap,
    on_duty_now,
    roster_gaps,
    roster_get,
    roster_list,
    roster_shifts,
    shift_at,
    swap_pending,
)
from ioc.operations.selectors.staff import (
    can_manage_staff,
    sees_personal_data,
    staff_get_for,
    staff_in_post,
    staff_list,
    staff_postings,
    staff_trainings,
)

__all__ = [
    "Estimate",
    "Gap",
    "allowance_estimate",
    "allowance_rules",
    "can_approve",
    "can_manage_staff",
    "change_consents",
    "change_get_for",
    "change_list",
    "changes_pending",
    "changes_running",
    "deployments_recent",
    "on_duty_now",
    "roster_gaps",
    "roster_get",
    "roster_list",
    "roster_shifts",
    "sees_personal_data",
    "sheet_get_for",
    "sheet_lines",
    "sheet_list",
    "shift_at",
    "staff_get_for",
    "staff_in_post",
    "staff_list",
    "staff_postings",
    "staff_trainings",
    "swap_pending",
]
