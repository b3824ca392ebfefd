"""Every write of running the center (R10.2–R10.4), re-exported: `from ioc.operations import services`."""

from ioc.operations.services.allowances import (
    allowance_rules_set,
    allowance_sheet_approve,
    allowance_sheet_prepare,
    allowance_sheet_recompute,
    allowance_sheets_prepare_month,
)
from ioc.operations.services.assets import (
    asset_create,
    fault_repaired,
    fault_report,
    maintenance_plan_set,
    maintenance_record,
    maintenance_reminders_send,
)
from ioc.operations.services.changes import (
    change_close,
    change_consent,
    change_decide,
    change_request,
    change_start,
    change_windows_refresh,
)
from ioc.operations.services.deployment import deployment_check
from ioc.operations.services.rosters import (
    roster_create,
    roster_duty_add,
    roster_publish,
    roster_shift_add,
    shift_reminders_send,
    shift_swap_decide,
    shift_swap_request,
)
from ioc.operations.services.staff import staff_create, staff_end, staff_move, training_record

__all__ = [
    "allowance_rules_set",
    "allowance_sheet_approve",
    "allowance_sheet_prepare",
    "allowance_sheet_recompute",
    "allowance_sheets_prepare_month",
    "asset_create",
    "change_close",
    "change_consent",
    "change_decide",
    "change_request",
    "change_start",
    "change_windows_refresh",
    "deployment_check",
    "fault_repaired",
    "fault_report",
    "maintenance_plan_set",
    "maintenance_record",
    "maintenance_reminders_send",
    "roster_create",
    "roster_duty_add",
    "roster_publish",
    "roster_shift_add",
    "shift_reminders_send",
    "shift_swap_decide",
    "shift_swap_request",
    "staff_create",
    "staff_end",
    "staff_move",
    "training_record",
]
