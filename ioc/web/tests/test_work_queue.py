"""R7.1, R4.2 (issue 20): the operator's single work queue — urgency order across sources, kind chips, filters
by kind, agency and commune, paging, bad filters (400 naming the field), who may open it, and acknowledging a
severe alert from it (audited; it stops sounding)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ioc.accounts.testing import system_actor
from ioc.audit.models import AuditEntry
from ioc.common.testing import frozen, local
from ioc.common.workitems import URGENCY_OVERDUE, URGENCY_SEVERE
from ioc.geo.services import territory_set
from ioc.incidents.models import Alert
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in, unit
from ioc.web import selectors
from ioc.web.tests import people

URL = "/hang-doi/"


class QueueCase(IncidentsMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile="hung-yen",
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 9, 21),
        )

    def setUp(self) -> None:
        with frozen(local(2026, 4, 20, 8, 0)):  # agency B's part is long overdue today
            self.incident, self.parts = self.forwarded([self.agency_b])
        self.mild = self.raise_alert(dedup_key="mild", severity=3, kind="env.air_quality", title="Bụi mịn tăng")
        self.severe = self.raise_alert(
            dedup_key="severe", severity=5, kind="fire", title="Cháy kho", point=point_in(OTHER_COMMUNE)
        )


class QueueOrderTest(QueueCase):
    def test_overdue_work_comes_first_then_the_new_severe_alert(self) -> None:
        queue = selectors.work_queue(user=self.operator)
        first, second = queue.rows[0], queue.rows[1]
        self.assertEqual((first.item.source, first.band), ("assignments", URGENCY_OVERDUE))
        self.assertEqual(first.item.agency_id, self.agency_b.pk)
        self.assertEqual((second.item.object_id, second.band), (self.severe.pk, URGENCY_SEVERE))
        self.assertEqual([r.band for r in queue.rows], sorted(r.band for r in queue.rows))
        self.assertIn(self.mild.pk, [r.item.object_id for r in queue.rows[2:] if r.item.kind == "verify"])
        self.assertEqual([i.object_id for i in queue.loud], [self.severe.pk])
        self.assertIsNotNone(first.age)

    def test_kinds_are_counted_and_filtered(self) -> None:
        queue = selectors.work_queue(user=self.operator)
        counts = {code: n for code, _label, n in queue.kinds}
        self.assertEqual(counts["assignments"], 1)
        self.assertEqual(counts["incidents"], queue.total - 1)
        only = selectors.work_queue(user=self.operator, kind="incidents")
        self.assertEqual({r.item.source for r in only.rows}, {"incidents"})
        self.assertEqual(only.kinds, queue.kinds)  # the chips keep every kind's count

    def test_agency_and_commune_filters(self) -> None:
        by_agency = selectors.work_queue(user=self.operator, agency_id=self.agency_b.pk)
        self.assertEqual([r.item.source for r in by_agency.rows], ["assignments"])
        by_commune = selectors.work_queue(user=self.operator, commune_id=unit(OTHER_COMMUNE).pk)
        self.assertEqual([r.item.object_id for r in by_commune.rows], [self.severe.pk])
        self.assertEqual(selectors.work_queue(user=self.operator, agency_id=self.agency_a.pk).total, 0)

    def test_paging(self) -> None:
        whole = selectors.work_queue(user=self.operator)
        self.assertGreaterEqual(whole.total, 3)
        pages = [selectors.work_queue(user=self.operator, per_page=1, page=n) for n in range(1, whole.total + 1)]
        self.assertEqual([p.rows[0].item for p in pages], [r.item for r in whole.rows])
        self.assertEqual(pages[0].pages, whole.total)
        self.assertTrue(pages[0].has_next and not pages[0].has_previous)
        beyond = selectors.work_queue(user=self.operator, per_page=1, page=999)
        self.assertEqual(beyond.page, whole.total)  # clamped to the last page


class QueuePageTest(QueueCase):
    def test_the_page_and_its_htmx_fragment(self) -> None:
        client = people.signed_in(self.operator)
        page = client.get(URL, {"kind": "incidents"}).content.decode()
        self.assertIn("<html", page)
        self.assertIn(f'data-queue-item="incidents:verify:{self.severe.pk}"', page)
        self.assertNotIn('data-queue-item="assignments:', page)
        fragment = client.get(URL, {"page": "1"}, HTTP_HX_REQUEST="true")
        self.assertEqual(fragment.status_code, 200)
        body = fragment.content.decode()
        self.assertNotIn("<html", body)
        self.assertTrue(body.lstrip().startswith('<div id="work-queue"'))
        self.assertIn('data-ioc-alarm="1"', body)

    def test_bad_filters_are_form_errors_not_500(self) -> None:
        client = people.signed_in(self.operator)
        for params, field in [
            ({"kind": "nope"}, "kind"),
            ({"agency": "999999"}, "agency"),
            ({"commune": "abc"}, "commune"),
            ({"page": "0"}, "page"),
            ({"page": "x"}, "page"),
        ]:
            with self.subTest(params=params):
                response = client.get(URL, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn(f'data-error="{field}"', response.content.decode())

    def test_only_the_ioc_opens_it(self) -> None:
        for user in (self.officer_a, self.citizen):
            self.assertEqual(people.signed_in(user).get(URL).status_code, 403)
        self.assertEqual(people.signed_in(self.leader).get(URL).status_code, 200)

    def test_the_home_sounds_and_highlights_until_acknowledged(self) -> None:
        client = people.signed_in(self.operator)
        home = client.get("/").content.decode()
        self.assertIn('data-ioc-alarm="1"', home)
        self.assertIn("web/work-queue.js", home)
        self.assertIn(f"/hang-doi/canh-bao/{self.severe.pk}/da-xem/", home)
        response = client.post(f"/hang-doi/canh-bao/{self.severe.pk}/da-xem/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.severe.refresh_from_db()
        self.assertEqual(self.severe.acknowledged_by_id, self.operator.pk)
        entry = AuditEntry.objects.filter(action="alert.acknowledge").latest("pk")
        self.assertEqual((entry.actor_id, entry.object_id), (self.operator.pk, str(self.severe.pk)))
        self.assertIn('data-ioc-alarm="0"', client.get("/").content.decode())

    def test_an_officer_cannot_acknowledge(self) -> None:
        response = people.signed_in(self.officer_b).post(f"/hang-doi/canh-bao/{self.severe.pk}/da-xem/")
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(Alert.objects.get(pk=self.severe.pk).acknowledged_at)
