"""Dossiers' speed (issue 23 "Speed"), two parts:

    .venv/bin/python bench/dossiers_bench.py push [--events 3000] [--rate 200] [--batch 1] [--server gunicorn]
    .venv/bin/python bench/dossiers_bench.py push --prepare --template var/dossiers-push-template.sqlite3  # once
    .venv/bin/python bench/dossiers_bench.py push --template var/dossiers-push-template.sqlite3 --server gunicorn
    .venv/bin/python bench/dossiers_bench.py recompute --out var/bench-dossiers.sqlite3  # after --dossiers N

`push`: one event per request (or `--batch N` events per request, requests paced at rate/N so the events/s are
the same; the data hub's push gets the same rows in the same batches) to POST /api/v1/dossiers/events/ (token,
JSON, every rule, the recheck, the audit entry) paced at `--rate` events/s, each latency counted from its scheduled
send time (a late start counts), with the CPU per event (the server's, from /proc, under gunicorn), beside the
data hub's push (POST /api/v1/datahub/datasets/<code>/submissions/, the `dossier_events` schema, no checks) of
the same rows at the same pace, in the same run, on a fresh SQLite file: in-process through Django's test client
(default), or over loopback to gunicorn (`--server gunicorn`: config/gunicorn.py, the production settings with the
benchmark key's rate limit raised, bench/settings_bench.py; `--senders` threads send each request at its scheduled
time, a new connection each as gunicorn's keep-alive is 0).
Each dossier's story: receipt, transfer, three steps, result returned.

`recompute`: Decision 766's values of every month of the last year (`service_scores_compute`) on the benchmark
database, beside one plain SQL GROUP BY of the same rows (agency × month: received, online, finished, late).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["push", "recompute"])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", default="")
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=200.0, help="events/s")
    parser.add_argument("--batch", type=int, default=1, help="events per request (push)")
    parser.add_argument("--server", choices=["client", "gunicorn"], default="client")
    parser.add_argument("--senders", type=int, default=8, help="sending threads (--server gunicorn)")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: config/gunicorn.py's)")
    parser.add_argument("--template", default="", help="push on SQLite: start from a copy of this migrated file")
    parser.add_argument("--prepare", action="store_true", help="push on SQLite: only migrate a fresh --template")
    args = parser.parse_args(argv)
    args.fresh = args.part == "push" and args.db == "sqlite"
    if args.prepare and not args.template:
        parser.error("--prepare needs --template")
    args.out = args.out or str(ROOT / "var" / ("bench-dossiers-push.sqlite3" if args.fresh else "bench.sqlite3"))
    return args


STEPS = ("tiep-nhan", "tham-dinh", "phe-duyet")


def stories(n_events: int, start: dt.datetime) -> list[dict[str, Any]]:
    """Six events per dossier, received one minute apart, steps an hour apart (all in the past)."""
    from ioc.dossiers.testing import SAMPLE_DOCUMENTS, SAMPLE_PROCEDURE

    rows: list[dict[str, Any]] = []
    k = 0
    while len(rows) < n_events:
        code, at = f"B-{k:07d}", start + dt.timedelta(minutes=k)
        story: list[dict[str, Any]] = [
            {"kind": "receipt", "procedure": SAMPLE_PROCEDURE, "channel": "online_full", "documents": SAMPLE_DOCUMENTS,
             "phone": f"09{k:08d}"},
            {"kind": "transfer", "step": STEPS[0], "assignee": "cb-1"},
            *({"kind": "step_done", "step": s, "account": "cb-1"} for s in STEPS),
            {"kind": "result_returned", "digitised": True},
        ]  # fmt: skip
        for n, extra in enumerate(story):
            moment = (at + dt.timedelta(hours=n)).isoformat()
            rows.append({"event_id": f"{code}-{n}", "dossier": code, "occurred_at": moment, **extra})
        k += 1
    return rows[:n_events]


def paced(send: Any, bodies: list[bytes], rate: float) -> tuple[list[float], list[float], float]:
    """Send each body at its scheduled time; latencies (ms) from the schedule (a late start counts), service
    times (ms) from the actual send; the achieved rate."""
    latencies, services = [], []
    t0 = time.perf_counter()
    for k, body in enumerate(bodies):
        due = t0 + k / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        sent = time.perf_counter()
        send(body)
        done = time.perf_counter()
        latencies.append((done - due) * 1000)
        services.append((done - sent) * 1000)
    return latencies, services, len(bodies) / (time.perf_counter() - t0)


def paced_threads(send: Any, bodies: list[bytes], rate: float, senders: int) -> tuple[list[float], list[float], float]:
    """`paced` with `senders` threads: each takes the next body and sends it at its scheduled time."""
    import threading

    latencies, services = [0.0] * len(bodies), [0.0] * len(bodies)
    lock, following = threading.Lock(), iter(range(len(bodies)))
    t0 = time.perf_counter()

    def worker() -> None:
        while True:
            with lock:
                k = next(following, None)
            if k is None:
                return
            due = t0 + k / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            sent = time.perf_counter()
            send(bodies[k])
            done = time.perf_counter()
            latencies[k], services[k] = (done - due) * 1000, (done - sent) * 1000

    threads = [threading.Thread(target=worker) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, services, len(bodies) / (time.perf_counter() - t0)


def gunicorn_start(args: argparse.Namespace, prefix: str) -> tuple[Any, int]:
    """gunicorn with config/gunicorn.py and bench/settings_bench.py (production settings, the key's limit raised)."""
    import os
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "BENCH_TOKEN_PREFIX": prefix}
    env.update({"PORT": str(port), "DEBUG": "0"})
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    log = (ROOT / "var" / "bench-gunicorn-dossiers.log").open("wb")
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180  # a loaded machine (as open311_bench)
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer in 180 s; see var/bench-gunicorn-dossiers.log")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of gunicorn's master `pid` and its workers so far, from /proc (Linux)."""
    import os

    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def cpu_line(name: str, seconds: float, events: int) -> None:
    print(f"{name}: CPU {1000 * seconds / events:.2f} ms per event ({seconds:.1f} s for {events} events)")


