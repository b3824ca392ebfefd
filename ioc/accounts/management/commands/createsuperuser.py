"""`createsuperuser` is disabled (R7.2): the first administrator comes from `bootstrap_admin` on a document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

MESSAGE = (
    "createsuperuser đã bị vô hiệu hóa; dùng / is disabled; use: "
    "manage.py bootstrap_admin --document-no … --document-date YYYY-MM-DD --username … --email … (R7.2)"
)


class Command(BaseCommand):
    help = "Đã vô hiệu hóa / Disabled: use bootstrap_admin"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(MESSAGE)
