"""The demo's provincial center (issue 18 item 6): `manage.py federation_parent --port 8001`, the same as
`python -m ioc.federation.loopback parent --port 8001` (README "Two centers: federation")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ioc.federation.loopback import ROOT, run_parent


class Command(BaseCommand):
    help = "Chạy trung tâm cấp tỉnh mẫu trên cổng khác / Run the demo's provincial center on another port"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--dir", default=str(ROOT / "var" / "federation-parent"))
        parser.add_argument("--child-url", default="http://127.0.0.1:8000")
        parser.add_argument("--profile", default="loc-ninh")

    def handle(self, *args: Any, **options: Any) -> None:
        run_parent(
            port=options["port"],
            directory=Path(options["dir"]),
            child_url=options["child_url"],
            profile=options["profile"],
        )
