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
    "allowance_estimate",
    "allowance_rules",
    "can_approve",
    "can_manage_staff",
    "sees_personal_data",
    "sheet_get_for",
    "sheet_lines",
    "sheet_list",
    "staff_get_for",
    "staff_in_post",
    "staff_list",
    "staff_postings",
    "staff_trainings",
]
