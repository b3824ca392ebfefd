"""R9.1, "Quản trị": the federation configuration pages — links (address, flows, retirement), keys on a written
request (the new secret shown once, rotation on a new request), code mappings; a bad URL, an unknown code, a
duplicate mapping are form errors naming the field and write nothing; only the administrator configures."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ioc.accounts.choices import RequestStatus
from ioc.audit.models import AuditEntry
from ioc.federation import signing
from ioc.federation.choices import Flow, LinkRole, MappingKind
from ioc.federation.models import CodeMapping, Link
from ioc.federation.tests.base import FederationTestCase, keys_request
from ioc.indicators.testing import SAMPLE_CODE


class LinkConfigTest(FederationTestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.admin)

    def test_register_a_parent_and_a_bad_url_is_a_form_error(self) -> None:
        self.assertContains(self.client.get(reverse("federation_config:link_list")), f'data-link="{self.link.code}"')
        url = reverse("federation_config:link_create")
        data: dict[str, Any] = {"code": "quoc-gia", "role": LinkRole.NATIONAL, "name": "Hệ thống quốc gia"}
        data["base_url"] = "ftp://x"
        data["flows"] = [Flow.NATIONAL_EXPORT]
        response = self.client.post(url, data)
        self.assertContains(response, 'data-field="base_url"', status_code=400)
        data["flows"] = [Flow.DIRECTIVE]
        data["base_url"] = "https://quocgia.example.invalid"
        response = self.client.post(url, data)
        self.assertContains(response, 'data-field="flows"', status_code=400)
        self.assertFalse(Link.objects.filter(code="quoc-gia").exists())
        data["flows"] = [Flow.NATIONAL_EXPORT]
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("federation_config:link_keys", args=["quoc-gia"]))
        entry = AuditEntry.objects.filter(action="federation_link.create").latest("pk")
        self.assertEqual(entry.actor, self.admin)

    def test_retire_a_link(self) -> None:
        url = reverse("federation_config:link_edit", args=[self.link.code])
        form = self.client.get(url).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data["is_active"] = ""
        data["indicator_codes"] = SAMPLE_CODE
        self.assertRedirects(self.client.post(url, data), reverse("federation_config:link_list"))
        self.assertFalse(Link.objects.get(pk=self.link.pk).is_active)

    def test_keys_are_shown_once_and_rotated_on_a_new_request(self) -> None:
        url = reverse("federation_config:link_keys", args=[self.link.code])
        first = keys_request(self.admin)
        response = self.client.post(url, {"account_request": first.pk, "key_id": "tinh-2026"})
        self.assertEqual(response.status_code, 200)
        link = Link.objects.get(pk=self.link.pk)
        secret = signing.unseal(link.secret_sealed)
        self.assertContains(response, secret)
        self.assertNotContains(self.client.get(url), secret)
        first.refresh_from_db()
        self.assertEqual(first.status, RequestStatus.APPLIED)
        again = self.client.post(url, {"account_request": first.pk, "key_id": "tinh-2027"})
        self.assertContains(again, 'data-field="account_request"', status_code=400)
        second = keys_request(self.admin)
        self.client.post(url, {"account_request": second.pk, "key_id": "tinh-2027", "secret": "k" * 40})
        link.refresh_from_db()
        self.assertEqual((link.key_id, signing.unseal(link.secret_sealed)), ("tinh-2027", "k" * 40))

    def test_an_operator_is_refused_and_nothing_is_written(self) -> None:
        self.sign_in(self.client, self.operator)
        self.assertEqual(self.client.get(reverse("federation_config:link_list")).status_code, 403)
        data = {"code": "x-y", "role": LinkRole.CHILD, "name": "X"}
        self.assertEqual(self.client.post(reverse("federation_config:link_create"), data).status_code, 403)
        self.assertFalse(Link.objects.filter(code="x-y").exists())


class MappingConfigTest(FederationTestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.admin)
        self.url = reverse("federation_config:mappings", args=[self.link.code])

    def test_unknown_codes_and_duplicates_are_form_errors(self) -> None:
        cases = [
            ({"kind": MappingKind.UNIT, "remote_code": "legacy:12345", "local_code": "99999"}, "local_code"),
            ({"kind": MappingKind.UNIT, "remote_code": "abc", "local_code": self.communes[0].code}, "remote_code"),
            ({"kind": MappingKind.INDICATOR, "remote_code": "NS01", "local_code": "khong_co"}, "local_code"),
        ]
        for data, field in cases:
            with self.subTest(field=field, data=data):
                self.assertContains(self.client.post(self.url, data), f'data-field="{field}"', status_code=400)
        self.assertFalse(CodeMapping.objects.exists())
        good = {"kind": MappingKind.INDICATOR, "remote_code": "NS01", "local_code": SAMPLE_CODE}
        self.assertRedirects(self.client.post(self.url, good), self.url)
        duplicate = self.client.post(self.url, {**good, "local_code": SAMPLE_CODE})
        self.assertContains(duplicate, 'data-field="remote_code"', status_code=400)
        self.assertEqual(CodeMapping.objects.count(), 1)

    def test_remove_a_mapping(self) -> None:
        unit = {"kind": MappingKind.UNIT, "remote_code": "legacy:12345", "local_code": self.communes[0].code}
        self.client.post(self.url, unit)
        mapping = CodeMapping.objects.get()
        self.assertContains(self.client.get(self.url), f'data-mapping="{mapping.pk}"')
        remove = reverse("federation_config:mapping_remove", args=[self.link.code, mapping.pk])
        self.assertRedirects(self.client.post(remove), self.url)
        self.assertFalse(CodeMapping.objects.exists())
        self.assertEqual(AuditEntry.objects.filter(action="federation_mapping.remove").latest("pk").actor, self.admin)
