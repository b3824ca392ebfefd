"""R4.3, R4.4: both state machines — every allowed transition is taken by a real path through the services
(checked against the TRANSITIONS tables through the audit trail) and a sample of forbidden ones is refused,
naming from and to, with nothing written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.incidents import services
from ioc.incidents.choices import TRANSITIONS
from ioc.incidents.models import Incident, IncidentEvent
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin


def taken(process: str) -> set[tuple[str, str]]:
    """Every (from, to) the audit trail records for incidents of `process`."""
    ids = {str(pk) for pk in Incident.objects.filter(process=process).values_list("pk", flat=True)}
    pairs = set()
    for entry in AuditEntry.objects.filter(object_type="incidents.incident", object_id__in=ids):
        state = entry.changes.get("state")
        if isinstance(state, list):
            pairs.add((state[0], state[1]))
    return pairs


def allowed(process: str) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in TRANSITIONS[process].items() for b in targets}


class TimeBoundTest(IncidentsMixin, TestCase):
    def test_every_allowed_transition(self) -> None:
        # verified → forwarded → forwarded (a second agency) → resolved → forwarded (reopened) → resolved
        # → confirmed → closed
        incident, parts = self.forwarded([self.agency_b])
        services.incident_forward(incident=incident, agencies=[self.agency_a], actor=self.operator)
        both = services.flow.incident_assignments(incident)
        self.assertEqual(len(both), 2)
        self.assertNotEqual(both[0].deadline_at, both[1].deadline_at)  # A counts 24/7, B working hours
        for part, officer in ((both[0], self.officer_b), (both[1], self.officer_a)):
            assignment_services.assignment_accept(assignment=part, actor=officer)
            assignment_services.assignment_resolve(assignment=part, actor=officer, resolution="Đã bơm thoát nước")
        incident.refresh_from_db()
        self.assertEqual(incident.state, "resolved")
        assignment_services.assignment_reopen(assignment=both[0], actor=self.operator, reason="Còn ngập")
        incident.refresh_from_db()
        self.assertEqual(incident.state, "forwarded")
        assignment_services.assignment_resolve(assignment=both[0], actor=self.officer_b, resolution="Đã hết ngập")
        services.incident_confirm(incident=incident, actor=self.operator)
        services.incident_close(incident=incident, actor=self.operator, result="Hết ngập sau 3 giờ")
        self.assertEqual(incident.state, "closed")
        both[0].refresh_from_db()
        self.assertEqual(both[0].status, "confirmed")
        # forwarded → verified (every agency returned it), verified → cancelled
        returned, parts = self.forwarded_elsewhere()
        assignment_services.assignment_return(assignment=parts[0], actor=self.officer_b, reason="Không thuộc")
        returned.refresh_from_db()
        self.assertEqual(returned.state, "verified")
        services.incident_cancel(incident=returned, actor=self.operator, reason="Trùng sự cố khác")
        # forwarded → cancelled (its part withdrawn); awaiting approval → verified and → cancelled
        withdrawn, parts = self.forwarded_elsewhere(kind="camera.crowd")
        services.incident_cancel(incident=withdrawn, actor=self.operator, reason="Báo nhầm")
        parts[0].refresh_from_db()
        self.assertEqual(parts[0].status, "cancelled")
        lines = list(IncidentEvent.objects.filter(incident=withdrawn).values_list("kind", flat=True))
        self.assertEqual(lines[-2:], ["assignment", "cancelled"])  # no "returned" step on the way
        approval = self.open_incident(kind="security.intrusion")
        services.incident_approve(incident=approval, actor=self.leader)
        refused = self.open_incident(kind="security.intrusion", commune=OTHER_COMMUNE)
        services.incident_cancel(incident=refused, actor=self.leader, reason="Không được duyệt")
        self.assertEqual(taken("time_bound"), allowed("time_bound"))
        kinds = set(IncidentEvent.objects.filter(incident=incident).values_list("kind", flat=True))
        expected = {"opened", "alert", "forwarded", "assignment", "resolved", "reopened", "confirmed", "closed"}
        self.assertTrue(expected <= kinds, kinds)

    def forwarded_elsewhere(self, kind: str = "env.air_quality") -> tuple[Incident, list[Assignment]]:
        incident = self.open_incident(kind=kind, commune=OTHER_COMMUNE)
        parts = services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.operator)
        incident.refresh_from_db()
        return incident, parts

    def test_forbidden_transitions_name_from_and_to_and_write_nothing(self) -> None:
        incident = self.open_incident()
        before = (AuditEntry.objects.count(), IncidentEvent.objects.count())
        attempts = {
            "confirm": lambda: services.incident_confirm(incident=incident, actor=self.operator),
            "close": lambda: services.incident_close(incident=incident, actor=self.operator, result="x"),
            "approve": lambda: services.incident_approve(incident=incident, actor=self.leader),
            "dispatch": lambda: services.incident_dispatch(
                incident=incident, agencies=[self.agency_a], actor=self.operator
            ),
            "en_route": lambda: services.incident_en_route(incident=incident, actor=self.operator),
        }
        for name, attempt in attempts.items():
            with self.subTest(name), self.assertRaises(ValidationError) as caught:
                attempt()
            errors = caught.exception.message_dict
            self.assertTrue({"state", "process"} & set(errors), errors)
            if "state" in errors:
                self.assertIn("verified →", errors["state"][0])
        self.assertEqual((AuditEntry.objects.count(), IncidentEvent.objects.count()), before)
        services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.operator)
        with self.assertRaises(ValidationError) as again:  # the same agency twice
            services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.operator)
        self.assertIn("agency", again.exception.message_dict)
        with self.assertRaises(ValidationError) as past:  # a deadline that is already over
            services.incident_forward(
                incident=incident, agencies=[self.agency_a], actor=self.operator, working_hours=-1
            )
        self.assertIn("working_hours", past.exception.message_dict)
        self.assertEqual(len(services.flow.incident_assignments(incident)), 1)

    def test_an_agency_acting_on_an_incident_not_assigned_to_it_is_refused(self) -> None:
        incident, parts = self.forwarded([self.agency_a])
        with self.assertRaises(PermissionDenied):
            assignment_services.assignment_accept(assignment=parts[0], actor=self.officer_b)
        with self.assertRaises(PermissionDenied):
            services.incident_note(incident=incident, actor=self.officer_b, text="Không phải việc của tôi")
        services.incident_note(incident=incident, actor=self.officer_a, text="Đội A đã đến hiện trường")
        with self.assertRaises(PermissionDenied):
            services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.officer_a)


class ImmediateTest(IncidentsMixin, TestCase):
    def test_every_allowed_transition_with_the_response_times(self) -> None:
        fire = self.open_incident(kind="fire")
        self.assertEqual((fire.process, fire.state), ("immediate", "new"))
        parts = services.incident_dispatch(incident=fire, agencies=[self.agency_a], actor=self.operator, minutes=15)
        self.assertEqual(fire.state, "dispatched")
        self.assertAlmostEqual((parts[0].deadline_at - parts[0].forwarded_at).total_seconds(), 900, delta=1)
        assert fire.dispatched_at is not None and fire.response_deadline_at is not None
        self.assertGreaterEqual(fire.dispatched_at, fire.raised_at)
        services.incident_en_route(incident=fire, actor=self.officer_a, note="Xe 114 xuất phát")
        services.incident_on_scene(incident=fire, actor=self.officer_a)
        line = IncidentEvent.objects.filter(incident=fire, kind="on_scene").get()
        self.assertIn("phút", line.text)  # the dispatch-to-scene time is on the timeline
        services.incident_clear(incident=fire, actor=self.officer_a, note="Đã dập tắt")
        with self.assertRaises(PermissionDenied):  # the force does not close: the IOC confirms the result
            services.incident_close(incident=fire, actor=self.officer_a, result="x")
        services.incident_close(incident=fire, actor=self.operator, result="Không thiệt hại về người")
        self.assertEqual(fire.state, "closed")
        parts[0].refresh_from_db()
        self.assertEqual(parts[0].status, "cancelled")  # a part never resolved is withdrawn when closing
        robbery = self.open_incident(kind="crime.robbery")
        services.incident_cancel(incident=robbery, actor=self.operator, reason="Báo tin giả")
        disorder = self.open_incident(kind="public_order.disorder")
        services.incident_dispatch(incident=disorder, agencies=[self.agency_a], actor=self.operator)
        services.incident_cancel(incident=disorder, actor=self.operator, reason="Đã tự giải tán")
        self.assertEqual(taken("immediate"), allowed("immediate"))

    def test_reinforcement_keeps_the_state_and_forbidden_moves_are_refused(self) -> None:
        accident = self.open_incident(kind="accident.traffic")
        with self.assertRaises(ValidationError) as skip:
            services.incident_on_scene(incident=accident, actor=self.operator)
        self.assertIn("new → on_scene", skip.exception.message_dict["state"][0])
        with self.assertRaises(ValidationError) as slow:  # only 24/7 forces
            services.incident_dispatch(incident=accident, agencies=[self.agency_b], actor=self.operator)
        self.assertIn("agencies", slow.exception.message_dict)
        with self.assertRaises(ValidationError) as minutes:
            services.incident_dispatch(incident=accident, agencies=[self.agency_a], actor=self.operator, minutes=0)
        self.assertIn("minutes", minutes.exception.message_dict)
        self.assertEqual(services.flow.incident_assignments(accident), [])
        services.incident_dispatch(incident=accident, agencies=[self.agency_a], actor=self.operator)
        services.incident_en_route(incident=accident, actor=self.operator)
        with self.assertRaises(ValidationError):
            services.incident_forward(incident=accident, agencies=[self.agency_b], actor=self.operator)
        with self.assertRaises(ValidationError):
            services.incident_clear(incident=accident, actor=self.officer_a)
        with self.assertRaises(PermissionDenied):
            services.incident_on_scene(incident=accident, actor=self.officer_b)
        accident.refresh_from_db()
        self.assertEqual(accident.state, "en_route")
