"""Answers to forwarded items feed the indicators (R5.7, 002:6.5; issue 22 item 5): the "tương tác" ready set's
`mang_*` values equal a hand count over crafted items, a month without forwarded items gets no value (not 0 %), an
item still within its time counts for neither side of the share, and a rerun replaces the month's values."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment
from ioc.indicators.models import Indicator, Value
from ioc.indicators.testing import READY, catalogue, territory
from ioc.media_watch import services
from ioc.media_watch.choices import SourceKind
from ioc.media_watch.models import Handling
from ioc.media_watch.parsers import ItemDraft
from ioc.media_watch.services.answers import ANSWERED, FORWARDED, HOURS, ON_TIME
from ioc.media_watch.services.config import SourceSettings
from ioc.worktime.selectors import LOCAL_TZ

CODES = (FORWARDED, ANSWERED, ON_TIME, HOURS)


def at(day: int, hour: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=LOCAL_TZ)


class AnswerIndicatorsTest(Personas, TestCase):
    def setUp(self):
        self.commune = territory().root.children.order_by("code").first()  # a commune of the territory
        assert self.commune is not None
        specs = []
        for ready in READY:
            if ready.code in CODES:
                spec = {"code": ready.code, "name": ready.name, "unit_label": ready.unit_label, "sector": ready.sector,
                        "period_type": ready.period_type, "levels": list(ready.levels), "definition": ready.definition,
                        "aggregation": ready.aggregation, "direction": ready.direction}  # fmt: skip
                specs.append(spec)
        self.assertEqual(len(specs), 4)  # the ready set holds each of them
        catalogue(self.admin, *specs)
        self.source = services.source_set(
            actor=self.admin, values=SourceSettings(name="Mạng xã hội", kind=SourceKind.EXPORT)
        )
        self.n = 0

    def forward(
        self, *, forwarded: dt.datetime, deadline: dt.datetime, answered: dt.datetime | None, commune: bool
    ) -> None:
        """An item forwarded at `forwarded`, due at `deadline`, answered at `answered`: the times set on the rows
        (the service stamps the real clock)."""
        self.n += 1
        draft = ItemDraft(
            title=f"Phản ánh số {self.n} về rác thải", body="Người dân hỏi.", url=f"https://s.invalid/{self.n}"
        )
        (item,) = services.items_ingest(actor=self.admin, source=self.source, drafts=[draft]).new
        assignment = services.item_forward(actor=self.operator, item=item, agency=self.agency_a, working_hours=8)
        Assignment.objects.filter(pk=assignment.pk).update(deadline_at=deadline, unit=self.commune if commune else None)
        Handling.objects.filter(assignment_id=assignment.pk).update(created_at=forwarded, answered_at=answered)

    def values(self, period: str) -> dict[tuple[str, str], float]:
        rows = Value.objects.filter(indicator__code__in=CODES, period=period).values_list(
            "indicator__code", "unit__code", "value"
        )
        return {(code, unit or "territory"): value for code, unit, value in rows}

    def craft_march(self) -> None:
        # In the commune: one answered in 4 h before its deadline, one answered in 48 h after it.
        self.forward(forwarded=at(2, 10), deadline=at(3, 10), answered=at(2, 14), commune=True)
        self.forward(forwarded=at(5, 8), deadline=at(6, 8), answered=at(7, 8), commune=True)
        # Without a commune: one unanswered past its deadline, one unanswered and still within its time.
        self.forward(forwarded=at(10, 9), deadline=at(11, 9), answered=None, commune=False)
        self.forward(forwarded=at(30, 9), deadline=at(2, 9, month=4), answered=None, commune=False)
        # February's and April's items are other months' cohorts.
        self.forward(forwarded=at(2, 9, month=4), deadline=at(3, 9, month=4), answered=at(2, 10, month=4), commune=True)

    def test_the_values_equal_the_hand_count(self):
        self.craft_march()
        stored, skipped = services.answer_indicators_compute(
            month=dt.date(2026, 3, 15), actor=self.system_account, now=at(1, 12, month=4)
        )
        commune = self.commune.code
        self.assertEqual(
            self.values("202603"),
            {
                (FORWARDED, "territory"): 4.0,
                (ANSWERED, "territory"): 2.0,
                (ON_TIME, "territory"): 33.33,  # 1 on time of 3 decided (answered 2, overdue 1; 1 still in time)
                (HOURS, "territory"): 26.0,  # (4 + 48) / 2
                (FORWARDED, commune): 2.0,
                (ANSWERED, commune): 2.0,
                (ON_TIME, commune): 50.0,
                (HOURS, commune): 26.0,
            },
        )
        self.assertEqual((stored, skipped), (8, 0))

    def test_a_month_without_forwarded_items_gets_no_value(self):
        self.craft_march()
        stored, _skipped = services.answer_indicators_compute(
            month=dt.date(2026, 2, 1), actor=self.system_account, now=at(1, 12, month=4)
        )
        self.assertEqual(stored, 0)
        self.assertEqual(self.values("202602"), {})

    def test_items_all_within_their_time_give_counts_but_no_share_or_mean(self):
        self.forward(forwarded=at(30, 9), deadline=at(2, 9, month=4), answered=None, commune=True)
        services.answer_indicators_compute(month=dt.date(2026, 3, 1), actor=self.system_account, now=at(31, 9))
        values = self.values("202603")
        self.assertEqual(values[(FORWARDED, "territory")], 1.0)
        self.assertEqual(values[(ANSWERED, "territory")], 0.0)
        self.assertNotIn((ON_TIME, "territory"), values)
        self.assertNotIn((HOURS, "territory"), values)

    def test_a_rerun_after_a_late_answer_replaces_the_months_values(self):
        self.forward(forwarded=at(10, 9), deadline=at(11, 9), answered=None, commune=False)
        services.answer_indicators_compute(month=dt.date(2026, 3, 1), actor=self.system_account, now=at(20, 9))
        self.assertEqual(self.values("202603")[(ON_TIME, "territory")], 0.0)  # overdue and unanswered: decided, late
        Handling.objects.update(answered_at=at(10, 15))  # the answer recorded after all, within the time
        services.answer_indicators_compute(month=dt.date(2026, 3, 1), actor=self.system_account, now=at(20, 9))
        values = self.values("202603")
        self.assertEqual((values[(ON_TIME, "territory")], values[(HOURS, "territory")]), (100.0, 6.0))
        self.assertEqual(Value.objects.filter(indicator__code=ON_TIME, period="202603").count(), 1)

    def test_without_the_indicators_in_the_catalogue_nothing_is_stored(self):
        Indicator.objects.filter(code=HOURS).update(is_active=False)
        self.forward(forwarded=at(2, 10), deadline=at(3, 10), answered=at(2, 14), commune=False)
        stored, skipped = services.answer_indicators_compute(
            month=dt.date(2026, 3, 1), actor=self.system_account, now=at(20, 9)
        )
        self.assertEqual((stored, skipped), (3, 1))
        self.assertNotIn((HOURS, "territory"), self.values("202603"))