class Answers:
    """What the answers said (issue 23: the PostgreSQL run that stored 468 of 1,060 counted every HTTP 200 as
    stored): requests by HTTP status, and the import summaries' imported, ignored and refused rows, the refused
    ones by reason (a held event is refused "Held" until its receipt places it)."""

    def __init__(self) -> None:
        import threading
        from collections import Counter

        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.rows: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()

    def note(self, status: int, content: bytes) -> None:
        summary = json.loads(content) if status in (200, 201) else {}
        with self.lock:
            self.statuses[status] += 1
            for key in ("imported", "updated", "ignored", "rejected"):
                self.rows[key] += int(summary.get(key) or 0)
            for conflict in summary.get("conflicts") or []:
                self.reasons[f"{conflict.get('field')}: {conflict.get('reason')}"[:90]] += 1

    def line(self, name: str) -> None:
        statuses = ", ".join(f"HTTP {k}: {v}" for k, v in sorted(self.statuses.items()))
        rows = ", ".join(f"{k} {self.rows[k]}" for k in ("imported", "updated", "ignored", "rejected"))
        reasons = "; ".join(f"{v} × {k}" for k, v in self.reasons.most_common(4))
        print(f"  answers, {name}: {statuses}; rows {rows}" + (f" ({reasons})" if reasons else ""))


def http_poster(port: int, path: str, auth: str, answers: Answers) -> Any:
    import http.client

    def send(body: bytes) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/json", "Authorization": auth, "Host": "localhost"}
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        answers.note(response.status, content)
        assert response.status in (200, 201), (response.status, content[:300])

    return send


