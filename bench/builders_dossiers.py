"""`--dossiers N` of bench/dataset.py (issue 23 "Speed"): N dossiers over the last year in the benchmark territory's
agencies and communes, six events each (receipt, three steps, result returned, rating), written in bulk with the
figures the checks would give them (due time from the limit in calendar days × 7/5, late when finished past it,
digitised at receipt and in the result, rating). Twenty procedures of three steps, through `procedure_version_set`.
The figures are drawn, not judged by `checks.dossier_check` (that is the push benchmark's part): this dataset is
for the reads — the 766 recompute and its plain GROUP BY."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

CHUNK = 50_000
CHANNELS = ("online_full", "online_partial", "in_person", "post")
STEPS = ("tiep-nhan", "tham-dinh", "phe-duyet")


def _versions(actor: Any) -> list[Any]:
    from datetime import date

    from ioc.dossiers import services
    from ioc.dossiers.models import ProcedureVersion

    found = list(ProcedureVersion.objects.filter(procedure__code__startswith="BENCH.").prefetch_related("steps"))
    if found:
        return found
    for i in range(20):
        limit = (2, 3, 5, 7, 10, 15)[i % 6]
        services.procedure_version_set(
            code=f"BENCH.{i:03d}", name=f"Thủ tục đo tải {i}", field="Đo tải", effective_from=date(2020, 1, 1),
            limit_days=str(limit), documents=["Đơn đề nghị"], fee=0, actor=actor,
            steps=[{"code": s, "name": s, "allotted_days": str(int(limit * 100 / 3) / 100)} for s in STEPS],
        )  # fmt: skip
    return list(ProcedureVersion.objects.filter(procedure__code__startswith="BENCH.").prefetch_related("steps"))


def _dossier(i: int, rng: random.Random, ctx: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    version = ctx["versions"][i % len(ctx["versions"])]
    agency = ctx["agencies"][i % len(ctx["agencies"])]
    received = ctx["start"] + timedelta(seconds=rng.uniform(0, 365 * 86400))
    limit = timedelta(days=float(version.limit_days) * 7 / 5)
    spent = limit * rng.choice((0.3, 0.5, 0.7, 0.9, 1.0, 1.3))
    finished = received + spent if received + spent < ctx["now"] else None
    row: dict[str, Any] = {
        "id": ctx["next_id"] + i, "code": f"BENCH-HS-{ctx['next_id'] + i:08d}", "agency_id": agency,
        "version_id": version.pk, "unit_id": rng.choice(ctx["units"]), "channel": rng.choice(CHANNELS),
        "received_at": received, "due_at": received + limit, "status": "returned" if finished else "processing",
        "current_step": "" if finished else STEPS[1], "finished_at": finished, "returned_at": finished,
        "is_late": bool(finished and finished > received + limit), "digitised": rng.random() < 0.8,
        "intake_digitised": rng.random() < 0.7, "rating": rng.choice((2, 3, 4, 5)) if finished else None,
    }  # fmt: skip
    events = []
    times = [received + spent * (k / 4) for k in range(5)] + [received + spent + timedelta(hours=1)]
    kinds = ("receipt", "step_done", "step_done", "step_done", "result_returned", "rating")
    for n, (kind, at) in enumerate(zip(kinds, times, strict=True)):
        events.append(
            {"dossier_id": row["id"], "agency_id": agency, "source_event_id": f"{row['code']}-{n}", "kind": kind,
             "occurred_at": at, "stored_at": at, "step_code": STEPS[n - 1] if 1 <= n <= 3 else "",
             "documents": "[]", "rating": row["rating"] if kind == "rating" else None,
             "digitised": row["digitised"] if kind == "result_returned" else False}
        )  # fmt: skip
    return row, events


def build_dossiers(*, n: int, rng: random.Random) -> None:
    """R5.3 benchmark: `n` dossiers and 6 × `n` events over the last year (see the module's docstring)."""
    from django.db.models import Max

    from bench.builders import BENCH_PROFILE, _columns, _sequence_reset, _values, bench_setup, bulk_insert
    from ioc.accounts.selectors import system_account
    from ioc.agencies.models import Agency
    from ioc.dossiers.models import Dossier, DossierEvent
    from ioc.geo import selectors as geo

    bench_setup()
    territory = geo.territory_get(profile=BENCH_PROFILE)
    assert territory is not None, "the benchmark territory is loaded by bench_setup"
    now = datetime.now(UTC)
    ctx: dict[str, Any] = {
        "versions": _versions(system_account()),
        "agencies": list(Agency.objects.order_by("pk").values_list("pk", flat=True)),
        "units": list(geo.territory_communes(territory=territory).values_list("pk", flat=True)),
        "now": now,
        "start": now - timedelta(days=365),
        "next_id": (Dossier.objects.aggregate(m=Max("pk"))["m"] or 0) + 1,
    }
    dossier_columns, event_columns = _columns(Dossier), _columns(DossierEvent, with_id=False)
    for first in range(0, n, CHUNK):
        rows: list[list[Any]] = []
        events: list[list[Any]] = []
        for i in range(first, min(n, first + CHUNK)):
            row, its = _dossier(i, rng, ctx)
            rows.append(_values(Dossier, row))
            events.extend(_values(DossierEvent, e) for e in its)
        bulk_insert(Dossier._meta.db_table, dossier_columns, rows)
        bulk_insert(DossierEvent._meta.db_table, event_columns, events)
    _sequence_reset(Dossier)
