"""The work queue hook and the subject lookup (DESIGN "Map hooks"; R3.3)."""

from ioc.assignments import selectors, services
from ioc.assignments.choices import DeadlineState
from ioc.assignments.tests.support import WorkCase, frozen, local


class WorkItemsTest(WorkCase):
    def test_it_lists_an_officers_open_work_overdue_first(self):
        with frozen(local(2026, 4, 20, 8, 0)):
            late = self.forward(subject_id="late", subject_label="Cây đổ", working_hours=2)
        with frozen(local(2026, 4, 24, 8, 0)):
            fresh = self.forward(subject_id="fresh", subject_label="Rác thải", working_hours=40)
            done = self.forward(subject_id="done", subject_label="Đèn hỏng", working_hours=8)
            services.assignment_accept(assignment=done, actor=self.officer_a)
            services.assignment_resolve(assignment=done, actor=self.officer_a, resolution="Đã thay")
            items = selectors.assignments_work_items(user=self.officer_a)
        self.assertEqual([item["url"] for item in items], [f"/xu-ly/{late.pk}/", f"/xu-ly/{fresh.pk}/"])
        self.assertEqual(items[0]["state"], DeadlineState.OVERDUE)
        self.assertEqual(items[0]["kind"], "assignment")
        self.assertEqual(items[0]["due_at"], late.deadline_at)
        self.assertIn("Cây đổ", str(items[0]))
        self.assertEqual(selectors.assignments_work_items(user=self.officer_b), [])

    def test_it_gives_ioc_operators_the_overdue_work_only(self):
        with frozen(local(2026, 4, 20, 8, 0)):
            late = self.forward(subject_id="late", working_hours=2)
            self.forward(subject_id="fresh", working_hours=400)
        with frozen(local(2026, 4, 22, 8, 0)):
            items = selectors.assignments_work_items(user=self.operator)
        self.assertEqual([item["url"] for item in items], [f"/xu-ly/{late.pk}/"])
        self.assertEqual(selectors.assignments_work_items(user=self.citizen), [])

    def test_it_finds_the_latest_work_on_a_subject(self):
        self.assertIsNone(selectors.assignment_for_subject(process="test", subject_id="S-1"))
        first = self.forward()
        services.assignment_return(assignment=first, actor=self.officer_a, reason="Sai thẩm quyền")
        second = self.forward(agency=self.agency_b)
        self.assertEqual(selectors.assignment_for_subject(process="test", subject_id="S-1"), second)
        self.assertIsNone(selectors.assignment_for_subject(process="other", subject_id="S-1"))
