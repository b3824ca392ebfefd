"""The pull connectors of the crash harness (issue 16 part 2, "connector runs" among the durable work; R1.2b):
a loopback CSV source the harness serves itself, datasets whose connectors fall due one by one under the kills,
and the check that each due run was recorded exactly once with its rows stored.

The source runs in the harness's own process (never killed): the processes under test fetch from it through
`ioc/common/http.py` like any agency's endpoint; bench/load/settings_crash.py allow-lists 127.0.0.1/32 for it,
as an administrator would for a source on the IOC's own network. A run killed between its fetch and its record
rolls back (the submission and the run are written in one transaction while the lease holds) and is taken again
after its lease expires; the drain fast-forwards the leases of killed processes (durable.expire_leases).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CONNECTORS = 8  # datasets with a pull connector, each due once during the load
ROWS = 3  # rows each source answers
PREFIX = "crash-keo-"
COMMUNE = "11953"  # bench.load.registry.COMMUNE (not imported: the source starts before Django)


def csv_body(index: int) -> bytes:
    """The CSV the source answers for connector `index`: ROWS rows of the revenue schema (datahub.testing)."""
    lines = ["ma_xa,ky,thu_ngan_sach"]
    lines += [f"{COMMUNE},2026{month:02d},{index * 100 + month}" for month in range(1, ROWS + 1)]
    return ("\n".join(lines) + "\n").encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1].removesuffix(".csv")
        if not name.isdigit():
            self.send_error(404)
            return
        body = csv_body(int(name))
        self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def source_start() -> ThreadingHTTPServer:
    """The loopback source on a free port, served by a daemon thread until `shutdown()`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def connector_world(world: dict[str, Any], port: int) -> None:
    """CONNECTORS published datasets, each with a CSV pull connector on the source, not due yet (`connectors_arm`
    wakes them under the load, as the escalations are)."""
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.datahub import services
    from ioc.datahub.models import Connector
    from ioc.datahub.testing import dataset_make, revenue_schema

    admin = User.objects.get(username="persona-admin")
    owner = Agency.objects.get(pk=world["agency_a"])
    for i in range(CONNECTORS):
        dataset = dataset_make(actor=admin, owner=owner, code=f"{PREFIX}{i}", schema=revenue_schema(), name=f"Kéo {i}")
        values = services.ConnectorSettings(url=f"http://127.0.0.1:{port}/keo/{i}.csv", fmt="csv", timeout_seconds=5)
        services.connector_set(actor=admin, dataset=dataset, values=values)
    Connector.objects.filter(dataset__code__startswith=PREFIX).update(next_run_at=None)


def connectors_arm(now: Any, gap: float) -> int:
    """Each crash connector falls due at its own moment, `gap` seconds apart from one second after `now`."""
    import datetime as dt

    from ioc.datahub.models import Connector

    pks = list(Connector.objects.filter(dataset__code__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    for i, pk in enumerate(pks):
        Connector.objects.filter(pk=pk).update(next_run_at=now + dt.timedelta(seconds=1 + gap * i))
    return len(pks)


def connector_state() -> tuple[list[str], list[str], int, int]:
    """(lost, doubled, runs recorded, connectors still waiting): each connector ran once, successfully, and its
    submission stored ROWS rows; failed runs are named (the source never fails, so one means a broken run)."""
    from django.db.models import Count, Q

    from ioc.datahub.models import Connector, Record

    lost: list[str] = []
    doubled: list[str] = []
    ok = Count("runs", filter=Q(runs__status="success"))
    failed = Count("runs", filter=~Q(runs__status="success"))
    rows = Connector.objects.filter(dataset__code__startswith=PREFIX).annotate(ok=ok, failed=failed)
    recorded = waiting = 0
    for connector in rows.select_related("dataset"):
        recorded += connector.ok + connector.failed
        code = connector.dataset.code
        if connector.failed:
            lost.append(f"connector {code}: {connector.failed} failed runs")
        if connector.ok == 0:
            waiting += 1
            lost.append(f"connector {code}: due, never ran")
        elif connector.ok > 1:
            doubled.append(f"connector {code}: {connector.ok} runs recorded of one due")
        stored = Record.objects.filter(dataset=connector.dataset).count()
        if connector.ok and stored != ROWS:
            lost.append(f"connector {code}: {stored} rows stored of {ROWS}")
    return lost, doubled, recorded, waiting
