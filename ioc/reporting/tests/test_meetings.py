"""R8.4: review meetings from the act (six-monthly), their briefing generated from the review template, minutes,
decisions assigned to agencies through `assignments` (forwarded, then escalated on a frozen clock), followed up at
the next meeting; closing freezes the minutes; bad input names the field and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.assignments.services import StepSpec
from ioc.common.testing import frozen, local
from ioc.geo.services import territory_set
from ioc.regulation.testing import sample_regulation_load
from ioc.reporting import services
from ioc.reporting.catalogue import REVIEW_BRIEFING
from ioc.reporting.choices import DECISION_PROCESS, MeetingState
from ioc.reporting.models import Meeting, MeetingDecision
from ioc.reporting.selectors import decisions_to_follow_up, reporting_work_items

MINUTE = dt.timedelta(minutes=1)


class MeetingsCase(Personas, TestCase):
    """Personas, the territory and the sample act (one six-monthly meeting "hop-6-thang", chaired by "Văn phòng")."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )
        sample_regulation_load(actor=system_actor(), profile=settings.IOC_PROFILE)

    def schedule(self, period: str = "2025S1", held_on: dt.date = dt.date(2025, 7, 10)) -> Meeting:
        return services.meeting_schedule(
            actor=self.operator, code="hop-6-thang", period=period, held_on=held_on, agenda="1. Kết quả 6 tháng"
        )

    def decide(self, meeting: Meeting, text: str = "Sở A rà soát camera", hours: float = 16) -> MeetingDecision:
        return services.meeting_decision_add(
            actor=self.operator, meeting=meeting, text=text, agency=self.agency_a, working_hours=hours
        )


class ScheduleTest(MeetingsCase):
    def test_a_meeting_of_the_act_for_its_period(self) -> None:
        meeting = self.schedule()
        self.assertEqual(
            (meeting.name, meeting.organiser, meeting.frequency), ("Họp 6 tháng", "Văn phòng", "half_yearly")
        )
        self.assertEqual(meeting.state, MeetingState.PLANNED)

    def test_bad_input_names_the_field_and_writes_nothing(self) -> None:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"code": "khong-co"}, "code"),
            ({"period": "2025Q1"}, "period"),
            ({"period": "2025S9"}, "period"),
            ({"agenda": "<script>x</script>"}, "agenda"),
        ]
        for change, field in cases:
            with self.subTest(field=field, change=change), self.assertRaises(ValidationError) as ctx:
                args: dict[str, Any] = {
                    "code": "hop-6-thang",
                    "period": "2025S1",
                    "held_on": dt.date(2025, 7, 10),
                    **change,
                }
                services.meeting_schedule(actor=self.operator, **args)
            self.assertIn(field, ctx.exception.message_dict)
        self.assertFalse(Meeting.objects.exists())
        self.schedule()
        with self.assertRaises(ValidationError) as ctx:
            self.schedule()
        self.assertIn("period", ctx.exception.message_dict)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_an_officer_may_not_prepare_a_meeting(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.meeting_schedule(
                actor=self.officer_a, code="hop-6-thang", period="2025S1", held_on=dt.date.today()
            )
        self.assertFalse(Meeting.objects.exists())


class DecisionsTest(MeetingsCase):
    def test_a_decision_is_forwarded_and_escalated_on_a_frozen_clock(self) -> None:
        assignment_services.escalation_chain_set(
            actor=self.leader,
            process=DECISION_PROCESS,
            category_code="",
            name="Kết luận họp",
            steps=[StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)],
        )
        with frozen(local(2026, 4, 24, 15, 0)):
            meeting = self.schedule(period="2026S1", held_on=dt.date(2026, 4, 24))
            decision = self.decide(meeting)
        work = decision.assignment
        assert work is not None
        self.assertEqual(
            (work.process, work.subject_id, work.agency), (DECISION_PROCESS, f"decision:{decision.pk}", self.agency_a)
        )
        self.assertEqual(work.escalation_chain.process if work.escalation_chain else "", DECISION_PROCESS)
        deadline = work.deadline_at
        self.assertEqual(work.next_escalation_at, deadline)
        with frozen(deadline - MINUTE):
            self.assertEqual(assignment_services.assignment_escalate_due(now=deadline - MINUTE), 0)
            self.assertEqual(reporting_work_items(user=self.operator, now=deadline - MINUTE), [])
        decision.refresh_from_db()
        self.assertIsNone(decision.escalated_at)
        with frozen(deadline):
            self.assertEqual(assignment_services.assignment_escalate_due(now=deadline), 1)
        decision.refresh_from_db()
        self.assertEqual(decision.escalated_at, deadline)
        items = reporting_work_items(user=self.operator, now=deadline + MINUTE)
        self.assertEqual(
            [(i.kind, i.object_id, i.state) for i in items], [("decision_overdue", decision.pk, "overdue")]
        )
        self.assertEqual(reporting_work_items(user=self.officer_a, now=deadline + MINUTE), [])

    def test_bad_decisions_name_the_field_and_write_nothing(self) -> None:
        meeting = self.schedule()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"text": ""}, "text"),
            ({"text": "<b>đậm</b>"}, "text"),
            ({"text": "x" * 2001}, "text"),
            ({"agency": None}, "agency"),
            ({"working_hours": 0}, "working_hours"),
            ({"working_hours": 5000}, "working_hours"),
        ]
        for change, field in cases:
            args: dict[str, Any] = {"text": "Rà soát", "agency": self.agency_a, "working_hours": 8, **change}
            with self.subTest(field=field), self.assertRaises(ValidationError) as ctx:
                services.meeting_decision_add(actor=self.operator, meeting=meeting, **args)  # type: ignore[arg-type]
            self.assertIn(field, ctx.exception.message_dict)
        self.assertFalse(MeetingDecision.objects.exists())
        self.assertFalse(Assignment.objects.filter(process=DECISION_PROCESS).exists())


