"""Set up and observe a deployment for the two-center runs (the benchmark, the crash test, the demo's parent):
`manage.py federation_loopback setup|enqueue|counts …`. Acts as the system account; the link's keys are set on a
recorded written request approved by the deployment's administrator (R7.2), created here when none exists."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ioc.accounts.choices import SYSTEM_USERNAME, RequestKind, Role
from ioc.accounts.models import RoleAssignment, User
from ioc.accounts.selectors import system_account_or_none
from ioc.accounts.services import account_request_record, admin_bootstrap, system_account_ensure
from ioc.federation import services
from ioc.federation.choices import InState, OutState
from ioc.federation.models import DeadLetter, InboxMessage, Link, OutboxMessage

DOCUMENT = {"document_no": "18/QĐ-LT", "document_date": dt.date(2026, 1, 5), "issuing_body": "UBND (liên thông)"}


def administrator() -> User:
    """The deployment's administrator (bootstrapped with the system account on an empty database)."""
    holders = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, revoked_at__isnull=True).values("user_id")
    admin = User.objects.filter(pk__in=holders, is_active=True).exclude(username=SYSTEM_USERNAME).first()
    if admin is None:
        admin = admin_bootstrap(
            **DOCUMENT,  # type: ignore[arg-type]
            username="lien-thong-admin",
            email="lien-thong-admin@canary.invalid",
            password=os.environ.get("IOC_ADMIN_PASSWORD") or "Lien-Thong-2026!x",
            full_name="Quản trị liên thông",
        )
    if system_account_or_none() is None:
        system_account_ensure(**DOCUMENT, approver=admin)  # type: ignore[arg-type]
    return admin


class Command(BaseCommand):
    help = "Cấu hình và đếm thư của một trung tâm liên thông / Set up and count a federation deployment"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["setup", "enqueue", "produce", "counts"])
        parser.add_argument("--code", required=True, help="Mã liên kết / Link code")
        parser.add_argument("--role", default="parent")
        parser.add_argument("--name", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--key-id", default="")
        parser.add_argument("--secret", default="")
        parser.add_argument("--flows", default="citizen_reports.daily", help="Các luồng, cách nhau dấu phẩy")
        parser.add_argument("--indicators", default="", help="Mã chỉ số, cách nhau dấu phẩy")
        parser.add_argument("--count", type=int, default=0)
        parser.add_argument("--start", type=int, default=0)
        parser.add_argument("--stop-file", default="", help="produce: stop once this file exists")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "setup":
            self._setup(options)
        elif action == "enqueue":
            self._enqueue(options)
        elif action == "produce":
            self._produce(options)
        else:
            self.stdout.write(json.dumps(counts(code=options["code"])))

    def _setup(self, options: dict[str, Any]) -> None:
        admin = administrator()
        flows = [f for f in options["flows"].split(",") if f]
        link = Link.objects.filter(code=options["code"]).first()
        if link is None:
            link = services.link_create(
                actor=admin,
                code=options["code"],
                name=options["name"] or options["code"],
                role=options["role"],
                base_url=options["url"],
                flows=flows,
                indicator_codes=[c for c in options["indicators"].split(",") if c],
            )
        if options["key_id"] and link.key_id != options["key_id"]:
            request = account_request_record(
                kind=RequestKind.ISSUE_TOKEN,
                approver=admin,
                requested_by=admin,
                **DOCUMENT,  # type: ignore[arg-type]
            )
            services.link_keys_set(
                actor=admin, link=link, account_request=request, key_id=options["key_id"], secret=options["secret"]
            )
        self.stdout.write(f"link {link.code} ready")

    def _enqueue(self, options: dict[str, Any]) -> None:
        link = Link.objects.filter(code=options["code"]).first()
        if link is None:
            raise CommandError(f"no link {options['code']!r}")
        start, count = options["start"], options["count"]
        for chunk in range(start, start + count, 1000):
            with transaction.atomic():
                items = [
                    (f"bench:{n}", {"day": "2026-01-01", "communes": [], "received": n, "seq": n})
                    for n in range(chunk, min(chunk + 1000, start + count))
                ]
                services.messages_enqueue(link=link, flow="citizen_reports.daily", items=items)
        self.stdout.write(f"enqueued {count}")

    def _produce(self, options: dict[str, Any]) -> None:
        """A steady flow: `--count` new messages a second, each tick committed, until the stop file appears; the
        last line printed is the number committed."""
        link = Link.objects.get(code=options["code"])
        stop, sent = Path(options["stop_file"]), 0
        while not stop.exists():
            _tick(link, sent, options["count"])
            sent += options["count"]
            self.stdout.write(f"sent {sent}")
            self.stdout.flush()
            time.sleep(1)


def _tick(link: Link, start: int, count: int) -> None:
    items = [
        (f"bench:{n}", {"day": "2026-01-01", "communes": [], "received": n, "seq": n})
        for n in range(start, start + count)
    ]
    with transaction.atomic():
        services.messages_enqueue(link=link, flow="citizen_reports.daily", items=items)


def counts(*, code: str) -> dict[str, Any]:
    """Outbox states, retried rows, dead letters; inbox applied, duplicates (should be 0: unique message ids)."""
    out = OutboxMessage.objects.filter(link__code=code)
    inbox = InboxMessage.objects.filter(link__code=code)
    applied = inbox.filter(state=InState.APPLIED)
    return {
        "outbox": out.count(),
        "delivered": out.filter(state=OutState.DELIVERED).count(),
        "undelivered": out.exclude(state__in=[OutState.DELIVERED, OutState.DEAD]).count(),
        "retried": out.filter(attempts__gt=1).count(),
        "dead": DeadLetter.objects.filter(message__link__code=code).count(),
        "received": inbox.count(),
        "applied": applied.count(),
        "applied_ids": applied.values("message_id").distinct().count(),
        "answered_duplicate": out.filter(result="duplicate").count(),
    }