def stored_line(dataset_rows: int) -> None:
    """What the database holds after the runs (warm-up included): events, held events by state, data hub rows."""
    from django.db.models import Count

    from ioc.dossiers.models import Dossier, DossierEvent, HeldEvent

    held = dict(HeldEvent.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    print(f"stored (warm-up included): dossiers {Dossier.objects.count():,}, events {DossierEvent.objects.count():,}, "
          f"held events by state {held or '{}'}; data hub rows {dataset_rows:,}")  # fmt: skip


def report(name: str, latencies: list[float], services: list[float], achieved: float, batch: int = 1) -> None:
    q, s = statistics.quantiles(latencies, n=100), statistics.quantiles(services, n=100)
    print(f"{name}: {len(latencies)} requests of {batch} at {achieved:.1f}/s ({achieved * batch:.0f} events/s); "
          f"from schedule p50 {q[49]:.1f} ms, "
          f"p95 {q[94]:.1f} ms, max {max(latencies):.1f} ms; "
          f"service time p50 {s[49]:.1f} ms, p95 {s[94]:.1f} ms")  # fmt: skip


def push(args: argparse.Namespace) -> None:
    from django.test import Client

    from ioc.accounts.testing import personas_create
    from ioc.datahub.testing import dataset_make
    from ioc.dossiers.datasets import dossier_events_schema
    from ioc.dossiers.testing import sample_procedure

    people = personas_create()
    sample_procedure(actor=people.admin)
    dataset_make(actor=people.system_account, owner=people.agency_a, code="test", schema=dossier_events_schema())
    client, auth = Client(HTTP_HOST="localhost"), f"Bearer {people.system_token}"
    rows = stories(args.events + 60, dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    warm, rows = rows[:60], rows[60:]

    told, told_hub = Answers(), Answers()

    def to_events(body: bytes) -> None:
        response = client.post("/api/v1/dossiers/events/", body, content_type="application/json",
                               HTTP_AUTHORIZATION=auth)  # fmt: skip
        told.note(response.status_code, response.content)
        assert response.status_code == 200, response.content[:300]

    def to_datahub(body: bytes) -> None:
        response = client.post("/api/v1/datahub/datasets/test/submissions/", body, content_type="application/json",
                               HTTP_AUTHORIZATION=auth)  # fmt: skip
        told_hub.note(response.status_code, response.content)
        assert response.status_code in (200, 201), response.content[:300]

    def flat(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "documents": ";".join(row["documents"])} if "documents" in row else row

    chunks = [rows[k : k + args.batch] for k in range(0, len(rows), args.batch)]
    events = [json.dumps(chunk).encode() for chunk in chunks]
    bodies = [json.dumps({"rows": [flat(r) for r in chunk]}).encode() for chunk in chunks]
    rate, batch = args.rate / args.batch, args.batch
    if args.server == "gunicorn":
        from django.db import connections

        from ioc.accounts.models import ApiToken

        prefix = ApiToken.objects.get(label="persona").prefix  # the persona system's key (accounts.testing)
        connections.close_all()
        server, port = gunicorn_start(args, prefix)
        warm_told = Answers()
        warm_events = http_poster(port, "/api/v1/dossiers/events/", auth, warm_told)
        warm_datahub = http_poster(port, "/api/v1/datahub/datasets/test/submissions/", auth, warm_told)
        to_events = http_poster(port, "/api/v1/dossiers/events/", auth, told)
        to_datahub = http_poster(port, "/api/v1/datahub/datasets/test/submissions/", auth, told_hub)
        try:
            for row in warm:
                warm_events(json.dumps([row]).encode())
                warm_datahub(json.dumps({"rows": [flat(row)]}).encode())
            cpu = server_cpu(server.pid)
            report("dossiers events (every rule)", *paced_threads(to_events, events, rate, args.senders), batch)
            cpu, took = server_cpu(server.pid), server_cpu(server.pid) - cpu
            cpu_line("  server, dossiers events", took, len(rows))
            timed = paced_threads(to_datahub, bodies, rate, args.senders)
            report("data hub push, same rows (no checks)", *timed, batch)
            cpu_line("  server, data hub push", server_cpu(server.pid) - cpu, len(rows))
        finally:
            server.terminate()
            server.wait(timeout=30)
    else:
        for row in warm:
            to_events(json.dumps([row]).encode())
            to_datahub(json.dumps({"rows": [flat(row)]}).encode())
        told, told_hub = Answers(), Answers()  # the measured runs' answers only
        cpu = time.process_time()
        report("dossiers events (every rule)", *paced(to_events, events, rate), batch)
        cpu, took = time.process_time(), time.process_time() - cpu
        cpu_line("  in-process (client and server), dossiers events", took, len(rows))
        report("data hub push, same rows (no checks)", *paced(to_datahub, bodies, rate), batch)
        cpu_line("  in-process (client and server), data hub push", time.process_time() - cpu, len(rows))
    told.line(f"dossiers events, {len(rows)} sent")
    told_hub.line(f"data hub push, {len(rows)} sent")
    from ioc.datahub.models import Record

    stored_line(Record.objects.filter(dataset__code="test").count())


def recompute(args: argparse.Namespace) -> None:
    from django.db import connection

    from ioc.accounts.selectors import system_account
    from ioc.dossiers.models import Dossier, DossierEvent
    from ioc.dossiers.services import service_scores_compute

    print(f"dossiers: {Dossier.objects.count():,}, events: {DossierEvent.objects.count():,}")
    today = dt.date.today()
    months = [dt.date(today.year - (today.month - k <= 0), (today.month - k - 1) % 12 + 1, 1) for k in range(13)]
    actor = system_account()
    started = time.perf_counter()
    rows = sum(len(service_scores_compute(month=m, actor=actor)) for m in months)
    took = time.perf_counter() - started
    print(f"766 recompute, {len(months)} months: {took:.1f} s ({rows:,} score rows)")
    month = "strftime('%Y%m', received_at)" if connection.vendor == "sqlite" else "to_char(received_at, 'YYYYMM')"
    sql = (
        f"SELECT agency_id, {month}, COUNT(*), SUM(CASE WHEN channel IN ('online_full', 'online_partial') THEN 1 "
        "ELSE 0 END), COUNT(finished_at), SUM(CASE WHEN is_late THEN 1 ELSE 0 END) FROM dossiers_dossier "
        f"GROUP BY agency_id, {month}"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        groups = len(cursor.fetchall())
    print(f"plain GROUP BY agency × month: {time.perf_counter() - started:.1f} s ({groups:,} groups)")


def from_template(args: argparse.Namespace) -> None:
    """`--template`: the migrations are a build, not the measurement (the bench lock takes only the measurement):
    `--prepare` migrates a fresh template file once (at low priority); a run copies it into place, so its own
    migrate finds nothing to do."""
    import shutil

    if args.prepare:
        args.out = args.template
        return
    if args.fresh and args.template:
        if not Path(args.template).exists():
            sys.exit(f"no template {args.template}: make it first with --prepare --template {args.template}")
        for suffix in ("", "-wal", "-shm"):
            Path(args.out + suffix).unlink(missing_ok=True)
        shutil.copyfile(args.template, args.out)
        args.fresh = False


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from bench.dataset import configure

    from_template(args)
    configure(args)
    if args.prepare:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"migrated template: {args.out}")
        return 0
    if args.part == "push":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        push(args)
    else:
        recompute(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
