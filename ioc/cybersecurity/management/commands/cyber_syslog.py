"""`./manage.py cyber_syslog [--host 0.0.0.0] [--port 5514]`: receive security events by syslog (R5.6): UDP and TCP
(RFC 6587), RFC 5424 and 3164 messages and CEF, written in batches. Stops cleanly on SIGTERM or SIGINT (the queued
lines are written first)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.cybersecurity.ingest import Parsed, SourceMap, syslog_parse, syslog_store
from ioc.cybersecurity.syslog import Line, Listener


class Command(BaseCommand):
    help = "Nhận sự kiện an toàn thông tin qua syslog / Receive security events by syslog (R5.6)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="0.0.0.0",  # noqa: S104 (the senders are on the network)
            help="địa chỉ lắng nghe / listen address",
        )
        parser.add_argument("--port", type=int, default=None, help="cổng (mặc định CYBER_SYSLOG_PORT) / port")

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] if options["port"] is not None else settings.CYBER_SYSLOG_PORT
        if port != 0 and not 1024 <= port <= 65535:  # 0: an ephemeral port, printed below (tests, benchmarks)
            raise CommandError(
                _("Cổng phải từ 1024 đến 65535, hoặc 0 / The port must be 1024–65535 (unprivileged), or 0")
            )
        actor, sources = system_account(), SourceMap()
        sources.refresh(force=True)

        def parse(lines: list[Line]) -> list[Parsed]:  # in the network threads: no database
            return syslog_parse(lines, sources=sources)

        def flush(items: list[Parsed]) -> None:  # in the writer thread
            sources.refresh()
            syslog_store(items=items, actor=actor)

        listener = Listener(host=options["host"], port=port, parse=parse, flush=flush).start()
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_args: stop.set())
        self.stdout.write(_("Đang nhận syslog trên cổng %(p)s (UDP, TCP) / Listening on %(p)s") % {"p": listener.port})
        self.stdout.flush()
        stop.wait()
        listener.stop()
        self.stdout.write(_("Đã dừng / Stopped"))
