"""Writes of operating scenarios and public warnings (R4.4, R4.6, R5.2, R5.5), re-exported here
(`from ioc.scenarios import services`): `config` (scenarios as data, versioned), `activation` (activate, forward
the steps), `triggers` (the alert hook and the periodic sweep), `command` (checklist, resources, decisions),
`warnings` (publish, approve, update, cancel), `history` (the documented bulk loader of past activations)."""

from ioc.scenarios.services.activation import activation_forward_steps, open_activation, scenario_activate
from ioc.scenarios.services.command import checklist_item_set, decision_record, resource_record, resource_status_set
from ioc.scenarios.services.config import scenario_create, scenario_update
from ioc.scenarios.services.history import PastActivation, PastResource, activation_history_bulk_create
from ioc.scenarios.services.triggers import scenario_alert_hook, scenario_triggers_sweep
from ioc.scenarios.services.warnings import (
    WarningDraft,
    warning_approve,
    warning_cancel,
    warning_publish,
    warning_reject,
    warning_update,
)

__all__ = [
    "PastActivation",
    "PastResource",
    "WarningDraft",
    "activation_forward_steps",
    "activation_history_bulk_create",
    "checklist_item_set",
    "decision_record",
    "open_activation",
    "resource_record",
    "resource_status_set",
    "scenario_activate",
    "scenario_alert_hook",
    "scenario_create",
    "scenario_triggers_sweep",
    "scenario_update",
    "warning_approve",
    "warning_cancel",
    "warning_publish",
    "warning_reject",
    "warning_update",
]
