"""Data-migration helpers of the escalation chains (R3.3, R4.5): one way every process's migration writes its
default chain as data.

Migrations run against the tables of their day, so this module works only on the historical models it is handed
(`apps.get_model`), never on today's models, services or selectors (`test_migrations_historical` checks it as it
checks the migrations). A process's migration keeps its own PROCESS, NAME and STEPS and calls
`default_chain_create` from its RunPython function.
"""

from collections.abc import Iterable
from typing import Any

# One step of a chain as a migration writes it: (order, at_share, role, urgent).
Step = tuple[int, float, str, bool]


def default_chain_create(apps: Any, *, process: str, name: str, steps: Iterable[Step]) -> bool:
    """Create the default chain (category "") of `process` with its steps; True when it was created.

    Idempotent: an existing chain for (process, "") is left as the administrator set it (migrating again, or a
    chain set by `escalation_chain_set` before this migration ran)."""
    chain_model = apps.get_model("assignments", "EscalationChain")
    step_model = apps.get_model("assignments", "EscalationStep")
    chain, created = chain_model.objects.get_or_create(process=process, category_code="", defaults={"name": name})
    if not created:
        return False
    step_model.objects.bulk_create(
        step_model(chain=chain, order=order, at_share=at_share, role=role, urgent=urgent)
        for order, at_share, role, urgent in steps
    )
    return True
