"""Writes of alerts and incidents (R4.1–R4.5; DESIGN "Contracts: Alerts"), every name re-exported here
(`from ioc.incidents import services`): `alerts` (raise, resolve, acknowledge, verify, merge, dismiss, escalate),
`alerts_burst` (a burst of alerts raised, or resolved, in one transaction),
`flow` (approve, forward, confirm, close, cancel, notes, following the agencies' assignments), `immediate`
(dispatch, en route, on scene, clear), `timers` (the durable time-to-verify sweep), `history` (the documented
bulk loader of past incidents for the demo); `_base` holds what they share."""

from ioc.incidents.services.alerts import (
    RaiseResult,
    alert_acknowledge,
    alert_dismiss,
    alert_merge,
    alert_raise,
    alert_receive,
    alert_resolve,
    alert_verify,
    incident_escalate,
    incident_start,
)
from ioc.incidents.services.alerts_burst import (
    AlertInput,
    BurstResult,
    ResolveInput,
    alert_raise_batch,
    alert_raise_many,
    alert_resolve_many,
)
from ioc.incidents.services.flow import (
    incident_approve,
    incident_cancel,
    incident_close,
    incident_confirm,
    incident_follow_assignment,
    incident_follow_assignments,
    incident_follow_staged,
    incident_forward,
    incident_note,
)
from ioc.incidents.services.history import PastIncident, PastPart, incident_history_bulk_create
from ioc.incidents.services.hooks import alert_hook_register
from ioc.incidents.services.immediate import (
    incident_clear,
    incident_dispatch,
    incident_en_route,
    incident_on_scene,
    minutes_between,
)
from ioc.incidents.services.maintenance import in_maintenance, maintenance_window_clear, maintenance_window_set
from ioc.incidents.services.timers import verification_escalate_due, verification_timer_claim

__all__ = [
    "AlertInput",
    "BurstResult",
    "PastIncident",
    "PastPart",
    "RaiseResult",
    "ResolveInput",
    "alert_acknowledge",
    "alert_dismiss",
    "alert_hook_register",
    "alert_merge",
    "alert_raise",
    "alert_raise_batch",
    "alert_raise_many",
    "alert_receive",
    "alert_resolve",
    "alert_resolve_many",
    "alert_verify",
    "in_maintenance",
    "incident_approve",
    "incident_cancel",
    "incident_clear",
    "incident_close",
    "incident_confirm",
    "incident_dispatch",
    "incident_en_route",
    "incident_escalate",
    "incident_follow_assignment",
    "incident_follow_assignments",
    "incident_follow_staged",
    "incident_forward",
    "incident_history_bulk_create",
    "incident_note",
    "incident_on_scene",
    "incident_start",
    "maintenance_window_clear",
    "maintenance_window_set",
    "minutes_between",
    "verification_escalate_due",
    "verification_timer_claim",
]
