"""R5.6: the pages of the information-security watch: assets with status and uptime, certificates, events, the
configuration (administrator and IOC leader only; bad input named on the form, nothing written); agency B's
officer never sees agency A's assets; the operator's work items."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.cybersecurity import selectors
from ioc.cybersecurity.models import Asset
from ioc.cybersecurity.testing import CRAWL_ASSET, cyber_crawl_fixtures


class PagesTest(Personas, TestCase):
    asset: Asset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.asset = cyber_crawl_fixtures(actor=cls.admin, agency=cls.agency_a)

    def test_the_operator_sees_the_asset_its_status_and_uptime(self):
        self.sign_in(self.client, self.operator)
        with self.assertNumQueries(10):  # the user's scope read once per request
            page = self.client.get(reverse("cybersecurity:index"))
        self.assertContains(page, f'data-asset="{CRAWL_ASSET}"')
        self.assertRegex(page.content.decode(), r"<td>50[.,]0%</td>")  # the decimal mark of the active language
        for name in ("certificates", "events"):
            self.assertContains(self.client.get(reverse(f"cybersecurity:{name}")), "Giám sát an toàn thông tin")
        detail = self.client.get(reverse("cybersecurity:asset_detail", kwargs={"pk": self.asset.pk}))
        self.assertContains(detail, "HTTP 503")

    def test_agency_b_officer_is_refused_agency_a_assets_and_events(self):
        self.sign_in(self.client, self.officer_b)
        page = self.client.get(reverse("cybersecurity:index"))
        self.assertNotContains(page, f'data-asset="{CRAWL_ASSET}"')
        detail = self.client.get(reverse("cybersecurity:asset_detail", kwargs={"pk": self.asset.pk}))
        self.assertEqual(detail.status_code, 404)
        self.assertNotContains(self.client.get(reverse("cybersecurity:events")), "Failed password")
        self.assertEqual(selectors.cybersecurity_work_items(user=self.officer_b), [])

    def test_agency_a_officer_sees_its_own(self):
        self.sign_in(self.client, self.officer_a)
        self.assertContains(self.client.get(reverse("cybersecurity:index")), f'data-asset="{CRAWL_ASSET}"')
        self.assertContains(self.client.get(reverse("cybersecurity:events")), "Failed password")

    def test_work_items_name_the_expiring_certificate(self):
        items = selectors.cybersecurity_work_items(user=self.operator)
        self.assertEqual([(i.kind, i.code) for i in items], [("certificate", CRAWL_ASSET)])
        self.assertEqual(items[0].state, "at_risk")

    def test_a_bad_event_filter_is_named(self):
        self.sign_in(self.client, self.operator)
        page = self.client.get(reverse("cybersecurity:events"), {"since": "not-a-date", "min_severity": "9"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, 'data-field="since"', status_code=400)
        self.assertContains(page, 'data-field="min_severity"', status_code=400)


class ConfigTest(Personas, TestCase):
    def _post(self, **overrides: str):
        data = {
            "code": "cong-so-a",
            "name": "Cổng Sở A",
            "kind": "portal",
            "agency": str(self.agency_a.pk),
            "level": "3",
            "url": "https://so-a.example.invalid/",
            "interval_minutes": "5",
            "is_active": "on",
            "dns_expected": "",
            "deface_selectors": "#main\n.news",
            "forbidden_words": "cờ bạc",
        }
        data.update(overrides)
        return self.client.post(reverse("cybersecurity:asset_create"), data)

    def test_the_administrator_adds_an_asset_audited(self):
        self.sign_in(self.client, self.admin)
        self.assertEqual(self.client.get(reverse("cybersecurity:config")).status_code, 200)
        response = self._post()
        asset = Asset.objects.get(code="cong-so-a")
        self.assertRedirects(response, reverse("cybersecurity:asset_detail", kwargs={"pk": asset.pk}))
        self.assertEqual(asset.deface_selectors, ["#main", ".news"])
        entry = AuditEntry.objects.get(action="cyber_asset.create")
        self.assertEqual(entry.actor, self.admin)

    def test_bad_input_is_named_and_writes_nothing(self):
        self.sign_in(self.client, self.leader)
        for field, value in (("url", "ftp://x/"), ("deface_selectors", "div[[["), ("level", "9"), ("url", "noscheme")):
            with self.subTest(field=field, value=value):
                response = self._post(**{field: value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        self.assertFalse(Asset.objects.exists())

    def test_the_operator_and_agency_officers_cannot_configure(self):
        for user in (self.operator, self.officer_a):
            with self.subTest(user=user.username):
                self.sign_in(self.client, user)
                self.assertEqual(self.client.get(reverse("cybersecurity:config")).status_code, 403)
                self.assertEqual(self._post().status_code, 403)
        self.assertFalse(Asset.objects.exists())

    def test_an_edit_changes_the_regions_and_takes_a_new_baseline(self):
        asset = cyber_crawl_fixtures(actor=self.admin, agency=self.agency_a)
        Asset.objects.filter(pk=asset.pk).update(deface_fingerprint="x" * 64, deface_baseline="old")
        self.sign_in(self.client, self.admin)
        data = {
            "name": asset.name,
            "kind": "portal",
            "agency": str(self.agency_b.pk),
            "level": "4",
            "url": asset.url,
            "interval_minutes": "10",
            "deface_selectors": "#content",
            "is_active": "on",
        }
        response = self.client.post(reverse("cybersecurity:asset_edit", kwargs={"pk": asset.pk}), data)
        self.assertEqual(response.status_code, 302)
        asset.refresh_from_db()
        self.assertEqual((asset.agency, asset.level, asset.deface_fingerprint), (self.agency_b, 4, ""))
