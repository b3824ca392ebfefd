"""R4.1–R4.5 pages: the operator's alert inbox (severe alerts highlighted and sounding until acknowledged),
verify / merge / dismiss, the call form, the incident list and page with the actions of the user's role; agency
B never sees agency A's incident; bad input is a 400 naming the field, with nothing written."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from ioc.assignments.models import Assignment
from ioc.incidents.models import Alert, Incident, IncidentEvent
from ioc.incidents.tests.support import COMMUNE, IncidentsMixin

INDEX = reverse("incidents:index")
NEW = reverse("incidents:alert_new")
LIST = reverse("incidents:incident_list")


def action(alert: Alert, name: str) -> str:
    return reverse("incidents:alert_action", kwargs={"pk": alert.pk, "action": name})


def step(incident: Incident, name: str) -> str:
    return reverse("incidents:incident_action", kwargs={"pk": incident.pk, "action": name})


def detail(incident: Incident) -> str:
    return reverse("incidents:incident_detail", kwargs={"pk": incident.pk})


class InboxPageTest(IncidentsMixin, TestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def test_severe_alerts_come_first_highlighted_with_the_sound_until_acknowledged(self) -> None:
        calm = self.raise_alert(dedup_key="calm", severity=2, kind="env.air_quality")
        loud = self.raise_alert(dedup_key="loud", severity=5, kind="fire")
        page = self.client.get(INDEX)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        self.assertLess(text.index(f'id="alert-{loud.pk}"'), text.index(f'id="alert-{calm.pk}"'))
        self.assertIn('data-ioc-alarm="1"', text)
        self.assertIn("incidents/alert-sound.js", text)
        self.assertIn(f'data-alert="{loud.pk}" data-severity="5" data-loud', text)
        self.assertRedirects(self.client.post(action(loud, "acknowledge")), INDEX, fetch_redirect_response=False)
        after = self.client.get(INDEX).content.decode()
        self.assertIn('data-ioc-alarm="0"', after)
        self.assertNotIn("data-loud", after)

    def test_verify_opens_the_incident_page(self) -> None:
        alert = self.raise_alert()
        response = self.client.post(action(alert, "verify"), {"severity": "4", "title": "Ngập sâu"})
        incident = Incident.objects.get()
        self.assertRedirects(response, detail(incident), fetch_redirect_response=False)
        self.assertEqual((incident.severity, incident.title), (4, "Ngập sâu"))
        page = self.client.get(detail(incident))
        self.assertContains(page, 'id="action-forward"')
        self.assertContains(page, 'data-event="opened"')

    def test_dismiss_without_a_reason_is_a_400_naming_it(self) -> None:
        alert = self.raise_alert()
        response = self.client.post(action(alert, "dismiss"), {"reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-error-for="reason"', status_code=400)
        alert.refresh_from_db()
        self.assertEqual(alert.state, "new")
        bad = self.client.post(action(alert, "verify"), {"severity": "9"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, 'data-error-for="severity"', status_code=400)
        self.assertFalse(Incident.objects.exists())

    def test_the_call_form_raises_an_alert_from_people(self) -> None:
        self.assertEqual(self.client.get(NEW).status_code, 200)
        data = {"kind": "fire", "severity": "5", "title": "Cháy nhà dân", "description": "Khói lớn", "unit": COMMUNE}
        response = self.client.post(NEW, data)
        self.assertRedirects(response, INDEX, fetch_redirect_response=False)
        alert = Alert.objects.get()
        self.assertEqual((alert.source, alert.kind, alert.raised_by_id), ("people", "fire", self.operator.pk))
        bad = self.client.post(NEW, {**data, "kind": "volcano", "lat": "21"})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("kind", bad.context["form"].errors)
        self.assertIn("lon", bad.context["form"].errors)
        outside = self.client.post(NEW, {**data, "lat": "10", "lon": "10"})
        self.assertEqual(outside.status_code, 400)
        self.assertIn("lat", outside.context["form"].errors)
        self.assertEqual(Alert.objects.count(), 1)

    def test_the_inbox_query_count_is_locked(self) -> None:
        for n in range(5):
            self.raise_alert(dedup_key=f"k{n}", severity=1 + n % 5)
        self.client.get(INDEX)  # the session's idle clock is written here, then not again within a minute
        with self.assertNumQueries(11):  # the user's scope read once per request
            self.client.get(INDEX)
        for n in range(5, 15):
            self.raise_alert(dedup_key=f"k{n}", severity=1 + n % 5)
        with self.assertNumQueries(11):
            self.client.get(INDEX)


class IncidentPageTest(IncidentsMixin, TestCase):
    def test_the_ioc_forwards_and_a_bad_form_is_a_400(self) -> None:
        incident = self.open_incident()
        self.sign_in(self.client, self.operator)
        none = self.client.post(step(incident, "forward"), {"instructions": "x"})
        self.assertEqual(none.status_code, 400)
        self.assertContains(none, 'data-error-for="agencies"', status_code=400)
        ok = self.client.post(step(incident, "forward"), {"agencies": [self.agency_b.pk], "working_hours": "8"})
        self.assertRedirects(ok, detail(incident), fetch_redirect_response=False)
        incident.refresh_from_db()
        self.assertEqual(incident.state, "forwarded")
        page = self.client.get(detail(incident))
        self.assertContains(page, 'data-event="forwarded"')
        self.assertContains(page, self.agency_b.name)

    def test_the_operator_sets_the_time_to_accept_by_hand_within_the_deadline(self) -> None:
        """R4.3: the accept time typed on the forward form; over the deadline it is a 400 naming the field and
        nothing is forwarded."""
        incident = self.open_incident()
        self.sign_in(self.client, self.operator)
        form = {"agencies": [self.agency_b.pk], "working_hours": "8", "accept_within": "9"}
        late = self.client.post(step(incident, "forward"), form)
        self.assertEqual(late.status_code, 400)
        self.assertContains(late, 'data-error-for="accept_within"', status_code=400)
        incident.refresh_from_db()
        self.assertNotEqual(incident.state, "forwarded")
        self.assertFalse(Assignment.objects.exists())
        ok = self.client.post(step(incident, "forward"), {**form, "accept_within": "2.5"})
        self.assertRedirects(ok, detail(incident), fetch_redirect_response=False)
        part = Assignment.objects.get()
        self.assertEqual((part.accept_within_hours, part.working_hours), (2.5, 8))
        self.assertIsNotNone(part.accept_deadline_at)

    def test_agency_b_never_sees_agency_a_incident(self) -> None:
        incident, _parts = self.forwarded([self.agency_a])
        self.sign_in(self.client, self.officer_b)
        self.assertRedirects(self.client.get(INDEX), LIST, fetch_redirect_response=False)
        self.assertEqual(self.client.get(detail(incident)).status_code, 404)
        self.assertEqual(self.client.post(step(incident, "note"), {"text": "x"}).status_code, 404)
        self.assertNotContains(self.client.get(LIST), incident.reference)
        self.assertEqual(self.client.get(NEW).status_code, 403)
        self.sign_in(self.client, self.officer_a)
        page = self.client.get(detail(incident))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'id="action-note"')
        self.assertNotContains(page, 'id="action-forward"')
        self.assertContains(self.client.get(LIST), incident.reference)
        noted = self.client.post(step(incident, "note"), {"text": "Đã có mặt"})
        self.assertEqual(noted.status_code, 302)
        self.assertTrue(IncidentEvent.objects.filter(incident=incident, kind="note", actor=self.officer_a).exists())

    def test_immediate_steps_from_the_page(self) -> None:
        fire = self.open_incident(kind="fire")
        self.sign_in(self.client, self.operator)
        page = self.client.get(detail(fire))
        self.assertContains(page, 'id="action-dispatch"')
        self.client.post(step(fire, "dispatch"), {"agencies": [self.agency_a.pk], "minutes": "10"})
        self.sign_in(self.client, self.officer_a)
        for name in ("en_route", "on_scene", "clear"):
            response = self.client.post(step(fire, name), {"note": ""})
            self.assertEqual(response.status_code, 302, name)
        fire.refresh_from_db()
        self.assertEqual(fire.state, "cleared")
        page = self.client.get(detail(fire))
        self.assertContains(page, "data-dispatch-to-scene")
        self.assertNotContains(page, 'id="action-close"')  # the IOC closes

    def test_the_list_query_count_is_locked(self) -> None:
        self.sign_in(self.client, self.operator)
        for code in ("env.flood_level", "fire", "camera.crowd"):
            self.open_incident(kind=code)
        self.client.get(LIST)  # the session's idle clock is written here, then not again within a minute
        with self.assertNumQueries(8):
            self.client.get(LIST)
