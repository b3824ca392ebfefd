"""What the audit trail says the escalation sweep fired (R7.3; docs/decisions/0009): the set-based sweep records one
`assignment.escalate` entry per batch listing its steps, the row-by-row path one entry per step. Tests read both
the same way: one dict per step fired, in the order recorded."""

from typing import Any

from ioc.audit.models import AuditEntry


def escalation_audit(*, assignment_pk: int | None = None) -> list[dict[str, Any]]:
    """The steps recorded (of one assignment, or all): assignment, tier (the step's number, or "accept"), role, due,
    update (the timeline row), passed (what a catch-up passed on the way, docs/decisions/0011), actor (the entry's
    actor label) and batch (whether a batch entry listed it)."""
    steps: list[dict[str, Any]] = []
    for entry in AuditEntry.objects.filter(action="assignment.escalate").order_by("pk"):
        changes = entry.changes
        if entry.object_id:  # one entry per step (the row-by-row path)
            accept = "accept_due" in changes
            step = {
                "assignment": int(entry.object_id),
                "tier": "accept" if accept else changes["step"],
                "role": changes["role"],
                "due": changes["accept_due" if accept else "due"],
                "update": changes["update"],
                "passed": changes.get("passed", []),
            }
            found = [step | {"actor": entry.actor_label, "batch": False}]
        else:
            assert entry.row_count == len(changes["steps"]), "the batch entry counts the steps it lists"
            listed = [dict(zip(changes["columns"], values, strict=True)) for values in changes["steps"]]
            found = [step | {"actor": entry.actor_label, "batch": True} for step in listed]
        steps.extend(s for s in found if assignment_pk is None or s["assignment"] == assignment_pk)
    return steps
