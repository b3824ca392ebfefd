"""The dossiers side of `assignments` (DESIGN "Agency work"): registered in `apps.ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment
from ioc.dossiers import services
from ioc.dossiers.choices import PROCESS

if TYPE_CHECKING:
    from ioc.accounts.models import User


class ViolationSubjectHandler:
    """R4.2: a confirmed violation follows its assignment; no photo is needed as evidence."""

    label = _("Vi phạm xử lý hồ sơ thủ tục hành chính")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        services.violation_follow_assignment(assignment=assignment, kind=str(kind), actor=actor)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False


HANDLER = ViolationSubjectHandler()


def register() -> None:
    """Tell `assignments` who handles the "dossiers" process."""
    from ioc.assignments.services import register_subject_handler

    register_subject_handler(PROCESS, HANDLER)
