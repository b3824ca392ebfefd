"""The incidents side of `assignments` (DESIGN "Agency work"): registered in `apps.ready()`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment
from ioc.incidents import services
from ioc.incidents.choices import PROCESS

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.assignments.services import StagedTransitions, Transition


class IncidentSubjectHandler:
    """R4.3, R4.5: each agency's step goes on the incident's timeline; results need text, a photo is optional."""

    label = _("Sự cố")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        services.incident_follow_assignment(assignment=assignment, kind=str(kind), actor=actor, text=text)

    def on_transitions(self, *, transitions: Sequence[Transition]) -> None:
        """Many at once (the escalation sweep): the same lines, their incidents locked and written set-wise."""
        services.incident_follow_assignments(transitions=transitions)

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None:
        """The escalation sweep's staged moves: the same lines, written by one INSERT … SELECT (issue 12)."""
        services.incident_follow_staged(staged=staged, process=process)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False


HANDLER = IncidentSubjectHandler()


def register() -> None:
    """Tell `assignments` who handles the "incidents" process."""
    from ioc.assignments.services import register_subject_handler

    register_subject_handler(PROCESS, HANDLER)
