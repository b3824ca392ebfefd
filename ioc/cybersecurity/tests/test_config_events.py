"""R5.6 (issue 21 item 6): event sources and event rules are configured on pages, not in a shell — added, changed,
refused with the field named (a duplicate address or code, a bad address, an empty window), audited, and
closed to the operator and agency officers."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.cybersecurity import services
from ioc.cybersecurity.models import EventRule, EventSource

SOURCE = {"address": "10.20.0.5", "name": "Tường lửa Sở A", "is_active": "on"}
RULE = {
    "code": "web-attack",
    "name": "Tấn công web",
    "rule_prefix": "eve:",
    "min_severity": "4",
    "threshold": "5",
    "window_minutes": "10",
    "is_active": "on",
}


class EventConfigTest(Personas, TestCase):
    def post(self, name: str, data: dict[str, str], **kwargs: int):
        return self.client.post(reverse(f"cybersecurity:{name}", kwargs=kwargs or None), data)

    def test_the_administrator_adds_and_changes_a_source_and_a_rule_audited(self):
        self.sign_in(self.client, self.admin)
        self.assertEqual(self.client.get(reverse("cybersecurity:source_create")).status_code, 200)
        response = self.post("source_create", {**SOURCE, "agency": str(self.agency_a.pk)})
        self.assertRedirects(response, reverse("cybersecurity:config"))
        source = EventSource.objects.get(address="10.20.0.5")
        self.assertContains(self.client.get(reverse("cybersecurity:config")), 'data-source="10.20.0.5"')
        response = self.post("source_edit", {"name": "Tường lửa mới", "agency": str(self.agency_b.pk)}, pk=source.pk)
        self.assertEqual(response.status_code, 302)
        source.refresh_from_db()
        self.assertEqual((source.name, source.agency, source.is_active), ("Tường lửa mới", self.agency_b, False))

        self.assertEqual(self.post("rule_create", RULE).status_code, 302)
        rule = EventRule.objects.get(code="web-attack")
        self.assertEqual((rule.rule_prefix, rule.min_severity, rule.threshold), ("eve:", 4, 5))
        edit = {**RULE, "threshold": "20"}
        del edit["code"]
        self.assertEqual(self.post("rule_edit", edit, pk=rule.pk).status_code, 302)
        rule.refresh_from_db()
        self.assertEqual(rule.threshold, 20)
        actions = list(
            AuditEntry.objects.filter(action__in=["cyber_source.set", "cyber_rule.set"]).values_list("action")
        )
        self.assertEqual(len(actions), 4)

    def test_bad_input_is_named_and_changes_nothing(self):
        services.event_source_set(actor=self.admin, name="Có sẵn", address="10.20.0.5", agency=self.agency_a)
        services.event_rule_set(actor=self.admin, code="web-attack", name="Có sẵn")
        self.sign_in(self.client, self.leader)
        cases = [
            ("source_create", {**SOURCE, "agency": str(self.agency_b.pk)}, "address"),  # already registered
            ("source_create", {**SOURCE, "address": "10.20.0.999", "agency": str(self.agency_a.pk)}, "address"),
            ("source_create", {**SOURCE, "address": "10.20.0.6", "agency": "999999"}, "agency"),
            ("rule_create", RULE, "code"),  # already in use
            ("rule_create", {**RULE, "code": "khac", "window_minutes": "0"}, "window_minutes"),
            ("rule_create", {**RULE, "code": "khac", "min_severity": "9"}, "min_severity"),
            ("rule_create", {**RULE, "code": "có dấu"}, "code"),
        ]
        for name, data, field in cases:
            with self.subTest(name=name, field=field):
                response = self.post(name, data)
                self.assertContains(response, f'data-field="{field}"', status_code=400)
        self.assertEqual(list(EventSource.objects.values_list("address", "name")), [("10.20.0.5", "Có sẵn")])
        self.assertEqual(list(EventRule.objects.values_list("code", "name")), [("web-attack", "Có sẵn")])

    def test_the_operator_and_agency_officers_cannot_configure_events(self):
        rule = services.event_rule_set(actor=self.admin, code="web-attack", name="Có sẵn")
        for user in (self.operator, self.officer_a):
            with self.subTest(user=user.username):
                self.sign_in(self.client, user)
                self.assertEqual(self.client.get(reverse("cybersecurity:rule_create")).status_code, 403)
                self.assertEqual(self.post("rule_edit", {**RULE, "threshold": "7"}, pk=rule.pk).status_code, 403)
                self.assertEqual(
                    self.post("source_create", {**SOURCE, "agency": str(self.agency_a.pk)}).status_code, 403
                )
        self.assertFalse(EventSource.objects.exists())
        self.assertEqual(EventRule.objects.get().threshold, 1)
