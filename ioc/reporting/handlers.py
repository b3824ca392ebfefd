"""The "reporting" SubjectHandler (DESIGN "Agency work", R8.4): how a meeting decision follows the assignment that
carries it. The assignment is the decision's state (accepted, resolved, confirmed…); the decision keeps when it
was first escalated, for the meeting's page and the follow-up at the next meeting. No photo is required."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import UpdateKind
from ioc.reporting.models import MeetingDecision

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.assignments.models import Assignment


class DecisionHandler:
    """R8.4: a meeting decision's assignment (process "reporting", subject `decision:<pk>`)."""

    label = _("Kết luận cuộc họp")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        if kind == UpdateKind.ESCALATE:
            MeetingDecision.objects.filter(assignment=assignment, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False
