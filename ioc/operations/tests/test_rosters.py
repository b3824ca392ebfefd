"""R10.4: duty rosters across Tết on both kinds of hours — shifts cut from `worktime`, coverage gaps shown before
publishing, overlapping shifts and shifts outside office hours refused, swaps approved, the next shift reminded
once on a frozen clock, the shift a moment falls in."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.agencies.models import Agency
from ioc.notifications.models import Outbox
from ioc.operations import selectors, services
from ioc.operations.choices import RosterState, SwapState
from ioc.operations.models import RosterDuty, RosterShift, Staff
from ioc.operations.testing import staff_make
from ioc.worktime.selectors import LOCAL_TZ

FEB = dt.date(2026, 2, 1)  # Tết Bính Ngọ: 16–20 February 2026
TET = dt.date(2026, 2, 17)


def local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ)


class RosterCase(Personas, TestCase):
    chief: Staff
    other: Staff

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Agency.objects.filter(pk=cls.agency_b.pk).update(works_24x7=True)
        cls.agency_b.refresh_from_db()
        start = dt.date(2025, 1, 1)
        cls.chief = staff_make(leader=cls.leader, agency=cls.agency_a, name="Trưởng ca", start=start, is_leader=True)
        cls.other = staff_make(leader=cls.leader, agency=cls.agency_a, name="Cán bộ", start=start, user=cls.operator)

    def cover(self, roster, skip_holidays: bool) -> None:
        for shift in RosterShift.objects.filter(roster=roster):
            if not (skip_holidays and shift.is_holiday):
                services.roster_duty_add(actor=self.leader, shift=shift, staff=self.chief, as_leader=True)


class TetTest(RosterCase):
    def test_office_hours_have_no_shift_on_tet_and_no_gaps_once_covered(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_a, month=FEB)
        days = {s.starts_at.astimezone(LOCAL_TZ).date() for s in RosterShift.objects.filter(roster=roster)}
        self.assertFalse(roster.around_the_clock)
        self.assertNotIn(TET, days)
        self.assertNotIn(dt.date(2026, 2, 21), days)  # a Saturday
        self.assertIn(dt.date(2026, 2, 23), days)
        self.assertEqual(RosterShift.objects.filter(roster=roster).count(), 2 * len(days))
        self.cover(roster, skip_holidays=False)
        self.assertEqual(selectors.roster_gaps(roster=roster), [])

    def test_around_the_clock_shows_the_uncovered_tet_shifts_as_gaps(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_b, month=FEB)
        self.assertTrue(roster.around_the_clock)
        self.assertEqual(RosterShift.objects.filter(roster=roster).count(), 28 * 3)
        self.cover(roster, skip_holidays=True)
        gaps = selectors.roster_gaps(roster=roster)
        self.assertEqual(len(gaps), 5 * 3)
        self.assertTrue(all(gap.shift.is_holiday and gap.needs_leader for gap in gaps))
        with self.assertRaises(ValidationError) as caught:
            services.roster_publish(actor=self.leader, roster=roster)
        self.assertIn("accept_gaps", caught.exception.message_dict)
        roster.refresh_from_db()
        self.assertEqual(roster.state, RosterState.DRAFT)
        published = services.roster_publish(actor=self.leader, roster=roster, accept_gaps=True)
        self.assertEqual(published.state, RosterState.PUBLISHED)


class BadInputTest(RosterCase):
    def test_an_overlapping_shift_for_one_person_is_refused(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_b, month=FEB)
        first = RosterShift.objects.filter(roster=roster).first()
        services.roster_duty_add(actor=self.leader, shift=first, staff=self.other)
        extra = services.roster_shift_add(
            actor=self.leader,
            roster=roster,
            label="Trực bão",
            starts_at=first.starts_at + dt.timedelta(hours=2),
            ends_at=first.ends_at + dt.timedelta(hours=2),
        )
        with self.assertRaises(ValidationError) as caught:
            services.roster_duty_add(actor=self.leader, shift=extra, staff=self.other)
        self.assertIn("staff", caught.exception.message_dict)
        self.assertFalse(RosterDuty.objects.filter(shift=extra).exists())

    def test_a_shift_outside_office_hours_is_refused(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_a, month=FEB)
        count = RosterShift.objects.count()
        for start, end in (
            (local(dt.date(2026, 2, 9), 19), local(dt.date(2026, 2, 9), 22)),
            (local(TET, 8), local(TET, 11)),
        ):
            with self.assertRaises(ValidationError) as caught:
                services.roster_shift_add(actor=self.leader, roster=roster, label="Thêm", starts_at=start, ends_at=end)
            self.assertIn("starts_at", caught.exception.message_dict)
        self.assertEqual(RosterShift.objects.count(), count)

    def test_only_a_leader_may_be_on_call_and_the_operator_keeps_no_roster(self):
        with self.assertRaises(PermissionDenied):
            services.roster_create(actor=self.operator, agency=self.agency_a, month=FEB)
        roster = services.roster_create(actor=self.leader, agency=self.agency_a, month=FEB)
        shift = RosterShift.objects.filter(roster=roster).first()
        with self.assertRaises(ValidationError) as caught:
            services.roster_duty_add(actor=self.leader, shift=shift, staff=self.other, as_leader=True)
        self.assertIn("as_leader", caught.exception.message_dict)


class SwapReminderTest(RosterCase):
    def test_a_swap_approved_by_the_leader_moves_the_duty(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_b, month=FEB)
        shift = RosterShift.objects.filter(roster=roster).first()
        duty = services.roster_duty_add(actor=self.leader, shift=shift, staff=self.other)
        swap = services.shift_swap_request(actor=self.operator, duty=duty, to_staff=self.chief, reason="Việc gia đình")
        with self.assertRaises(PermissionDenied):
            services.shift_swap_decide(actor=self.operator, swap=swap, approve=True)
        services.shift_swap_decide(actor=self.leader, swap=swap, approve=True)
        duty.refresh_from_db()
        swap.refresh_from_db()
        self.assertEqual((duty.staff, swap.state), (self.chief, SwapState.APPROVED))

    def test_the_next_shift_is_reminded_once(self):
        roster = services.roster_create(actor=self.leader, agency=self.agency_b, month=FEB)
        shift = RosterShift.objects.get(roster=roster, starts_at=local(dt.date(2026, 2, 10), 6))
        services.roster_duty_add(actor=self.leader, shift=shift, staff=self.other)
        services.roster_publish(actor=self.leader, roster=roster, accept_gaps=True)
        before = local(dt.date(2026, 2, 9), 20)
        self.assertEqual(services.shift_reminders_send(now=before - dt.timedelta(hours=10)), 0)  # too early
        self.assertEqual(services.shift_reminders_send(now=before), 1)
        self.assertEqual(services.shift_reminders_send(now=before + dt.timedelta(hours=1)), 0)
        self.assertEqual(
            Outbox.objects.filter(template="operations.shift_next").values("dedup_key").distinct().count(), 1
        )
        self.assertEqual(selectors.shift_at(moment=local(dt.date(2026, 2, 10), 9)), shift)
        self.assertEqual([d.staff for d in selectors.on_duty_now(now=local(dt.date(2026, 2, 10), 9))], [self.other])


class HandoverShiftTest(RosterCase):
    def test_the_handover_note_belongs_to_its_roster_shift(self):
        from ioc.duty.services import handover_write

        roster = services.roster_create(actor=self.leader, agency=self.agency_b, month=FEB)
        shift = RosterShift.objects.get(roster=roster, starts_at=local(dt.date(2026, 2, 10), 14))
        services.roster_publish(actor=self.leader, roster=roster, accept_gaps=True)
        note = handover_write(actor=self.operator, happened="Bình thường", now=local(dt.date(2026, 2, 10), 21))
        self.assertEqual(note.roster_shift, shift)
        self.sign_in(self.client, self.operator)
        page = self.client.get(f"/truc-ban/{note.pk}/")
        self.assertContains(page, f'data-roster-shift="{shift.pk}"')
