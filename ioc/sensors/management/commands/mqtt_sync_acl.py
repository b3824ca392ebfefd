"""`./manage.py mqtt_sync_acl`: write Mosquitto's password file and ACL from the database (R5.5).

The bridge (`MQTT_USERNAME`/`MQTT_PASSWORD`) may read and write every `v1.1/+/Observations` topic; each
information system with an MQTT credential (`./manage.py mqtt_credential_issue`) only the topics of its agency's
Datastreams. Run it after issuing a credential or creating Datastreams, then reload the broker
(`systemctl reload mosquitto`, or SIGHUP). Files are replaced atomically, readable by owner and group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ioc.sensors import broker
from ioc.sensors.selectors import broker_logins


class Command(BaseCommand):
    help = "Ghi tệp mật khẩu và ACL của Mosquitto / Write Mosquitto's password file and ACL (R5.5)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password-file", default="/etc/mosquitto/ioc.passwd", type=Path)
        parser.add_argument("--acl-file", default="/etc/mosquitto/ioc.acl", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MQTT_USERNAME and not settings.MQTT_PASSWORD:
            raise CommandError("MQTT_PASSWORD: cần mật khẩu cho MQTT_USERNAME / the bridge's login needs a password")
        logins = broker_logins(bridge_username=settings.MQTT_USERNAME, bridge_password=settings.MQTT_PASSWORD)
        broker.write_atomically(options["password_file"], broker.password_file(logins))
        broker.write_atomically(options["acl_file"], broker.acl_file(logins))
        topics = sum(len(login.topics) for login in logins)
        self.stdout.write(f"mqtt_sync_acl: {len(logins)} logins, {topics} topics → {options['acl_file']}")
