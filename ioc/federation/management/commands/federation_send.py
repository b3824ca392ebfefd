"""R9.3: the federation sender as a process of its own (the Huey consumer runs the same sweep every minute):
`manage.py federation_send [--loop] [--pause 0.2]`. Safe to SIGKILL at any line: claimed rows keep a lease that
expires, and the next run takes them again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ioc.federation import services


class Command(BaseCommand):
    help = "Gửi thư liên thông đến hạn / Deliver the due federation messages"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Chạy mãi / Keep running")
        parser.add_argument("--pause", type=float, default=0.5, help="Nghỉ khi hết thư (giây) / Idle pause (s)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent = services.deliver_due()
            if not options["loop"]:
                self.stdout.write(f"claimed {sent}")
                return
            if sent == 0:
                time.sleep(options["pause"])
