"""Subject handlers (DESIGN "Agency work"): how the app owning a piece of work (a citizen report, an incident)
is told of every transition and asked whether a resolution needs a photo (R3.3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    `assignment_resolve` refuses a resolution without a photo. A handler may also carry a `label` (a lazy
    translated name of its process, Vietnamese first), which the officer's inbox shows instead of the code.
    """

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None: ...

    def evidence_photo_required(self, *, assignment: Assignment) -> bool: ...


@dataclass(frozen=True)
class Transition:
    """One call of `on_transition`, for handlers told of many at once (`BatchSubjectHandler.on_transitions`)."""

    assignment: Assignment
    kind: UpdateKind
    actor: User | None
    text: str


class BatchSubjectHandler(SubjectHandler, Protocol):
    """A handler that may also be told of many transitions at once (the escalation sweep fires hundreds, issue 12
    "Speed"): `on_transitions` must do exactly what `on_transition` would do for each, in order, inside the
    caller's transaction. A handler without it is called once per transition."""

    def on_transitions(self, *, transitions: Sequence[Transition]) -> None: ...


@dataclass(frozen=True)
class StagedTransitions:
    """Transitions of one kind by one actor at one moment, staged one per row in a temporary table of the caller's
    transaction, for handlers that follow them set-wise (`StagedSubjectHandler`, the escalation sweep, issue 12
    "Speed"). The table's columns: `seq` (the order), `assignment_id`, `process`, `subject_id`, `agency_name`
    (the holding agency's name) and `text` (the transition's text)."""

    table: str
    kind: UpdateKind
    actor: User
    at: dt.datetime


class StagedSubjectHandler(SubjectHandler, Protocol):
    """A handler that follows staged transitions with its own set-based statements (e.g. one INSERT … SELECT):
    `on_staged` must do what `on_transition` would do for each row of `process`, in `seq` order, inside the
    caller's transaction. The sweep uses it; every other caller keeps calling `on_transition`."""

    def on_staged(self, *, staged: StagedTransitions, process: str) -> None: ...


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


def call_handler_batch(transitions: Sequence[Transition]) -> None:
    """`call_handler` for each transition, in order within each process: through the handler's `on_transitions`
    when it has one, else one `on_transition` per transition (the per-row fallback)."""
    by_process: dict[str, list[Transition]] = {}
    for transition in transitions:
        by_process.setdefault(transition.assignment.process, []).append(transition)
    for process, group in by_process.items():
        handler = _HANDLERS.get(process)
        if handler is None:
            continue
        batch = getattr(handler, "on_transitions", None)
        if batch is not None:
            batch(transitions=group)
            continue
        for t in group:
            handler.on_transition(assignment=t.assignment, kind=t.kind, actor=t.actor, text=t.text)


def photo_required(assignment: Assignment) -> bool:
    handler = _HANDLERS.get(assignment.process)
    return bool(handler is not None and handler.evidence_photo_required(assignment=assignment))


def process_label(process: str) -> str:
    """The process's name for people (its handler's `label`, in the active language), else its code."""
    label = getattr(_HANDLERS.get(process), "label", None)
    return str(label) if label else process


def subject_processes() -> list[str]:
    """The processes whose work runs through assignments (their handlers are registered), for the chain page."""
    return sorted(_HANDLERS)


def call_handler_staged(
    staged: StagedTransitions, processes: Sequence[str], per_row: Callable[[str], Sequence[Transition]]
) -> None:
    """Tell each process's handler of its staged transitions: set-wise through `on_staged` when it has it, else
    through `call_handler_batch` with the transitions `per_row(process)` builds (instances read only then)."""
    for process in processes:
        handler = _HANDLERS.get(process)
        if handler is None:
            continue
        staged_call = getattr(handler, "on_staged", None)
        if staged_call is not None:
            staged_call(staged=staged, process=process)
        else:
            call_handler_batch(per_row(process))
