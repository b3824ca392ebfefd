"""`./manage.py mqtt_credential_issue --system <code> --by <administrator>`: a new MQTT password for an
information system (R5.5), printed once (only its hash is stored). Run `mqtt_sync_acl` afterwards."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.accounts import selectors as account_selectors
from ioc.agencies import selectors as agency_selectors
from ioc.sensors.services import broker_credential_issue


class Command(BaseCommand):
    help = "Cấp mật khẩu MQTT cho hệ thống thông tin / Issue an information system's MQTT password (R5.5)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--system", required=True, help="mã hệ thống / the system's code")
        parser.add_argument("--by", required=True, help="quản trị hệ thống cấp / the issuing administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        system = agency_selectors.information_system_list().filter(code=options["system"]).first()
        if system is None:
            raise CommandError(f"system: không có hệ thống / no information system '{options['system']}'")
        actor = account_selectors.user_list().filter(username=options["by"]).first()
        if actor is None:
            raise CommandError(f"by: không có tài khoản / no account '{options['by']}'")
        try:
            _credential, password = broker_credential_issue(actor=actor, system=system)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"MQTT username: {system.code}")
        self.stdout.write(f"MQTT password (chỉ hiện một lần / shown once): {password}")
