"""Who may act: the holding agency's officers and head; the IOC for confirm/reopen/cancel (R3.3, R7.1)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ioc.accounts.choices import Role
from ioc.agencies.models import Agency
from ioc.assignments import selectors, services
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.tests.support import WorkCase, person


class ActorChecksTest(WorkCase):
    def test_it_refuses_agency_b_on_agency_a_work_and_writes_nothing(self):
        work = self.forward()
        before = self.snapshot(work)
        for call in (
            lambda: services.assignment_accept(assignment=work, actor=self.officer_b),
            lambda: services.assignment_return(assignment=work, actor=self.officer_b, reason="Không phải việc của B"),
        ):
            with self.assertRaises(PermissionDenied):
                call()
        self.assertEqual(self.snapshot(work), before)

    def test_it_hides_agency_a_work_from_agency_b(self):
        work = self.forward()
        with self.assertRaises(Http404):
            selectors.assignment_get_for(user=self.officer_b, pk=work.pk)
        self.assertEqual(selectors.assignment_get_for(user=self.officer_a, pk=work.pk), work)
        self.assertEqual(selectors.assignment_get_for(user=self.operator, pk=work.pk), work)
        self.assertEqual(list(selectors.assignment_inbox(user=self.officer_b)), [])

    def test_it_lets_the_agency_head_act(self):
        work = self.forward()
        services.assignment_accept(assignment=work, actor=self.head_a)
        self.assertEqual(work.status, AssignmentStatus.ACCEPTED)

    def test_it_lets_the_head_of_a_parent_agency_act_on_its_unit_work(self):
        unit = Agency.objects.create(code="assign-a-unit", name="Đội A1", parent=self.agency_a)
        work = self.forward(agency=unit)
        services.assignment_accept(assignment=work, actor=self.head_a)
        self.assertEqual(work.status, AssignmentStatus.ACCEPTED)

    def test_it_refuses_ioc_roles_the_agency_moves_and_officers_the_ioc_moves(self):
        work = self.forward()
        with self.assertRaises(PermissionDenied):
            services.assignment_accept(assignment=work, actor=self.operator)
        services.assignment_accept(assignment=work, actor=self.officer_a)
        services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã xử lý")
        before = self.snapshot(work)
        for call in (
            lambda: services.assignment_confirm(assignment=work, actor=self.officer_a),
            lambda: services.assignment_reopen(assignment=work, actor=self.head_a, reason="x"),
            lambda: services.assignment_cancel(assignment=work, actor=self.citizen, reason="x"),
        ):
            with self.assertRaises(PermissionDenied):
                call()
        self.assertEqual(self.snapshot(work), before)
        services.assignment_confirm(assignment=work, actor=self.leader)
        self.assertEqual(work.status, AssignmentStatus.CONFIRMED)

    def test_it_refuses_an_information_system_of_the_agency(self):
        work = self.forward()
        with self.assertRaises(PermissionDenied):
            services.assignment_accept(assignment=work, actor=self.system_user)

    def test_it_refuses_an_officer_whose_role_was_given_for_another_agency(self):
        # Account of agency A but the officer role granted for agency B: acts for B only.
        mixed = person(self.admin, "assign-mixed", Role.AGENCY_OFFICER, self.agency_b)
        mixed.agency = self.agency_a
        mixed.save(update_fields=["agency"])
        work = self.forward()
        with self.assertRaises(PermissionDenied):
            services.assignment_accept(assignment=work, actor=mixed)

    def test_it_lets_the_system_reopen_for_the_subjects_owner(self):
        # A citizen reopens through their report's private link: citizen_reports checks it and passes actor=None.
        work = self.forward()
        services.assignment_accept(assignment=work, actor=self.officer_a)
        services.assignment_resolve(assignment=work, actor=self.officer_a, resolution="Đã xử lý")
        services.assignment_reopen(assignment=work, actor=None, reason="Người dân báo chưa khắc phục")
        self.assertEqual(work.status, AssignmentStatus.REOPENED)
        self.assertEqual(work.updates.order_by("-pk").first().actor, None)
