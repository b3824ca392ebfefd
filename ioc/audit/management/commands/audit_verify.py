"""`./manage.py audit_verify`: check the audit chain end to end; exit 0 when intact, 1 naming the first broken link.

Pending entries are sealed first (`--no-seal` skips that, for a read-only check).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ioc.audit.selectors import audit_verify
from ioc.audit.services import audit_seal_backlog


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của chuỗi nhật ký / Verify the audit chain (R7.3)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal", action="store_true", help="không niêm phong trước / do not seal pending entries first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            sealed = audit_seal_backlog()
            if sealed:
                self.stdout.write(_("Đã niêm phong %(n)s bản ghi mới / Sealed %(n)s new entries") % {"n": sealed})
        result = audit_verify()
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))
        if result.anchor_lag:
            note = _(
                "Lưu ý: tệp neo chậm %(n)s bản ghi so với chuỗi (lần niêm phong sau sẽ ghi bù) / "
                "Note: the anchor file lags the chain by %(n)s entries (the next sealing catches up)"
            )
            self.stdout.write(self.style.WARNING(note % {"n": result.anchor_lag}))
