"""CPU and wall time of the reports' demo generator (`ioc.reporting.demo.generate`, issue 17 item 2) on a database
where `demo_load` has loaded a whole profile, so its figures run over the demo's data.

    IOC_VAR_DIR=<a loaded demo's var> (with that demo's secrets in the environment) \\
    .venv/bin/python manage.py shell -c "import bench.reporting_demo_time as b; b.main()"

Each run deletes the reporting rows inside a transaction, times `generate` with `time.process_time()` (CPU, what
a code change moves) and `time.perf_counter()` (wall: loaded on a shared machine), then rolls back: the database is
left as it was. With REPORTING_DEMO_BEFORE=<path of an earlier demo.py> (e.g. `git show <commit>:ioc/reporting/
demo.py > var/demo_before.py`), the earlier generator and the current one run alternately, twice each.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from types import ModuleType
from typing import Any


class Rollback(Exception):
    pass


def _load(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("reporting_demo_before", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one_run(module: Any) -> tuple[float, float, dict[str, int]]:
    from django.db import transaction
    from django.utils import timezone

    from ioc.reporting.models import Meeting, MeetingDecision, OutsideReport, Report, ReportObligation

    answer: tuple[float, float, dict[str, int]] = (0.0, 0.0, {})
    try:
        with transaction.atomic():
            for model in (MeetingDecision, Meeting, ReportObligation, OutsideReport):
                model.objects.all().delete()
            Report.objects.filter(corrects__isnull=False).delete()
            Report.objects.all().delete()
            cpu, wall = time.process_time(), time.perf_counter()
            result = module.generate(profile="hung-yen", rng=random.Random("hung-yen:2025"), until=timezone.now())
            answer = (time.process_time() - cpu, time.perf_counter() - wall, result)
            raise Rollback
    except Rollback:
        pass
    return answer


def main() -> None:
    from ioc.reporting import demo

    before = os.environ.get("REPORTING_DEMO_BEFORE", "")
    runs = [("before", _load(before)), ("after", demo)] * 2 if before else [("now", demo)] * 2
    print("load average before:", os.getloadavg())
    for name, module in runs:
        cpu, wall, result = one_run(module)
        print(f"{name}: cpu {cpu:.1f} s, wall {wall:.1f} s, {result}")
    print("load average after:", os.getloadavg())
