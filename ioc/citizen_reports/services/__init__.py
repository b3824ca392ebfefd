"""Every write on citizen reports (R3.1–R3.5, R4.2, R7.5). Pages, APIs, Open311, demo and tasks call these;
`intake` turns the mailbox's messages (read and parsed by `mailbox.py`) into intake items and reports.

Each service is keyword-only and typed, runs in one transaction, checks the actor's role and the transition
table (`choices.TRANSITIONS`), writes the report and its timeline event, records its audit entry and writes
its notifications into the outbox in the same transaction.
"""

from ioc.citizen_reports.privacy import token_matches
from ioc.citizen_reports.services._base import PROCESS
from ioc.citizen_reports.services.citizen import report_rate, report_reopen
from ioc.citizen_reports.services.config import category_create, category_update, routing_rule_set
from ioc.citizen_reports.services.contacts import contact_erase_due
from ioc.citizen_reports.services.emergency import hotline_emergency_raise, report_escalate, report_surge_alerts
from ioc.citizen_reports.services.flow import (
    photo_set_public,
    report_approve,
    report_forward,
    report_locate,
    report_mark_duplicate,
    report_mark_spam,
    report_publish,
    report_reject,
    report_verify,
    route,
)
from ioc.citizen_reports.services.intake import intake_fetch, intake_item_convert, intake_item_discard
from ioc.citizen_reports.services.location import Location, location_resolve
from ioc.citizen_reports.services.mirror import evidence_photo_required_for, report_follow_assignment
from ioc.citizen_reports.services.receive import ContactInput, ReceivedReport, new_tracking_code, report_receive

__all__ = [
    "PROCESS",
    "ContactInput",
    "Location",
    "ReceivedReport",
    "category_create",
    "category_update",
    "contact_erase_due",
    "evidence_photo_required_for",
    "hotline_emergency_raise",
    "intake_fetch",
    "intake_item_convert",
    "intake_item_discard",
    "location_resolve",
    "new_tracking_code",
    "photo_set_public",
    "report_approve",
    "report_escalate",
    "report_follow_assignment",
    "report_forward",
    "report_locate",
    "report_mark_duplicate",
    "report_mark_spam",
    "report_publish",
    "report_rate",
    "report_receive",
    "report_reject",
    "report_reopen",
    "report_surge_alerts",
    "report_verify",
    "route",
    "routing_rule_set",
    "token_matches",
]
