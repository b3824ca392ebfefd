"""R2.6: two sweeps at once (two threads, each with its own connection to one shared database) open each rule's
call of the period once: the conditional UPDATE that claims the period lets one of them through, the unique key
rule × period guards the rest."""

from __future__ import annotations

import threading
from collections import Counter
from functools import partial

from django.test import TransactionTestCase

from ioc.accounts.testing import personas_create
from ioc.audit.testing import AnchorFileMixin, shared_database
from ioc.indicators import services
from ioc.indicators.models import CallRule, DataCall, Indicator
from ioc.indicators.tests.support import catalogue, spec, territory

SWEEPS = 2


class ConcurrentSweepsTest(AnchorFileMixin, TransactionTestCase):
    def test_two_sweeps_at_once_open_each_call_once(self) -> None:
        territory()
        people = personas_create()
        catalogue(people.leader, *(spec(f"chi_so_{i}") for i in range(4)))
        for indicator in Indicator.objects.order_by("code"):
            for agency in (people.agency_a, people.agency_b):
                services.call_rule_create(
                    actor=people.operator, indicator=indicator, agency=agency, period_type="month"
                )
        due = max(CallRule.objects.values_list("next_open_at", flat=True))
        barrier = threading.Barrier(SWEEPS, timeout=60)
        opened: list[int] = []

        def sweep() -> None:
            barrier.wait()
            opened.append(services.call_rules_open_due(actor=people.system_account, now=due))

        with shared_database() as db:
            threads = [db.start(partial(sweep)) for _ in range(SWEEPS)]
            for thread in threads:
                thread.join(timeout=120)
                self.assertFalse(thread.is_alive(), "a sweep did not finish")
            result: dict[str, object] = {}
            reader = db.start(
                lambda: result.update(per_rule=Counter(DataCall.objects.values_list("rule_id", flat=True)))
            )
            reader.join(timeout=60)
        self.assertEqual(sum(opened), 8)
        self.assertEqual(result["per_rule"], Counter({pk: 1 for pk in CallRule.objects.values_list("pk", flat=True)}))
