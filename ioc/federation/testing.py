"""Federation's fixtures for other apps' tests and the crawl's world (issue 19), made through the services: a parent
link with its keys, a child link taking directives, a message refused by the parent (a dead letter), and a
received value in conflict with this center's own (needs the sample indicator catalogue)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING

from ioc.accounts.choices import RequestKind
from ioc.accounts.selectors import system_account
from ioc.accounts.services import account_request_record
from ioc.federation import services, signing
from ioc.federation.choices import UP_FLOWS, Flow, LinkRole, MappingKind
from ioc.federation.models import CodeMapping, Conflict, DeadLetter, Link, SubordinateReport
from ioc.federation.services.sender import Answer
from ioc.indicators.services import values_import

if TYPE_CHECKING:
    from ioc.accounts.models import User

CRAWL_PARENT = "crawl-tinh"
CRAWL_CHILD = "crawl-xa"


def linked(*, admin: User, code: str, role: str, flows: list[str], key_id: str, indicator_codes: list[str]) -> Link:
    link = services.link_create(
        actor=admin,
        code=code,
        name=f"Trung tâm {code}",
        role=role,
        base_url="http://127.0.0.1:9",
        flows=flows,
        indicator_codes=indicator_codes,
    )
    request = account_request_record(
        kind=RequestKind.ISSUE_TOKEN,
        document_no="18/QĐ-LT",
        document_date=dt.date(2026, 1, 5),
        issuing_body="UBND tỉnh Thử nghiệm",
        approver=admin,
        requested_by=admin,
    )
    link, _secret = services.link_keys_set(actor=admin, link=link, account_request=request, key_id=key_id)
    return link


def _refused(url: str, headers: dict[str, str], body: bytes) -> Answer:
    return Answer(422, b'{"error": {"code": "invalid", "fields": {"messages[0].payload.day": ["YYYY-MM-DD"]}}}')


def _active(admin: User, link: Link, active: bool) -> None:
    services.link_update(
        actor=admin,
        link=link,
        name=link.name,
        base_url=link.base_url,
        flows=link.flows,
        indicator_codes=link.indicator_codes,
        is_active=active,
    )


def crawl_fixtures(*, admin: User, indicator_code: str, unit_code: str, period: str) -> tuple[DeadLetter, Conflict]:
    """A dead letter on the parent link and a conflict on a value of `indicator_code` this center already has."""
    parent = linked(
        admin=admin,
        code=CRAWL_PARENT,
        role=LinkRole.PARENT,
        flows=sorted(UP_FLOWS),
        key_id="crawl-parent",
        indicator_codes=[indicator_code],
    )
    linked(
        admin=admin,
        code=CRAWL_CHILD,
        role=LinkRole.CHILD,
        flows=[Flow.DIRECTIVE, Flow.REPORT_SUBMITTED],
        key_id="crawl-child",
        indicator_codes=[],
    )
    # Switched off while its message is refused, so that no wake-up of the sender (Huey runs immediately in the
    # crawl) tries the real address first.
    _active(admin, parent, False)
    services.messages_enqueue(link=parent, flow=Flow.CITIZEN_REPORTS_DAILY, items=[("crawl", {"day": "?"})])
    services.deliver_batch(link=parent, transport=_refused)
    _active(admin, parent, True)
    # The value this center holds from its own source, which the received one must not overwrite.
    values_import(
        actor=system_account(), rows=[{"indicator": indicator_code, "unit": unit_code, "period": period, "value": 100}]
    )
    item = {
        "message_id": str(uuid.uuid4()),
        "flow": Flow.INDICATOR_VALUE,
        "object_key": f"value:{indicator_code}:{unit_code}:{period}",
        "version": 1,
        "payload": {"indicator": indicator_code, "unit": unit_code, "period": period, "value": 123456},
    }
    body = services.parse(parent, signing.json_bytes({"messages": [item]}))
    services.batch_receive(link=parent, delivery_id=str(uuid.uuid4()), messages=body)
    return DeadLetter.objects.get(message__link=parent), Conflict.objects.get(link=parent)


EMPTY_DOCX = b"PK\x05\x06" + bytes(18)  # an empty zip archive: enough for the archive's checks and its download


def crawl_subordinate_report() -> SubordinateReport:
    """A report the crawl child center submitted, received through the inbox like a real one (made once; needs
    `crawl_fixtures` first)."""
    found = SubordinateReport.objects.filter(link__code=CRAWL_CHILD).first()
    if found is not None:
        return found
    child = Link.objects.get(code=CRAWL_CHILD)
    payload = {
        "report_key": "operations-monthly:202511",
        "template_name": "Báo cáo hoạt động hằng tháng",
        "period": "202511",
        "title": "Báo cáo kết quả hoạt động tháng 11 năm 2025",
        "number": "12/BC-TTGSĐH",
        "issued_on": "2025-11-20",
        "version": 1,
        "sha256": hashlib.sha256(EMPTY_DOCX).hexdigest(),
        "docx": base64.b64encode(EMPTY_DOCX).decode(),
    }
    item = {
        "message_id": str(uuid.uuid4()),
        "flow": Flow.REPORT_SUBMITTED,
        "object_key": "report:operations-monthly:202511",
        "version": 1,
        "payload": payload,
    }
    body = services.parse(child, signing.json_bytes({"messages": [item]}))
    services.batch_receive(link=child, delivery_id=str(uuid.uuid4()), messages=body)
    return SubordinateReport.objects.get(link=child)


def crawl_mapping(*, admin: User) -> CodeMapping:
    """A unit code mapping on the crawl parent link (made once; needs `crawl_fixtures` first)."""
    parent = Link.objects.get(code=CRAWL_PARENT)
    found = CodeMapping.objects.filter(link=parent).first()
    return found or services.mapping_set(
        actor=admin, link=parent, kind=MappingKind.UNIT, remote_code="legacy:99999", local_code="territory"
    )
