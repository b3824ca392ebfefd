"""R10.3: the assignments process "operations" — the maintaining agency's repair of a stopping fault. When the
agency reports the work resolved, the fault is repaired and its alert ends."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ioc.accounts.models import User
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment
from ioc.assignments.services import register_subject_handler
from ioc.operations.choices import REPAIR_PROCESS, FaultState
from ioc.operations.models import Fault


class RepairHandler:
    """R10.3: the maintaining agency's repair of a fault; resolved work repairs the fault."""

    label = _("Sửa chữa sự cố kỹ thuật của Trung tâm")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        if kind != UpdateKind.RESOLVE or not assignment.subject_id.startswith("fault-"):
            return
        from ioc.operations.services.assets import fault_repaired

        fault = Fault.objects.filter(
            pk=int(assignment.subject_id.removeprefix("fault-")), state=FaultState.OPEN
        ).first()
        if fault is not None:
            fault_repaired(actor=actor, fault=fault)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False


def register() -> None:
    register_subject_handler(REPAIR_PROCESS, RepairHandler())
