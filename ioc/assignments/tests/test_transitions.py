"""Every transition of the TRANSITIONS table, and every refused one writing nothing (R3.3)."""

from typing import Any

from django.core.exceptions import ValidationError

from ioc.assignments import services
from ioc.assignments.choices import TRANSITIONS, AssignmentStatus, UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.audit.models import AuditEntry
from ioc.notifications.models import Outbox

S = AssignmentStatus


class TransitionsTest(WorkCase):
    def act(self, action: str, work: Assignment) -> Assignment:
        calls: dict[str, Any] = {
            "accept": lambda: services.assignment_accept(assignment=work, actor=self.officer_a),
            "return": lambda: services.assignment_return(
                assignment=work, actor=self.officer_a, reason="Sai thẩm quyền"
            ),
            "progress": lambda: services.assignment_progress(assignment=work, actor=self.officer_a, text="Đang làm"),
            "resolve": lambda: services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã vá"),
            "confirm": lambda: services.assignment_confirm(assignment=work, actor=self.operator),
            "reopen": lambda: services.assignment_reopen(assignment=work, actor=self.operator, reason="Chưa đạt"),
            "cancel": lambda: services.assignment_cancel(assignment=work, actor=self.operator, reason="Trùng"),
        }
        result: Assignment = calls[action]()
        return result

    TARGET = {
        "accept": S.ACCEPTED,
        "return": S.RETURNED,
        "progress": S.IN_PROGRESS,
        "resolve": S.RESOLVED,
        "confirm": S.CONFIRMED,
        "reopen": S.REOPENED,
        "cancel": S.CANCELLED,
    }
    # How to bring fresh work to each status.
    PATHS: dict[str, list[str]] = {
        S.FORWARDED: [],
        S.ACCEPTED: ["accept"],
        S.IN_PROGRESS: ["accept", "progress"],
        S.RESOLVED: ["accept", "resolve"],
        S.CONFIRMED: ["accept", "resolve", "confirm"],
        S.REOPENED: ["accept", "resolve", "reopen"],
        S.RETURNED: ["return"],
        S.CANCELLED: ["cancel"],
    }

    def work_in(self, status: str, n: int) -> Assignment:
        work = self.forward(subject_id=f"{status}-{n}")
        for action in self.PATHS[status]:
            self.act(action, work)
        self.assertEqual(work.status, status)
        return work

    def test_it_walks_the_whole_flow(self):
        work = self.forward()
        self.act("accept", work)
        self.assertEqual((work.status, work.handled_by), (S.ACCEPTED, self.officer_a))
        self.assertIsNotNone(work.accepted_at)
        self.act("progress", work)
        self.act("resolve", work)
        self.assertEqual((work.status, work.resolution), (S.RESOLVED, "Đã vá"))
        self.assertIsNone(work.next_escalation_at)
        self.act("confirm", work)
        self.assertEqual(work.status, S.CONFIRMED)
        self.assertIsNotNone(work.closed_at)
        kinds = list(AssignmentUpdate.objects.filter(assignment=work).values_list("kind", flat=True))
        self.assertEqual(kinds, ["forward", "accept", "progress", "resolve", "confirm"])
        self.assertEqual(self.handler.kinds, kinds)
        actions = set(AuditEntry.objects.filter(object_id=str(work.pk)).values_list("action", flat=True))
        self.assertLessEqual({f"assignment.{k}" for k in kinds}, actions)

    def test_it_performs_every_allowed_transition(self):
        n = 0
        for status, targets in TRANSITIONS.items():
            for action, target in self.TARGET.items():
                if target not in targets:
                    continue
                n += 1
                with self.subTest(status=status, action=action):
                    work = self.act(action, self.work_in(status, n))
                    self.assertEqual(Assignment.objects.get(pk=work.pk).status, target)
        self.assertEqual(n, sum(len(t) for t in TRANSITIONS.values()))

    def test_it_refuses_every_other_transition_and_writes_nothing(self):
        n = 0
        for status, targets in TRANSITIONS.items():
            for action, target in self.TARGET.items():
                if target in targets:
                    continue
                n += 1
                with self.subTest(status=status, action=action):
                    work = self.work_in(status, n)
                    before = self.snapshot(work)
                    calls_before = len(self.handler.calls)
                    with self.assertRaises(ValidationError) as caught:
                        self.act(action, work)
                    self.assertIn("status", caught.exception.message_dict)
                    self.assertEqual(self.snapshot(work), before)
                    self.assertEqual(len(self.handler.calls), calls_before)

    def test_it_requires_a_reason_to_return_reopen_or_cancel(self):
        work = self.forward()
        for call in (
            lambda: services.assignment_return(assignment=work, actor=self.officer_a, reason="  "),
            lambda: services.assignment_cancel(assignment=work, actor=self.operator, reason=""),
        ):
            before = self.snapshot(work)
            with self.assertRaises(ValidationError) as caught:
                call()
            self.assertIn("reason", caught.exception.message_dict)
            self.assertEqual(self.snapshot(work), before)
        resolved = self.work_in(S.RESOLVED, 99)
        with self.assertRaises(ValidationError):
            services.assignment_reopen(assignment=resolved, actor=self.operator, reason="")

    def test_it_refuses_html_and_overlong_text(self):
        work = self.work_in(S.ACCEPTED, 1)
        for text, reason in (("<b>xong</b>", "HTML"), ("x" * 4001, "4000")):
            before = self.snapshot(work)
            with self.assertRaises(ValidationError) as caught:
                services.assignment_progress(assignment=work, actor=self.officer_a, text=text)
            self.assertIn(reason, caught.exception.message_dict["text"][0])
            self.assertEqual(self.snapshot(work), before)

    def test_it_tells_the_ioc_operators_about_returned_and_resolved_work(self):
        returned = self.forward(subject_id="r")
        services.assignment_return(assignment=returned, actor=self.officer_a, reason="Thuộc thẩm quyền xã")
        row = Outbox.objects.get(template="assignments.returned")
        self.assertEqual(row.recipient_user, self.operator)
        self.assertIn("Thuộc thẩm quyền xã", row.body)
        self.assertEqual(returned.return_reason, "Thuộc thẩm quyền xã")
        self.work_in(S.RESOLVED, 1)
        self.assertEqual(Outbox.objects.get(template="assignments.resolved").recipient_user, self.operator)

    def test_it_starts_a_new_round_of_the_clock_when_reopened(self):
        with frozen(local(2026, 4, 24, 15, 0)):
            work = self.work_in(S.RESOLVED, 1)
        with frozen(local(2026, 5, 4, 8, 0)):
            services.assignment_reopen(assignment=work, actor=self.operator, reason="Người dân báo chưa sửa")
        self.assertEqual(work.started_at, local(2026, 5, 4, 8, 0))
        # 16 h from Mon 4/5 8:00: 7 h on Monday, 7.5 h on Tuesday, 1.5 h on Wednesday → Wed 6/5 9:00.
        self.assertEqual(work.deadline_at, local(2026, 5, 6, 9, 0))
        self.assertIsNone(work.resolved_at)
        self.assertEqual(Outbox.objects.filter(template="assignments.reopened").get().recipient_user, self.officer_a)

    def test_it_lets_the_handler_refuse_a_transition_and_rolls_everything_back(self):
        work = self.forward()

        def refuse(**kwargs: Any) -> None:
            raise ValidationError({"subject": ["Đối tượng đã đóng / Subject closed"]})

        self.handler.on_transition = refuse  # type: ignore[method-assign]
        before = self.snapshot(work)
        with self.assertRaises(ValidationError):
            services.assignment_accept(assignment=work, actor=self.officer_a)
        self.assertEqual(self.snapshot(work), before)
        self.assertEqual(work.status, S.FORWARDED)

    def test_it_records_public_progress_notes(self):
        work = self.work_in(S.ACCEPTED, 1)
        services.assignment_progress(assignment=work, actor=self.officer_a, text="Đã khảo sát", is_public=True)
        update = AssignmentUpdate.objects.get(assignment=work, kind=UpdateKind.PROGRESS)
        self.assertTrue(update.is_public)
