"""R9.1–R9.3: the pages under /lien-thong/: link status, messages out and in, dead letters with replay, conflicts
to resolve, directives; IOC staff only; bad input is a form error and writes nothing; list pages' queries locked."""

from __future__ import annotations

from django.urls import reverse

from ioc.federation.choices import ConflictState, Flow, LinkRole, OutState
from ioc.federation.models import Conflict, DeadLetter, Directive, Link, OutboxMessage
from ioc.federation.selectors import federation_work_items
from ioc.federation.testing import CRAWL_PARENT, EMPTY_DOCX, crawl_fixtures, crawl_subordinate_report
from ioc.federation.tests.base import FederationTestCase
from ioc.indicators.testing import SAMPLE_CODE


class PagesTest(FederationTestCase):
    dead: DeadLetter
    conflict: Conflict

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dead, cls.conflict = crawl_fixtures(
            admin=cls.admin, indicator_code=SAMPLE_CODE, unit_code=cls.communes[0].code, period="202501"
        )

    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def test_the_status_page_shows_each_link_with_lag_and_backlog(self):
        with self.assertNumQueries(12):
            response = self.client.get(reverse("federation:index"))
        self.assertContains(response, f'data-link="{CRAWL_PARENT}"')
        self.assertContains(response, 'data-figure="dead">1<')
        self.assertContains(response, 'data-figure="conflicts">1<')

    def test_lists_have_locked_queries(self):
        for name, queries in (("outbox", 7), ("inbox", 7), ("dead_letters", 7), ("conflicts", 7)):
            with self.subTest(name), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(reverse(f"federation:{name}")).status_code, 200)

    def test_the_outbox_filters_by_state(self):
        response = self.client.get(reverse("federation:outbox"), {"state": OutState.DEAD})
        self.assertContains(response, str(self.dead.message.message_id))
        response = self.client.get(reverse("federation:outbox"), {"state": OutState.DELIVERED})
        self.assertNotContains(response, str(self.dead.message.message_id))

    def test_an_officer_is_refused(self):
        self.sign_in(self.client, self.officer_a)
        for url in (reverse("federation:index"), reverse("federation:conflict", args=[self.conflict.pk])):
            self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(reverse("federation:dead_letter_replay", args=[self.dead.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(DeadLetter.objects.get(pk=self.dead.pk).replayed_at)

    def test_replay_from_the_page(self):
        response = self.client.post(reverse("federation:dead_letter_replay", args=[self.dead.pk]))
        self.assertRedirects(response, reverse("federation:dead_letters"), fetch_redirect_response=False)
        self.assertEqual(OutboxMessage.objects.get(pk=self.dead.message_id).state, OutState.PENDING)
        self.assertEqual(DeadLetter.objects.get(pk=self.dead.pk).replayed_by, self.operator)

    def test_resolve_a_conflict_and_bad_input(self):
        url = reverse("federation:conflict", args=[self.conflict.pk])
        self.assertContains(self.client.get(url), 'data-value="received"')
        response = self.client.post(url, {"resolution": "overwrite-silently"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-field="resolution"', status_code=400)
        self.assertEqual(Conflict.objects.get(pk=self.conflict.pk).state, ConflictState.OPEN)
        response = self.client.post(url, {"resolution": ConflictState.KEPT_LOCAL})
        self.assertRedirects(response, reverse("federation:conflicts"), fetch_redirect_response=False)
        self.assertEqual(Conflict.objects.get(pk=self.conflict.pk).resolved_by, self.operator)

    def test_an_unknown_conflict_is_404(self):
        self.assertEqual(self.client.get(reverse("federation:conflict", args=[999999])).status_code, 404)

    def test_send_a_directive_and_bad_input(self):
        url = reverse("federation:directive")
        self.assertEqual(self.client.get(url).status_code, 200)
        child = Link.objects.get(role=LinkRole.CHILD)
        bad = {
            "link": child.pk,
            "title": "<script>x</script>",
            "instructions": "Làm",
            "agency_code": "so-a",
            "working_hours": 8,
        }
        response = self.client.post(url, bad)
        self.assertContains(response, 'data-field="title"', status_code=400)
        self.assertFalse(Directive.objects.exists())
        good = {**bad, "title": "Kiểm tra cống"}
        self.assertRedirects(self.client.post(url, good), reverse("federation:outbox"), fetch_redirect_response=False)
        self.assertTrue(OutboxMessage.objects.filter(link=child, flow=Flow.DIRECTIVE).exists())

    def test_work_items_name_dead_letters_and_conflicts(self):
        kinds = sorted(item.kind for item in federation_work_items(user=self.operator))
        self.assertEqual(kinds, ["conflict", "dead_letter"])
        self.assertEqual(federation_work_items(user=self.officer_a), [])

    def test_the_archive_of_subordinate_reports(self):
        received = crawl_subordinate_report()
        self.assertEqual(crawl_subordinate_report(), received)  # made once
        response = self.client.get(reverse("federation:subordinate_reports"), {"q": "thang 11"})
        self.assertContains(response, f'data-subordinate-report="{received.pk}"')
        download = self.client.get(reverse("federation:subordinate_report_download", args=[received.pk]))
        self.assertEqual(download.content, EMPTY_DOCX)
        self.assertEqual(
            self.client.get(reverse("federation:subordinate_report_download", args=[9999])).status_code, 404
        )
