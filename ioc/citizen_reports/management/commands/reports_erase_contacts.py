"""`manage.py reports_erase_contacts`: erase reporters' contacts past the retention period now (R7.5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ioc.citizen_reports.services import contact_erase_due
from ioc.citizen_reports.services.contacts import retention_days


class Command(BaseCommand):
    help = "Xóa thông tin liên hệ của người phản ánh quá thời hạn lưu / Erase reporters' contacts past retention"

    def handle(self, *args: Any, **options: Any) -> None:
        erased = contact_erase_due()
        self.stdout.write(
            f"Đã xóa {erased} thông tin liên hệ (lưu {retention_days()} ngày sau khi đóng) / "
            f"Erased {erased} contacts (kept {retention_days()} days after closure)"
        )
