"""CPU and wall time of the reports' sensors section (`ioc/sensors/report_sections.py`, issue 17): its figures for
each month of a year, territory scope, as the system account, on a database where `demo_load` (or
`bench/dataset.py --observations N`) has loaded sensor observations. Reads only.

    IOC_VAR_DIR=<a loaded demo's var> (with that demo's secrets in the environment) \\
    .venv/bin/python manage.py shell -c "import bench.reporting_sensors_cost as b; b.main()"

REPORTING_SENSORS_YEAR picks the year (default: this year). Prints the load average before and after, CPU
(`time.process_time()`) and wall per report, and the last month's values.
"""

from __future__ import annotations

import os
import time


def main() -> None:
    from django.utils import timezone

    from ioc.accounts.selectors import system_account
    from ioc.common.periods import period_parse
    from ioc.common.report_sections import FigureContext, ReportScope, Table, section_get
    from ioc.sensors.models import Datastream, Observation

    section = section_get("sensors")
    if section is None:
        raise SystemExit("no sensors section registered")
    user, now = system_account(), timezone.now()
    year = int(os.environ.get("REPORTING_SENSORS_YEAR", now.year))
    print("load average before:", os.getloadavg())
    print("observations:", Observation.objects.count(), "datastreams:", Datastream.objects.count())
    values: dict[str, object] = {}
    cpu, wall = time.process_time(), time.perf_counter()
    for month in range(1, 13):
        code = f"{year}{month:02d}"
        period = period_parse(code)
        ctx = FigureContext(user, code, period.start, period.end, ReportScope(), now)
        values = {f.code: f.compute(ctx) for f in section.figures}
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    each = f"CPU {cpu * 1000 / 12:.0f} ms, wall {wall * 1000 / 12:.0f} ms a report"
    print(f"12 reports x {len(section.figures)} figures: {each}")
    print({code: value for code, value in values.items() if not isinstance(value, Table)})
    print("load average after:", os.getloadavg())
