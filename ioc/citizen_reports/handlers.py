"""The citizen-reports side of `assignments` (DESIGN "Agency work"): registered in `apps.ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment
from ioc.citizen_reports import services

if TYPE_CHECKING:
    from ioc.accounts.models import User


class ReportSubjectHandler:
    """R3.3: the report mirrors each step of its assignment; categories decide whether evidence needs a photo."""

    label = _("Phản ánh hiện trường")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        services.report_follow_assignment(assignment=assignment, kind=str(kind), actor=actor, text=text)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return services.evidence_photo_required_for(assignment=assignment)


HANDLER = ReportSubjectHandler()


def register() -> None:
    """Tell `assignments` who handles the "citizen_reports" process."""
    from ioc.assignments.services import register_subject_handler

    register_subject_handler(services.PROCESS, HANDLER)
