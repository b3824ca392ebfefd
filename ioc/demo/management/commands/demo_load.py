"""`./manage.py demo_load --profile hung-yen [--address URL] [--no-units] [--summary-only]` (R11).

Loads a profile's demo data through the real services (idempotent: a second run changes nothing that is
right) and prints the address, each demo login with its password and TOTP secret, and the two tokens.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ioc.demo import summary
from ioc.demo.profiles import PROFILES, profile_get
from ioc.demo.registry import GENERATORS, generators
from ioc.demo.secrets_store import SecretStore

# DESIGN "Demo data": each domain's generator stays within 60 s per profile on the 2-core machine.
GENERATOR_BUDGET_SECONDS = 60


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của một hồ sơ (chạy lại an toàn) / Load a profile's demo data (idempotent)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", default="hung-yen", choices=sorted(PROFILES), help="Hồ sơ / Profile")
        parser.add_argument("--address", default="http://127.0.0.1:8000/", help="Địa chỉ in ra / Address to print")
        parser.add_argument(
            "--no-units", action="store_true", help="Dùng đơn vị hành chính đã có / Use the units already loaded"
        )
        parser.add_argument(
            "--summary-only", action="store_true", help="Chỉ in thông tin đăng nhập / Only print the logins"
        )
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên / Random seed")
        parser.add_argument(
            "--only",
            action="append",
            choices=[label for label, _module in GENERATORS],
            metavar="APP",
            help="Chỉ chạy bộ sinh dữ liệu của ứng dụng này (lặp lại được; 'demo' là nền tảng) / "
            "Run only this app's generator (repeatable; 'demo' is the foundation)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = profile_get(options["profile"])
        except KeyError as exc:
            raise CommandError(str(exc)) from exc
        store = SecretStore(profile.key)
        if not options["summary_only"]:
            self._load(profile, store, options)
        self.stdout.write(summary.render(profile, store, address=options["address"]))

    def _load(self, profile: Any, store: SecretStore, options: dict[str, Any]) -> None:
        rng = random.Random(f"{profile.key}:{options['seed']}")  # noqa: S311 - reproducible demo data, not secrets
        until = timezone.now()
        only = set(options["only"] or ())
        for generator in generators():
            if only and generator.app_label not in only:
                continue
            extra = {"load_units": not options["no_units"], "store": store} if generator.app_label == "demo" else {}
            started = time.perf_counter()
            try:
                result = generator.generate(profile=profile, rng=rng, until=until, **extra)
            except ValidationError as exc:
                raise CommandError(f"{generator.module}: {exc}") from exc
            took = time.perf_counter() - started
            figures = ", ".join(f"{key}={value}" for key, value in sorted(result.items()))
            self.stdout.write(f"demo_load: {generator.module} ({took:.1f} s) {figures}")
            if took > GENERATOR_BUDGET_SECONDS:
                self.stderr.write(
                    f"demo_load: {generator.module} took {took:.0f} s, over its {GENERATOR_BUDGET_SECONDS} s budget"
                )
