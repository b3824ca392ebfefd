"""The sources' configuration page under "Quản trị" (R5.7): the administrator adds and edits a source (its API key
stored sealed, never shown back), asks for a run; others get 403; bad input is named on its field, nothing saved."""

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import secrets
from ioc.media_watch.models import Source

CONFIG = reverse("media_watch:config")
CREATE = reverse("media_watch:source_create")
GOOD = {
    "name": "Báo Tin tức (RSS)",
    "kind": "feed",
    "url": "https://news.example.invalid/rss",
    "selectors": "",
    "api_key": "",
    "interval_minutes": "30",
    "min_gap_seconds": "60",
    "is_active": "on",
}


class SourceConfigTest(Personas, TestCase):
    def post(self, user, url, data):
        self.sign_in(self.client, user)
        return self.client.post(url, data)

    def test_the_administrator_adds_a_source_and_edits_it(self):
        response = self.post(self.admin, CREATE, GOOD)
        self.assertRedirects(response, CONFIG, fetch_redirect_response=False)
        source = Source.objects.get()
        self.assertEqual((source.kind, source.url, source.is_active), ("feed", GOOD["url"], True))
        self.assertEqual(AuditEntry.objects.get(action="media_source.create").actor, self.admin)
        self.assertContains(self.client.get(CONFIG), "Báo Tin tức (RSS)")
        edit = reverse("media_watch:source_edit", kwargs={"pk": source.pk})
        data = {**GOOD, "kind": "sitemap", "selectors": '{"title": "h1", "body": "article p"}', "is_active": ""}
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        source.refresh_from_db()
        self.assertEqual(
            (source.kind, source.selectors, source.is_active), ("sitemap", {"title": "h1", "body": "article p"}, False)
        )

    def test_a_platform_key_is_sealed_and_never_shown_back(self):
        self.post(self.admin, CREATE, {**GOOD, "kind": "platform", "api_key": "khoa-bi-mat-123"})
        source = Source.objects.get()
        self.assertNotIn("khoa-bi-mat-123", source.api_key_sealed)
        self.assertEqual(secrets.unseal(source.api_key_sealed), "khoa-bi-mat-123")
        edit = reverse("media_watch:source_edit", kwargs={"pk": source.pk})
        page = self.client.get(edit)
        self.assertNotContains(page, "khoa-bi-mat-123")
        self.assertContains(page, "Đã lưu một khoá API")
        self.client.post(edit, {**GOOD, "kind": "platform"})  # blank: keeps the key
        source.refresh_from_db()
        self.assertEqual(secrets.unseal(source.api_key_sealed), "khoa-bi-mat-123")
        self.client.post(edit, {**GOOD, "kind": "platform", "remove_api_key": "on"})
        source.refresh_from_db()
        self.assertEqual(secrets.unseal(source.api_key_sealed), "")

    def test_run_now_is_recorded(self):
        self.post(self.admin, CREATE, GOOD)
        source = Source.objects.get()
        response = self.client.post(reverse("media_watch:source_run", kwargs={"pk": source.pk}))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(action="media_source.run_now", actor=self.admin).exists())

    def test_each_bad_input_is_named_and_nothing_is_saved(self):
        cases = [
            ("name", {**GOOD, "name": ""}),
            ("url", {**GOOD, "url": "ftp://x.invalid/feed"}),
            ("selectors", {**GOOD, "selectors": "{title: h1"}),
            ("selectors", {**GOOD, "selectors": "[" * 100_000 + "]" * 100_000}),  # nested too deep: not a 500
            ("interval_minutes", {**GOOD, "interval_minutes": "1"}),
            ("interval_minutes", {**GOOD, "interval_minutes": "99999999999999"}),  # overflowed the due time
            ("kind", {**GOOD, "kind": "telepathy"}),
        ]
        self.sign_in(self.client, self.admin)
        for field, data in cases:
            with self.subTest(field=field):
                response = self.client.post(CREATE, data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        response = self.client.post(CREATE, {**GOOD, "selectors": '{"headline": "h1"}'})
        self.assertContains(response, "headline", status_code=400)
        self.assertFalse(Source.objects.exists())

    def test_youtube_and_x_sources_are_accepted_a_key_in_their_url_is_refused(self):
        youtube = "https://www.googleapis.com/youtube/v3/search?part=snippet&q=ng%E1%BA%ADp"
        x_api = "https://api.x.com/2/tweets/search/recent?query=ngap&expansions=author_id"
        self.post(self.admin, CREATE, {**GOOD, "name": "YouTube", "kind": "youtube", "url": youtube})
        self.post(self.admin, CREATE, {**GOOD, "name": "X", "kind": "x", "url": x_api, "api_key": "tok-x-123"})
        self.assertEqual(sorted(Source.objects.values_list("kind", "url")), [("x", x_api), ("youtube", youtube)])
        self.assertEqual(secrets.unseal(Source.objects.get(kind="x").api_key_sealed), "tok-x-123")
        response = self.client.post(
            CREATE, {**GOOD, "name": "YouTube 2", "kind": "youtube", "url": youtube + "&key=AIza1"}
        )
        self.assertContains(response, 'data-field="url"', status_code=400)
        self.assertEqual(Source.objects.count(), 2)

    def test_others_are_refused_and_write_nothing(self):
        for user in (self.operator, self.leader, self.officer_a):
            self.sign_in(self.client, user)
            self.assertEqual(self.client.get(CONFIG).status_code, 403)
            self.assertEqual(self.client.post(CREATE, GOOD).status_code, 403)
        self.assertFalse(Source.objects.exists())
