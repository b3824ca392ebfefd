"""Who sees and who writes at /sta/v1.1/: visibility by sensitivity (the Thing's, else its agency's default, else
public), Bearer and Basic tokens, `sta.write` for a Thing of the token's agency."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts import services as account_services
from ioc.accounts.choices import RequestKind
from ioc.accounts.testing import DOCUMENT
from ioc.agencies.models import Agency, InformationSystem
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, Observation, Thing
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import entity_create
from ioc.sensors.tests.sta_support import StaClient, thing_payload


def _make(agency: Agency, actor, name: str, sensitivity: str | None = None) -> Thing:
    draft = parse_draft("Things", thing_payload(name, sensitivity=sensitivity))
    thing: Thing = entity_create(actor=actor, agency_id=agency.pk, viewer=viewer_for(actor), draft=draft)
    return thing


class VisibilityTest(StaClient, TestCase):
    police: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.police = Agency.objects.create(
            code="cong-an-test", name="Công an Thử", kind="police", default_sensitivity="internal"
        )
        _make(cls.agency_a, cls.system_user, "Công khai")
        _make(cls.agency_a, cls.system_user, "Nội bộ", "internal")
        _make(cls.agency_a, cls.system_user, "Hạn chế A", "restricted")
        _make(cls.agency_b, cls.system_user, "Hạn chế B", "restricted")
        _make(cls.police, cls.system_user, "Camera công an")
        _make(cls.police, cls.system_user, "Công an công khai", "public")

    def names(self, **headers) -> set[str]:
        return {row["name"] for row in self.get_json("Things", **headers)["value"]}

    def test_anonymous_callers_see_public_things_only(self):
        self.assertEqual(self.names(), {"Công khai", "Công an công khai"})

    def test_what_is_under_a_hidden_thing_is_hidden_too(self):
        hidden = Thing.objects.get(name="Nội bộ")
        stream = Datastream.objects.get(thing=hidden)
        self.get_json(f"Things({hidden.pk})", status=404)
        self.get_json(f"Datastreams({stream.pk})", status=404)
        visible_streams = {row["name"] for row in self.get_json("Datastreams")["value"]}
        self.assertEqual(visible_streams, {"PM2.5 Công khai", "PM2.5 Công an công khai"})
        self.assertEqual(self.get_json(f"Things({hidden.pk})/Datastreams", status=404)["code"], 404)

    def test_navigation_and_expansion_from_what_is_seen_reach_nothing_hidden(self):
        # Children seen with their parent are read without a check of their own (selectors.visible_under).
        hidden_stream = Datastream.objects.get(thing__name="Hạn chế A")
        expanded = self.get_json("Things?$select=name&$expand=Datastreams($select=name;$expand=Thing($select=name))")
        pairs = {(row["name"], s["name"], s["Thing"]["name"]) for row in expanded["value"] for s in row["Datastreams"]}
        self.assertEqual(
            pairs,
            {
                ("Công khai", "PM2.5 Công khai", "Công khai"),
                ("Công an công khai", "PM2.5 Công an công khai", "Công an công khai"),
            },
        )
        self.get_json(f"Datastreams({hidden_stream.pk})/Thing", status=404)
        self.get_json(f"Datastreams({hidden_stream.pk})/Observations", status=404)
        own = self.get_json(f"Datastreams({hidden_stream.pk})/Thing", **self.auth())
        self.assertEqual(own["name"], "Hạn chế A")

    def test_a_token_of_agency_a_sees_internal_things_and_its_own_restricted_ones(self):
        expected = {"Công khai", "Nội bộ", "Hạn chế A", "Camera công an", "Công an công khai"}
        self.assertEqual(self.names(**self.auth()), expected)
        self.assertEqual(self.names(**self.auth(basic=True)), expected)

    def test_a_signed_in_officer_of_agency_b_sees_b_restricted_not_a(self):
        self.sign_in(self.client, self.officer_b)
        self.assertEqual(self.names(), {"Công khai", "Nội bộ", "Hạn chế B", "Camera công an", "Công an công khai"})


class TokenTest(StaClient, TestCase):
    thing_b: Thing
    read_only_token: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.thing_b = _make(cls.agency_b, cls.system_user, "Trạm của B")
        system_b = InformationSystem.objects.create(agency=cls.agency_b, code="he-thong-b", name="Hệ thống B")
        request = account_services.account_request_record(
            kind=RequestKind.CREATE, **DOCUMENT, approver=cls.admin, requested_by=cls.admin
        )
        user_b = account_services.service_account_create(account_request=request, actor=cls.admin, system=system_b)
        cls.read_only_token = cls._issue(user_b, ["open311.submit"])

    @classmethod
    def _issue(cls, user, scopes: list[str]) -> str:
        request = account_services.account_request_record(
            kind=RequestKind.ISSUE_TOKEN, **DOCUMENT, approver=cls.admin, requested_by=cls.admin, subject=user
        )
        _token, value = account_services.token_issue(
            account_request=request,
            actor=cls.admin,
            user=user,
            scopes=scopes,
            expires_at=timezone.now() + dt.timedelta(days=30),
        )
        return value

    def test_bearer_and_basic_both_write(self):
        self.send("POST", "Things", thing_payload("Bearer"), 201)
        self.send("POST", "Things", thing_payload("Basic"), 201, auth=False, **self.auth(basic=True))
        self.assertEqual(Thing.objects.filter(agency=self.agency_a).count(), 2)

    def test_writing_without_a_token_is_401(self):
        message = self.error_message("POST", "Things", thing_payload("X"), 401, auth=False)
        self.assertIn("token", message)
        self.assertFalse(Thing.objects.filter(name="X").exists())

    def test_a_bad_or_malformed_credential_is_401_even_for_a_read(self):
        self.get_json("Things", status=401, HTTP_AUTHORIZATION="Bearer ioc_nope.nope")
        self.get_json("Things", status=401, HTTP_AUTHORIZATION="Basic !!!")
        self.get_json("Things", status=401, HTTP_AUTHORIZATION="Basic dXNlcjo=")  # "user:" without a password

    def test_a_token_without_sta_write_is_403(self):
        message = self.error_message(
            "POST", "Things", thing_payload("X"), 403, auth=False, **self.auth(self.read_only_token)
        )
        self.assertIn("sta.write", message)
        self.assertFalse(Thing.objects.filter(name="X").exists())

    def test_a_token_cannot_change_another_agencys_thing(self):
        self.error_message("PATCH", f"Things({self.thing_b.pk})", {"name": "Đổi"}, 403)
        stream = Datastream.objects.get(thing=self.thing_b)
        body = {"Datastream": {"@iot.id": stream.pk}, "result": 1, "phenomenonTime": "2025-07-01T00:00:00Z"}
        self.error_message("POST", "Observations", body, 403)
        self.error_message("DELETE", f"Things({self.thing_b.pk})", None, 403)
        self.thing_b.refresh_from_db()
        self.assertEqual(self.thing_b.name, "Trạm của B")
        self.assertFalse(Observation.objects.exists())

    def test_a_session_cannot_write(self):
        self.sign_in(self.client, self.officer_a)
        self.error_message("POST", "Things", thing_payload("X"), 403, auth=False)

    def test_a_shared_sensor_used_by_another_agency_cannot_be_deleted_by_its_owner(self):
        sensor = Datastream.objects.get(thing=self.thing_b).sensor  # created by agency B's write
        sensor.agency = self.agency_a
        sensor.save()
        self.assertIn("another agency", self.error_message("DELETE", f"Sensors({sensor.pk})", None, 403))
        self.assertTrue(Datastream.objects.filter(thing=self.thing_b).exists())

    def test_token_writes_need_no_csrf_token(self):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            "/sta/v1.1/Things", data=thing_payload("CSRF"), content_type="application/json", **self.auth()
        )
        self.assertEqual(response.status_code, 201, response.content)
        response = strict.post("/sta/v1.1/CreateObservations", data=[], content_type="application/json", **self.auth())
        self.assertEqual(response.status_code, 400, response.content)
