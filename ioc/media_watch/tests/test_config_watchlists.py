"""The watch lists' configuration page (R5.7, Nghị định 13/2023/NĐ-CP): the administrator creates a list with its
purpose and retention, adds organisations and people, grants it only to users whose role sees the watch; opening a
list (or one of its entries) is a personal-data read, audited; others get 403 and write nothing."""

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.media_watch import services
from ioc.media_watch.models import WatchEntity, WatchList

CREATE = reverse("media_watch:watchlist_create")
GOOD = {"name": "Nhà thầu", "purpose": "Chất lượng công trình công cộng", "retention_days": "90", "is_active": "on"}


def reads(user):
    return AuditEntry.objects.filter(action="personal_data.read", actor=user).count()


class WatchListConfigTest(Personas, TestCase):
    def test_the_administrator_creates_fills_and_grants_a_list(self):
        self.sign_in(self.client, self.admin)
        response = self.client.post(CREATE, {**GOOD, "viewers": [self.operator.pk]})
        watch_list = WatchList.objects.get()
        edit = reverse("media_watch:watchlist_edit", kwargs={"pk": watch_list.pk})
        self.assertRedirects(response, edit, fetch_redirect_response=False)
        self.assertEqual(list(watch_list.viewers.all()), [self.operator])
        self.assertTrue(AuditEntry.objects.filter(action="media_watchlist.grant", actor=self.admin).exists())
        add = reverse("media_watch:entity_create", kwargs={"pk": watch_list.pk})
        data = {"kind": "organisation", "name": "Công ty Xây dựng Số Một", "aliases": "XD Số 1", "min_hourly": "3"}
        self.assertRedirects(self.client.post(add, {**data, "is_active": "on"}), edit, fetch_redirect_response=False)
        entity = WatchEntity.objects.get()
        self.assertEqual(entity.names(), ["Công ty Xây dựng Số Một", "XD Số 1"])
        before = reads(self.admin)
        self.assertContains(self.client.get(edit), "Công ty Xây dựng Số Một")
        self.assertEqual(reads(self.admin), before + 1)
        self.client.get(reverse("media_watch:entity_edit", kwargs={"pk": entity.pk}))
        self.assertEqual(reads(self.admin), before + 2)

    def test_the_index_shows_lists_by_name_only(self):
        watch_list = services.watchlist_set(actor=self.admin, name="Nhà thầu", purpose="Công trình", retention_days=30)
        services.watch_entity_set(actor=self.admin, watch_list=watch_list, kind="person", name="Nguyễn Văn Thử")
        self.sign_in(self.client, self.admin)
        response = self.client.get(reverse("media_watch:config"))
        self.assertContains(response, "Nhà thầu")
        self.assertNotContains(response, "Nguyễn Văn Thử")
        self.assertEqual(reads(self.admin), 0)

    def test_only_users_whose_role_sees_the_watch_may_be_granted(self):
        self.sign_in(self.client, self.admin)
        response = self.client.post(CREATE, {**GOOD, "viewers": [self.officer_a.pk]})
        self.assertContains(response, 'data-field="viewers"', status_code=400)
        self.assertFalse(WatchList.objects.exists())  # neither the list nor its grant
        watch_list = services.watchlist_set(actor=self.admin, name="Khác", purpose="Thử", retention_days=30)
        with self.assertRaises(ValidationError):
            services.watchlist_viewers_set(actor=self.admin, watch_list=watch_list, viewers=[self.citizen])
        self.assertFalse(watch_list.viewers.exists())

    def test_each_bad_input_is_named(self):
        self.sign_in(self.client, self.admin)
        for field, data in {
            "name": {**GOOD, "name": ""},
            "purpose": {**GOOD, "purpose": "  "},
            "retention_days": {**GOOD, "retention_days": "0"},
        }.items():
            with self.subTest(field=field):
                self.assertContains(self.client.post(CREATE, data), f'data-field="{field}"', status_code=400)
        watch_list = services.watchlist_set(actor=self.admin, name="Khác", purpose="Thử", retention_days=30)
        add = reverse("media_watch:entity_create", kwargs={"pk": watch_list.pk})
        response = self.client.post(add, {"kind": "organisation", "name": "!!!", "min_hourly": "3"})
        self.assertContains(response, 'data-field="name"', status_code=400)
        self.assertFalse(WatchEntity.objects.exists())

    def test_a_watch_list_page_is_refused_to_an_operator_without_the_right(self):
        watch_list = services.watchlist_set(actor=self.admin, name="Nhà thầu", purpose="Công trình", retention_days=30)
        services.watch_entity_set(actor=self.admin, watch_list=watch_list, kind="person", name="Nguyễn Văn Thử")
        edit = reverse("media_watch:watchlist_edit", kwargs={"pk": watch_list.pk})
        for user in (self.operator, self.leader, self.officer_a):
            self.sign_in(self.client, user)
            self.assertEqual(self.client.get(edit).status_code, 403)
            self.assertEqual(self.client.post(CREATE, GOOD).status_code, 403)
            self.assertNotContains(
                self.client.get(reverse("media_watch:watchlists")),
                "Nguyễn Văn Thử",
                status_code=200 if user != self.officer_a else 403,
            )
        self.assertEqual(WatchList.objects.count(), 1)
        self.assertFalse(AuditEntry.objects.filter(action="personal_data.read").exists())
