"""Subject handlers (DESIGN "Agency work"): how the app owning a piece of work (a citizen report, an incident)
is told of every transition and asked whether a resolution needs a photo (R3.3)."""

from __future__ import annotations

from typing import Protocol

from ioc.accounts.models import User
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment


class SubjectHandler(Protocol):
    """What the app owning the subject (a citizen report, an incident) is told and asked (DESIGN "Agency work").

    `on_transition` is called inside the service's transaction, after the write, for every kind: forward,
    accept, return, progress, resolve, confirm, reopen, cancel and escalate (the system account escalates;
    actor None only when a citizen reopens through their subject's private link).
    Raising refuses the whole transition (nothing is written). `evidence_photo_required` decides whether
    `assignment_resolve` refuses a resolution without a photo.
    """

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None: ...

    def evidence_photo_required(self, *, assignment: Assignment) -> bool: ...


_HANDLERS: dict[str, SubjectHandler] = {}


def register_subject_handler(process: str, handler: SubjectHandler) -> None:
    """Register the handler of a process ("citizen_reports", "incidents"); the last registration wins."""
    _HANDLERS[process] = handler


def unregister_subject_handler(process: str) -> None:
    _HANDLERS.pop(process, None)


def subject_handler_get(process: str) -> SubjectHandler | None:
    return _HANDLERS.get(process)


def call_handler(assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
    handler = _HANDLERS.get(assignment.process)
    if handler is not None:
        handler.on_transition(assignment=assignment, kind=kind, actor=actor, text=text)


def photo_required(assignment: Assignment) -> bool:
    handler = _HANDLERS.get(assignment.process)
    return bool(handler is not None and handler.evidence_photo_required(assignment=assignment))


def subject_processes() -> list[str]:
    """The processes whose work runs through assignments (their handlers are registered), for the chain page."""
    return sorted(_HANDLERS)
