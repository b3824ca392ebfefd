"""Shared helpers of the assignments tests: a tiny subject handler (process "test"), a frozen clock, photos."""

from __future__ import annotations

import io
from typing import Any

from django.test import TestCase
from PIL import Image

from ioc.accounts import services as account_services
from ioc.accounts.choices import Role
from ioc.accounts.testing import DOCUMENT, PASSWORD, Personas
from ioc.assignments import services
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.audit.models import AuditEntry
from ioc.common.images import CleanImage, image_clean
from ioc.common.testing import frozen as frozen  # the assignments tests import the clock helpers from here
from ioc.common.testing import local as local

PROCESS = "test"


class RecordingHandler:
    """A SubjectHandler that records every call; `photo_required` decides evidence_photo_required."""

    def __init__(self, *, photo_required: bool = False) -> None:
        self.photo_required = photo_required
        self.calls: list[tuple[str, Any, str]] = []

    def on_transition(self, *, assignment: Assignment, kind: str, actor: Any, text: str) -> None:
        self.calls.append((str(kind), actor, text))

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return self.photo_required

    @property
    def kinds(self) -> list[str]:
        return [kind for kind, _actor, _text in self.calls]


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: str = "orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def photo(color: str = "orange") -> CleanImage:
    return image_clean(jpeg_bytes(color=color))


def person(admin: Any, username: str, role: str, agency: Any = None) -> Any:
    return account_services.account_provision(
        **DOCUMENT,
        approver=admin,
        actor=admin,
        username=username,
        full_name=username.replace("-", " ").title(),
        email=f"{username}@canary.invalid",
        password=PASSWORD,
        roles=[(role, agency, None)],
        agency=agency,
    )


class WorkCase(Personas, TestCase):
    """The personas plus the head of agency A, and a recording handler registered for process "test"."""

    head_a: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.head_a = person(cls.admin, "assign-head-a", Role.AGENCY_HEAD, cls.agency_a)

    def setUp(self) -> None:
        super().setUp()
        self.handler = RecordingHandler()
        services.register_subject_handler(PROCESS, self.handler)
        self.addCleanup(services.unregister_subject_handler, PROCESS)

    def forward(self, **overrides: Any) -> Assignment:
        fields: dict[str, Any] = {
            "process": PROCESS,
            "subject_id": "S-1",
            "subject_label": "Ổ gà trên đường Nguyễn Văn Linh",
            "category_code": "road",
            "agency": self.agency_a,
            "working_hours": 16,
            "instructions": "Kiểm tra và xử lý",
            "actor": self.operator,
        }
        fields.update(overrides)
        return services.assignment_forward(**fields)

    def snapshot(self, assignment: Assignment) -> tuple[Any, ...]:
        """What a refused call must leave unchanged: the row, its timeline, the audit trail."""
        row = Assignment.objects.filter(pk=assignment.pk).values().get()
        return row, AssignmentUpdate.objects.filter(assignment=assignment).count(), AuditEntry.objects.count()


def batch_size_set(case: Any, size: int) -> None:
    """The escalation sweep's batch made `size` rows for this test (put back by the test's cleanup): a few rows
    then span several batches."""
    original = services.escalation_sweep.BATCH
    services.escalation_sweep.BATCH = size
    case.addCleanup(setattr, services.escalation_sweep, "BATCH", original)


def forward_rows(*, people: Any, process: str, rows: int) -> None:
    """`rows` works of `process` forwarded to agency A on Fri 24/4/2026 15:00, 16 working hours each (the
    escalation tests' clock: step 1 at 80 % is due Wed 29/4 10:48)."""
    with frozen(local(2026, 4, 24, 15, 0)):
        for n in range(rows):
            services.assignment_forward(
                process=process,
                subject_id=f"s-{n}",
                subject_label="Ổ gà",
                category_code="",
                agency=people.agency_a,
                working_hours=16,
                instructions="Kiểm tra",
                actor=people.operator,
            )
