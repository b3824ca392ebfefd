"""`./manage.py geo_load [--provinces 33,01] [--communes 11953,13225] [--no-boundaries]` (R6.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.common.actors import system_actor
from ioc.geo.services import units_load


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:
        raise CommandError("Danh sách mã rỗng / Empty list of codes")
    return codes


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính 2025, đơn vị cũ và bảng kế thừa từ ioc/geo/data (chạy lại an toàn) / "
        "Load the 2025 and legacy administrative units and succession (idempotent)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", help="Chỉ các tỉnh 2025 này, ví dụ 33,01 / Only these 2025 provinces")
        parser.add_argument("--communes", help="Chỉ các xã 2025 này / Only these 2025 communes")
        parser.add_argument(
            "--no-boundaries", action="store_true", help="Không nạp ranh giới / Leave boundaries untouched"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = units_load(
                actor=system_actor(),
                provinces=_codes(options["provinces"]),
                communes=_codes(options["communes"]),
                boundaries=not options["no_boundaries"],
            )
        except (ValueError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{key}={value}" for key, value in sorted(result.items()))
        self.stdout.write(self.style.SUCCESS(f"geo_load: {summary}"))
