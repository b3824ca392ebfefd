"""`manage.py reports_rebuild_statistics`: recompute the statistics cells from the reports (R3.5).

The database triggers keep the cells as reports change (rollup.py), and every `migrate` puts missing triggers
back; run this after restoring a backup of the reports table alone or repairing rows with the triggers off."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ioc.citizen_reports.rollup import cells_rebuild


class Command(BaseCommand):
    help = "Tính lại các ô thống kê phản ánh từ dữ liệu phản ánh / Recompute the statistics cells from the reports"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = cells_rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Đã tính lại {count} ô thống kê trong {seconds:.1f} s / Rebuilt {count} cells in {seconds:.1f} s"
        )
