"""Fixtures of federation's tests: the personas, a territory with the sample indicator, a link whose two ends
live in this one database (the sender's link to its parent is also what the receiver finds by key id), signed
requests, and a transport that posts through Django's test client to the real receiving view."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from typing import Any

from django.conf import settings
from django.test import Client, TestCase

from ioc.accounts.choices import RequestKind
from ioc.accounts.services import account_request_record
from ioc.accounts.testing import DOCUMENT, Personas, system_actor
from ioc.federation import services, signing
from ioc.federation.choices import UP_FLOWS, LinkRole
from ioc.federation.models import Link
from ioc.federation.services._base import MESSAGES_PATH
from ioc.federation.services.sender import Answer
from ioc.geo.models import AdminUnit
from ioc.geo.services import territory_set
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.indicators.testing import SAMPLE_CODE, sample_catalogue

SECRET = "s" * 40
KEY_ID = "loc-ninh-1"


def keys_request(admin: Any) -> Any:
    return account_request_record(
        kind=RequestKind.ISSUE_TOKEN, **DOCUMENT, approver=admin, requested_by=admin, payload={"federation": True}
    )


def link_make(admin: Any, *, code: str = "tinh", role: str = LinkRole.PARENT, key_id: str = KEY_ID, **kw: Any) -> Link:
    flows = kw.pop("flows", sorted(UP_FLOWS))
    link = services.link_create(
        actor=admin,
        code=code,
        name=f"Trung tâm {code}",
        role=role,
        base_url=kw.pop("base_url", "http://127.0.0.1:9"),
        flows=flows,
        indicator_codes=kw.pop("indicator_codes", [SAMPLE_CODE]),
    )
    link, _secret = services.link_keys_set(
        actor=admin, link=link, account_request=keys_request(admin), key_id=key_id, secret=SECRET
    )
    return link


def message(
    flow: str, key: str, version: int, payload: dict[str, Any], message_id: str | None = None
) -> dict[str, Any]:
    return {
        "message_id": message_id or str(uuid.uuid4()),
        "flow": flow,
        "object_key": key,
        "version": version,
        "payload": payload,
    }


def body_of(*messages: dict[str, Any]) -> bytes:
    return json.dumps({"messages": list(messages)}).encode()


def signed_meta(
    body: bytes, *, key_id: str = KEY_ID, secret: str = SECRET, now: float | None = None, delivery_id: str = ""
) -> dict[str, str]:
    headers = signing.signed_headers(
        key_id=key_id,
        secret=secret,
        method="POST",
        path=MESSAGES_PATH,
        body=body,
        delivery_id=delivery_id or str(uuid.uuid4()),
        now=time.time() if now is None else now,
    )
    return {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}


def client_transport(client: Client) -> Any:
    """The real receiving view, reached through the test client instead of a socket."""

    def transport(url: str, headers: dict[str, str], body: bytes) -> Answer:
        meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
        response = client.post(MESSAGES_PATH, data=body, content_type="application/json", **meta)  # type: ignore[arg-type]
        return Answer(response.status_code, response.content)

    return transport


class FederationTestCase(Personas, TestCase):
    communes: list[AdminUnit]
    link: Link

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actor = system_actor()
        territory_set(
            actor=actor,
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )
        cls.communes = list(AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES[:3]).order_by("code"))
        sample_catalogue(actor=actor, agency=cls.agency_a, communes=cls.communes)
        cls.link = link_make(cls.admin)

    def post(self, body: bytes, **meta: str) -> Any:
        return self.client.post(MESSAGES_PATH, data=body, content_type="application/json", **meta)  # type: ignore[arg-type]
