"""Every write of reports (R8.1–R8.3), re-exported: `from ioc.reporting import services`.

`reports` (generate, edit, refresh, issue, correct, the ready templates) and `calendar` (the act's calendar as
obligations, drafts ahead as durable work, reminders, submissions).
"""

from ioc.reporting.services.calendar import (
    obligation_submission_record,
    report_calendar_sync,
    report_drafts_run,
    report_obligation_ensure,
    report_reminders_send,
)
from ioc.reporting.services.reports import (
    context_for,
    report_correct,
    report_edit,
    report_generate,
    report_issue,
    report_refresh,
    report_templates_ensure,
)

__all__ = [
    "context_for",
    "obligation_submission_record",
    "report_calendar_sync",
    "report_correct",
    "report_drafts_run",
    "report_edit",
    "report_generate",
    "report_issue",
    "report_obligation_ensure",
    "report_refresh",
    "report_reminders_send",
    "report_templates_ensure",
]
