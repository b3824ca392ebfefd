"""R5.5: the CAP 1.2 documents of an alert, its update and its cancellation are valid against the OASIS schema
(lxml XMLSchema, offline), reference the original, and the Atom index lists them; the public pages advertise it."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from lxml import etree

from ioc.scenarios import cap, services
from ioc.scenarios.tests.support import ScenarioMixin, territory
from ioc.scenarios.tests.test_warnings import draft

NS = {"cap": cap.CAP_NS, "atom": cap.ATOM_NS}


class CapTests(ScenarioMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory()

    def fetch(self, identifier: str) -> bytes:
        response = self.client.get(reverse("public_warnings:cap", args=[identifier]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/cap+xml"))
        return response.content

    def test_alert_update_and_cancel_are_valid_cap(self) -> None:
        alert = services.warning_publish(actor=self.leader, draft=draft(severity=4))
        update = services.warning_update(actor=self.leader, original=alert, draft=draft(severity=5))
        cancel = services.warning_cancel(actor=self.operator, original=update, reason="Nước đã rút")
        for warning, msg_type in ((alert, "Alert"), (update, "Update"), (cancel, "Cancel")):
            document = self.fetch(warning.identifier)
            self.assertEqual(cap.cap_errors(document), [], document.decode())
            root = etree.fromstring(document)
            self.assertEqual(root.findtext("cap:msgType", namespaces=NS), msg_type)
        root = etree.fromstring(self.fetch(update.identifier))
        self.assertIn(alert.identifier, root.findtext("cap:references", namespaces=NS) or "")
        self.assertEqual(root.findtext("cap:info/cap:severity", namespaces=NS), "Extreme")
        self.assertEqual([i.text for i in root.iterfind("cap:info/cap:language", NS)], ["vi-VN", "en-US"])
        self.assertTrue(root.findtext("cap:info/cap:area/cap:polygon", namespaces=NS))
        root = etree.fromstring(self.fetch(cancel.identifier))
        self.assertIn(update.identifier, root.findtext("cap:references", namespaces=NS) or "")

    def test_the_schema_rejects_a_broken_document(self) -> None:
        warning = services.warning_publish(actor=self.operator, draft=draft())
        broken = self.fetch(warning.identifier).replace(b"<msgType>Alert", b"<msgType>Alarm")
        self.assertTrue(cap.cap_errors(broken))

    def test_the_atom_index_lists_the_messages_and_pages_advertise_it(self) -> None:
        first = services.warning_publish(actor=self.operator, draft=draft())
        services.warning_publish(actor=self.operator, draft=draft(severity=4))  # waits for approval: not listed
        response = self.client.get(reverse("public_warnings:atom"))
        self.assertEqual(response.status_code, 200)
        feed = etree.fromstring(response.content)
        entries = feed.findall("atom:entry", NS)
        self.assertEqual(len(entries), 1)
        link = entries[0].find("atom:link[@rel='alternate']", NS)
        assert link is not None
        self.assertTrue(link.get("href", "").endswith(reverse("public_warnings:cap", args=[first.identifier])))
        atom = reverse("public_warnings:atom")
        for url in ("/", reverse("public_warnings:list"), reverse("public_warnings:detail", args=[first.identifier])):
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertContains(page, '<link rel="alternate" type="application/atom+xml"')
            self.assertContains(page, atom)
        self.assertContains(self.client.get("/"), first.headline_vi)

    def test_a_message_awaiting_approval_is_not_public(self) -> None:
        waiting = services.warning_publish(actor=self.operator, draft=draft(severity=4))
        self.assertEqual(self.client.get(reverse("public_warnings:cap", args=[waiting.identifier])).status_code, 404)
        self.assertEqual(self.client.get(reverse("public_warnings:detail", args=[waiting.identifier])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("public_warnings:list")), waiting.headline_vi)
