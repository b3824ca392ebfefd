"""`./manage.py audit_sealer --interval 5`: seal the audit chain every few seconds (R7.3).

Stops cleanly on SIGTERM or SIGINT (the round in progress finishes; its transaction is never cut).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ioc.audit.sealer import sealer_loop
from ioc.audit.services import SEAL_BATCH


class Command(BaseCommand):
    help = "Niêm phong chuỗi nhật ký định kỳ / Seal the audit chain every few seconds (R7.3)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="giây giữa hai lần / seconds between rounds")
        parser.add_argument("--batch", type=int, default=SEAL_BATCH, help="bản ghi mỗi giao dịch / entries per commit")
        parser.add_argument("--max-rounds", type=int, default=None, help="dừng sau N lần / stop after N rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        interval, batch, max_rounds = options["interval"], options["batch"], options["max_rounds"]
        self.verbosity = int(options["verbosity"])
        if not 0 < interval <= 3600:
            raise CommandError(_("--interval phải trong khoảng (0, 3600] giây / --interval must be in (0, 3600] s"))
        if batch < 1 or (max_rounds is not None and max_rounds < 1):
            raise CommandError(_("--batch và --max-rounds phải ≥ 1 / --batch and --max-rounds must be ≥ 1"))
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_args: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        self._say(
            _("Bắt đầu niêm phong nhật ký mỗi %(s)s giây / Audit sealer started, every %(s)s s") % {"s": interval}
        )
        try:
            rounds = sealer_loop(
                stop=stop, interval=interval, batch=batch, max_rounds=max_rounds, on_sealed=self._sealed
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._say(_("Đã dừng niêm phong sau %(n)s lượt / Audit sealer stopped after %(n)s rounds") % {"n": rounds})

    def _sealed(self, count: int) -> None:
        if self.verbosity >= 1:
            self._say(_("Đã niêm phong %(n)s bản ghi / Sealed %(n)s entries") % {"n": count})

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
