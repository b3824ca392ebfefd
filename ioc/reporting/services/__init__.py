"""Every write of reports (R8.1–R8.3), re-exported: `from ioc.reporting import services`.

`reports` (generate, edit, refresh, issue, correct, the ready templates) and `calendar` (the act's calendar as
obligations, drafts ahead as durable work, reminders, submissions) and `meetings` (R8.4: review meetings, their
briefing, minutes and decisions assigned through `assignments`) and `share` (R8.3: meeting reports made outside
the IOC, recorded for the share produced from its data).
"""

from ioc.reporting.services.calendar import (
    obligation_sent_record,
    obligation_submission_record,
    report_calendar_sync,
    report_drafts_run,
    report_obligation_ensure,
    report_reminders_send,
)
from ioc.reporting.services.meetings import (
    meeting_briefing_generate,
    meeting_close,
    meeting_decision_add,
    meeting_decision_follow_up,
    meeting_schedule,
    meeting_update,
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
from ioc.reporting.services.share import outside_report_record, outside_report_withdraw

__all__ = [
    "context_for",
    "meeting_briefing_generate",
    "meeting_close",
    "meeting_decision_add",
    "meeting_decision_follow_up",
    "meeting_schedule",
    "meeting_update",
    "obligation_sent_record",
    "obligation_submission_record",
    "outside_report_record",
    "outside_report_withdraw",
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
