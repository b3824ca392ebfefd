"""Writes of agency work (R3.3, R4.2, R4.3, R4.5; DESIGN "Agency work", "Durable work").

Other apps call: `register_subject_handler`, `assignment_forward`, `assignment_accept`, `assignment_return`,
`assignment_progress`, `assignment_resolve`, `assignment_confirm`, `assignment_reopen`, `assignment_cancel`,
`escalation_chain_set`, `assignment_escalate_due`. Every transition locks the row, checks the actor and the
TRANSITIONS table, writes an AssignmentUpdate, records its audit entry, calls the subject's handler (inside the
transaction, after the write) and writes its notifications to the outbox in the same transaction.

One module per step, every name re-exported here (`from ioc.assignments import services`): `flow` (forward,
accept, return, progress, resolve, confirm, reopen, cancel), `escalation` (chains; the sweeper, set-based,
in `escalation_sweep`), `handlers` (the subject handlers' registry; a handler may also take a batch:
`BatchSubjectHandler`); `_base` holds what they share (checks, clock, records, notifications).
"""

from ioc.assignments.services.escalation import (
    StepSpec,
    assignment_escalate_due,
    assignment_escalation_claim,
    escalation_chain_remove,
    escalation_chain_set,
)
from ioc.assignments.services.flow import (
    assignment_accept,
    assignment_cancel,
    assignment_confirm,
    assignment_forward,
    assignment_progress,
    assignment_reopen,
    assignment_resolve,
    assignment_return,
)
from ioc.assignments.services.handlers import (
    BatchSubjectHandler,
    StagedSubjectHandler,
    StagedTransitions,
    SubjectHandler,
    Transition,
    process_label,
    register_subject_handler,
    subject_handler_get,
    subject_processes,
    unregister_subject_handler,
)

__all__ = [
    "BatchSubjectHandler",
    "StagedSubjectHandler",
    "StagedTransitions",
    "StepSpec",
    "SubjectHandler",
    "Transition",
    "assignment_accept",
    "assignment_cancel",
    "assignment_confirm",
    "assignment_escalate_due",
    "assignment_escalation_claim",
    "assignment_forward",
    "assignment_progress",
    "assignment_reopen",
    "assignment_resolve",
    "assignment_return",
    "escalation_chain_remove",
    "escalation_chain_set",
    "process_label",
    "register_subject_handler",
    "subject_handler_get",
    "subject_processes",
    "unregister_subject_handler",
]
