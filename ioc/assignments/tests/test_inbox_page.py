"""The officer's inbox at /xu-ly/: scope, filters, counts, overdue first, a locked query count (R3.3)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ioc.assignments.models import Assignment
from ioc.assignments.tests.support import WorkCase, frozen, local

URL = reverse("assignments:inbox")


class InboxPageTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        with frozen(local(2026, 4, 20, 8, 0)):
            self.late = self.forward(subject_id="late", subject_label="Cây đổ chắn đường", working_hours=2)
        with frozen(local(2026, 4, 22, 8, 0)):
            self.risky = self.forward(subject_id="risky", subject_label="Ngập úng", working_hours=12)
            self.fresh = self.forward(subject_id="fresh", subject_label="Rác thải", working_hours=200)
            self.other = self.forward(subject_id="b", subject_label="Việc của sở B", agency=self.agency_b)

    def get(self, user, **params):
        self.sign_in(self.client, user)
        with frozen(local(2026, 4, 23, 14, 0)):
            return self.client.get(URL, params)

    def test_it_shows_the_agency_its_own_work_overdue_first(self):
        response = self.get(self.officer_a)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("Việc của sở B", html)
        positions = [html.index(label) for label in ("Cây đổ chắn đường", "Ngập úng", "Rác thải")]
        self.assertEqual(positions, sorted(positions))
        counts = response.context["counts"]
        self.assertEqual((counts["open"], counts["overdue"], counts["at_risk"], counts["on_track"]), (3, 1, 1, 1))
        self.assertIn('data-stat="overdue">1<', html)

    def test_it_filters_by_deadline_state_and_status(self):
        html = self.get(self.officer_a, deadline="overdue").content.decode()
        self.assertIn("Cây đổ chắn đường", html)
        self.assertNotIn("Rác thải", html)
        html = self.get(self.officer_a, status="returned").content.decode()
        self.assertNotIn("Cây đổ chắn đường", html)
        self.assertIn("Không có việc nào", html)

    def test_it_ignores_unknown_filter_values(self):
        response = self.get(self.officer_a, status="<script>", deadline="soon")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["status"], "open")
        self.assertEqual(response.context["deadline"], "")

    def test_the_escalation_digests_link_shows_only_escalated_work(self):
        # docs/decisions/0011: a digest links to /xu-ly/?escalated=1 (a tier reached or a missed acceptance)
        Assignment.objects.filter(pk=self.late.pk).update(escalation_level=1)
        Assignment.objects.filter(pk=self.fresh.pk).update(accept_escalated_at=local(2026, 4, 22, 9, 0))
        response = self.get(self.officer_a, escalated="1")
        html = response.content.decode()
        self.assertIn("Cây đổ chắn đường", html)
        self.assertIn("Rác thải", html)
        self.assertNotIn("Ngập úng", html)
        self.assertIn("data-escalated-filter", html)
        for ignored in ("0", "yes"):  # any other value is no filter
            html = self.get(self.officer_a, escalated=ignored).content.decode()
            self.assertIn("Ngập úng", html)
            self.assertNotIn("data-escalated-filter", html)

    def test_it_shows_the_ioc_everything(self):
        html = self.get(self.operator).content.decode()
        self.assertIn("Việc của sở B", html)
        self.assertIn("Cây đổ chắn đường", html)

    def test_it_refuses_a_citizen(self):
        self.assertEqual(self.get(self.citizen).status_code, 403)

    def test_it_keeps_the_query_count_flat_as_the_inbox_grows(self):
        self.get(self.officer_a)  # warm the session, OTP device, caches
        with CaptureQueriesContext(connection) as small:
            self.get(self.officer_a)
        with frozen(local(2026, 4, 22, 9, 0)):
            for n in range(20):
                self.forward(subject_id=f"more-{n}", subject_label=f"Việc thêm {n}")
        with self.assertNumQueries(len(small)):
            response = self.get(self.officer_a)
        self.assertEqual(len(response.context["rows"]), 23)
