"""R1.2b: the administrator's connector pages under /kho-du-lieu/ — list, set (the auth value never shown back),
run now; other roles get 403 and write nothing; bad input is a form error naming the field."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.datahub import services
from ioc.datahub.models import Connector, Dataset
from ioc.datahub.testing import dataset_make

SECRET = "Bearer k3y-never-shown"


class ConnectorPagesTest(Personas, TestCase):
    dataset: Dataset

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dataset = dataset_make(actor=cls.system_account, owner=cls.agency_a)

    def edit_url(self) -> str:
        return reverse("datahub:connector_edit", kwargs={"dataset": self.dataset.code})

    def post(self, **changes: Any) -> Any:
        data: dict[str, Any] = {
            "url": "https://api.so-y-te.example.vn/co-so",
            "method": "GET",
            "fmt": "json",
            "json_path": "data.items",
            "auth_header": "Authorization",
            "auth_secret": SECRET,
            "interval_minutes": "60",
            "timeout_seconds": "15",
            "is_active": "on",
        }
        data.update(changes)
        return self.client.post(self.edit_url(), data)

    def test_the_administrator_sets_a_connector_and_never_sees_the_secret_again(self) -> None:
        self.sign_in(self.client, self.admin)
        self.assertEqual(self.client.get(self.edit_url()).status_code, 200)
        response = self.post()
        self.assertRedirects(response, self.edit_url())
        connector = Connector.objects.get()
        self.assertEqual((connector.url, connector.json_path), ("https://api.so-y-te.example.vn/co-so", "data.items"))
        entry = AuditEntry.objects.get(action="datahub_connector.create")
        self.assertEqual(entry.actor, self.admin)
        page = self.client.get(self.edit_url())
        self.assertNotContains(page, "k3y-never-shown")
        self.assertNotContains(page, connector.auth_secret)
        self.assertContains(page, 'id="secret-stored"')
        listing = self.client.get(reverse("datahub:connectors"))
        self.assertContains(listing, 'data-connector="co-so-y-te"')
        self.assertNotContains(listing, "k3y-never-shown")

    def test_saving_without_a_new_secret_keeps_the_stored_one(self) -> None:
        self.sign_in(self.client, self.admin)
        self.post()
        sealed = Connector.objects.get().auth_secret
        self.post(auth_secret="", interval_minutes="30")
        self.assertEqual(Connector.objects.get().auth_secret, sealed)
        self.post(auth_secret="", auth_secret_remove="on")
        self.assertEqual(Connector.objects.get().auth_secret, "")

    def test_bad_input_is_a_form_error_naming_the_field(self) -> None:
        self.sign_in(self.client, self.admin)
        cases = {
            "url": {"url": "file:///etc/passwd"},
            "json_path": {"json_path": "data..items"},
            "auth_header": {"auth_header": "X Bad"},
            "interval_minutes": {"interval_minutes": "1"},
            "timeout_seconds": {"timeout_seconds": "abc"},
        }
        for field, changes in cases.items():
            with self.subTest(field=field):
                response = self.post(**changes)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        self.assertFalse(Connector.objects.exists())

    def test_other_roles_are_refused_and_nothing_is_written(self) -> None:
        for persona in (self.operator, self.leader, self.officer_a):
            with self.subTest(persona=persona.username):
                self.sign_in(self.client, persona)
                self.assertEqual(self.post().status_code, 403)
                self.assertEqual(self.client.get(reverse("datahub:connectors")).status_code, 403)
        self.assertFalse(Connector.objects.exists())

    def test_run_now_makes_the_connector_due(self) -> None:
        values = services.ConnectorSettings(url="https://api.example.vn/x", is_active=True, interval_minutes=600)
        connector = services.connector_set(actor=self.admin, dataset=self.dataset, values=values)
        Connector.objects.filter(pk=connector.pk).update(next_run_at=None)
        self.sign_in(self.client, self.admin)
        url = reverse("datahub:connector_run", kwargs={"dataset": self.dataset.code})
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(self.client.post(url), self.edit_url())
        connector.refresh_from_db()
        self.assertIsNotNone(connector.next_run_at)
        self.assertTrue(AuditEntry.objects.filter(action="datahub_connector.run_now", actor=self.admin).exists())