class MinutesTest(MeetingsCase):
    def test_closing_needs_minutes_then_freezes_them(self) -> None:
        meeting = self.schedule()
        with self.assertRaises(ValidationError) as ctx:
            services.meeting_close(actor=self.operator, meeting=meeting)
        self.assertIn("minutes", ctx.exception.message_dict)
        meeting = services.meeting_update(
            actor=self.operator, meeting=meeting, agenda=meeting.agenda, minutes="Các đơn vị báo cáo kết quả."
        )
        self.decide(meeting)
        meeting = services.meeting_close(actor=self.operator, meeting=meeting)
        self.assertEqual(meeting.state, MeetingState.CLOSED)
        for call in (
            lambda: services.meeting_update(actor=self.operator, meeting=meeting, agenda="", minutes="Sửa sau khi họp"),
            lambda: self.decide(meeting, text="Thêm sau khi họp"),
            lambda: services.meeting_close(actor=self.operator, meeting=meeting),
        ):
            with self.assertRaises(ValidationError) as ctx:
                call()
            self.assertIn("state", ctx.exception.message_dict)
        meeting.refresh_from_db()
        self.assertEqual((meeting.minutes, meeting.decisions.count()), ("Các đơn vị báo cáo kết quả.", 1))

    def test_the_minutes_page_of_a_closed_meeting_refuses(self) -> None:
        meeting = self.schedule()
        services.meeting_update(actor=self.operator, meeting=meeting, agenda="", minutes="Biên bản.")
        services.meeting_close(actor=self.operator, meeting=meeting)
        self.sign_in(self.client, self.operator)
        url = reverse("reporting:meeting_minutes", args=[meeting.pk])
        response = self.client.post(url, {"held_on": "2025-07-10", "agenda": "", "minutes": "Sửa"})
        self.assertRedirects(response, reverse("reporting:meeting", args=[meeting.pk]))
        meeting.refresh_from_db()
        self.assertEqual(meeting.minutes, "Biên bản.")


class FollowUpTest(MeetingsCase):
    def test_an_earlier_decision_is_followed_up_at_the_next_meeting_and_in_its_briefing(self) -> None:
        first = self.schedule()
        decision = self.decide(first, text="Sở A hoàn thành kết nối camera giao thông")
        second = self.schedule(period="2025S2", held_on=dt.date(2026, 1, 15))
        self.assertEqual(list(decisions_to_follow_up(meeting=second)), [decision])
        self.assertEqual(list(decisions_to_follow_up(meeting=first)), [])
        with self.assertRaises(ValidationError) as ctx:
            services.meeting_decision_follow_up(actor=self.operator, decision=decision, meeting=first, note="Xong")
        self.assertIn("decision", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            services.meeting_decision_follow_up(actor=self.operator, decision=decision, meeting=second, note=" ")
        self.assertIn("note", ctx.exception.message_dict)
        second = services.meeting_briefing_generate(actor=self.operator, meeting=second)
        assert second.briefing is not None
        self.assertEqual((second.briefing.template.code, second.briefing.period), (REVIEW_BRIEFING, "2025S2"))
        texts = " ".join(b.get("text", "") for s in second.briefing.content for b in s["blocks"])
        self.assertIn("Sở A hoàn thành kết nối camera giao thông", texts)
        with self.assertRaises(ValidationError):
            services.meeting_briefing_generate(actor=self.operator, meeting=second)
        services.meeting_decision_follow_up(actor=self.operator, decision=decision, meeting=second, note="Đã xong 80 %")
        decision.refresh_from_db()
        self.assertEqual((decision.followed_up_in, decision.follow_up), (second, "Đã xong 80 %"))


class MeetingPagesTest(MeetingsCase):
    def test_list_meeting_and_a_bad_decision_on_the_page(self) -> None:
        meeting = self.schedule()
        self.sign_in(self.client, self.operator)
        self.assertContains(self.client.get(reverse("reporting:meetings")), f'data-meeting="{meeting.pk}"')
        self.assertEqual(self.client.get(reverse("reporting:meeting", args=[meeting.pk])).status_code, 200)
        url = reverse("reporting:meeting_decision", args=[meeting.pk])
        response = self.client.post(url, {"text": "Rà soát", "agency": self.agency_a.pk, "working_hours": "0"})
        self.assertContains(response, 'data-field="working_hours"', status_code=400)
        self.assertFalse(MeetingDecision.objects.exists())
        response = self.client.post(url, {"text": "Rà soát", "agency": self.agency_a.pk, "working_hours": "8"})
        self.assertRedirects(response, reverse("reporting:meeting", args=[meeting.pk]))
        self.assertEqual(MeetingDecision.objects.get().agency, self.agency_a)

    def test_schedule_page_names_a_bad_period(self) -> None:
        self.sign_in(self.client, self.operator)
        data = {"code": "hop-6-thang", "period": "202507", "held_on": "2025-07-10", "agenda": ""}
        response = self.client.post(reverse("reporting:meeting_schedule"), data)
        self.assertContains(response, 'data-field="period"', status_code=400)
        self.assertFalse(Meeting.objects.exists())

    def test_an_agency_officer_is_refused(self) -> None:
        meeting = self.schedule()
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.client.get(reverse("reporting:meetings")).status_code, 403)
        self.assertEqual(self.client.get(reverse("reporting:meeting", args=[meeting.pk])).status_code, 403)
        response = self.client.post(reverse("reporting:meeting_close", args=[meeting.pk]))
        self.assertEqual(response.status_code, 403)
