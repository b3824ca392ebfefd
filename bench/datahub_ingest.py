"""The data hub's ingest benchmark (issue 10, "Speed"): parse, validate and store a 100,000-row CSV and .xlsx with
the full row/field error report, through `submission_ingest` — and, when installed, frictionless-py validating
the same CSV against the same schema (a bench-only dependency: `pip install frictionless`; not in the project).

    .venv/bin/python bench/datahub_ingest.py --rows 100000 [--no-points] [--rules]
    IOC_BENCH_LOCK=/tmp/ioc-bench.lock nice -n 19 ionice -c3 .venv/bin/python bench/datahub_ingest.py --rows 100000
        (set-up at nice 19; the timed runs wait for the machine's bench lock and run at nice 0: bench/benchlock.py)
    bash bench/pg-bench --build "" --run bench/datahub_ingest.py --rows 100000 [--rules]   # PostgreSQL

It builds a temporary SQLite database (migrations, the test subset of units, one dataset) in a file under var/
(with `--db postgresql --database-url URL`, what `bench/pg-bench` passes: a test database `test_<name>` on that
server, dropped at the end), writes the files, then times each ingest once. `--rules` gives the schema two
cross-field rules (`ioc:rules`: an if-then-required and a comparison of two fields, which about 3 % of the rows
break). About 1 % of the rows carry an error (an unlisted code, a wrong
type, a duplicate key), and the dataset accepts valid rows, so both the report and the store are exercised.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from bench.benchlock import measuring  # noqa: E402

KINDS = ["benh_vien", "tram_y_te", "phong_kham"]


RULES = [
    {"if": {"field": "loai", "equals": "benh_vien"}, "require": ["so_giuong"], "message": "Bệnh viện thiếu số giường"},
    {"field": "so_giuong", ">=": "cong_suat", "message": "Số giường nhỏ hơn công suất (bench)"},
]


def schema(points: bool, rules: bool = False) -> dict[str, Any]:
    from ioc.datahub.testing import facilities_schema

    found = facilities_schema()
    if not points:
        found["fields"] = [f for f in found["fields"] if f["name"] not in ("vi_do", "kinh_do")]
        found.pop("ioc:layer")
    if rules:
        found["ioc:rules"] = RULES
    return found


def rows(n: int, communes: list[tuple[str, float, float]], points: bool, rng: random.Random) -> list[list[str]]:
    out = []
    for i in range(n):
        code, lat, lon = communes[i % len(communes)]
        row = [
            f"CS{i:07d}",
            f"Cơ sở y tế số {i}",
            KINDS[i % 3],
            code,
            f"{rng.randint(0, 3000):,}".replace(",", "."),
            f"{rng.uniform(10, 99):.1f}".replace(".", ","),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
        ]
        if points:  # within ~300 m of the commune's representative point: distinct points, mostly interior cells
            jitter_lat, jitter_lon = lat + rng.uniform(-0.003, 0.003), lon + rng.uniform(-0.003, 0.003)
            row += [f"{jitter_lat:.6f}".replace(".", ","), f"{jitter_lon:.6f}".replace(".", ",")]
        if i % 100 == 7:
            row[2] = "khac"  # an unlisted code
        elif i % 100 == 53:
            row[4] = "nhiều"  # a wrong type
        elif i % 100 == 91:
            row[0] = f"CS{i - 1:07d}"  # a duplicate key
        out.append(row)
    return out


def csv_bytes(header: list[str], lines: list[list[str]]) -> bytes:
    return ("\ufeff" + "\r\n".join(";".join(r) for r in [header, *lines]) + "\r\n").encode("utf-8")


def xlsx_bytes(header: list[str], lines: list[list[str]]) -> bytes:
    import io

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Du lieu")
    for r, line in enumerate([header, *lines]):
        for c, value in enumerate(line):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def setup(db_path: Path, points: bool, rules: bool = False) -> tuple[Any, Any, Any]:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(db_path)
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from ioc.accounts.testing import system_actor
    from ioc.agencies.models import Agency
    from ioc.datahub.testing import dataset_make
    from ioc.geo.testing import load_subset

    actor = system_actor()
    load_subset(actor=actor)
    agency = Agency.objects.create(code="bench-so-y-te", name="Sở Y tế (benchmark)")
    found = schema(points, rules)
    dataset = dataset_make(actor=actor, owner=agency, code="bench", schema=found, accept_valid_rows=True)
    return actor, agency, dataset


def communes() -> list[tuple[str, float, float]]:
    import shapely

    from ioc.geo.models import AdminUnit
    from ioc.geo.testing import HUNG_YEN_COMMUNES

    found = []
    for unit in AdminUnit.objects.filter(hierarchy="2025", code__in=HUNG_YEN_COMMUNES).order_by("code"):
        p = shapely.from_geojson(unit.geometry).representative_point()
        found.append((unit.code, p.y, p.x))
    return found


def timed_ingest(label: str, actor: Any, agency: Any, dataset: Any, content: bytes, name: str) -> None:
    from ioc.datahub import services
    from ioc.datahub.choices import Channel
    from ioc.datahub.models import Record

    Record.objects.filter(dataset=dataset).delete()
    started, cpu = time.perf_counter(), time.process_time()
    result = services.submission_ingest(
        actor=actor, dataset=dataset, agency=agency, channel=Channel.UPLOAD, content=content, file_name=name
    )
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    summary = result.summary
    print(
        f"{label}: {took:.2f} s (this process's CPU {cpu:.2f} s) — {summary['status']}, imported "
        f"{summary['imported']}, rows with errors {summary['rejected']}, conflicts {len(summary['conflicts'])}, "
        f"broken rules {result.quality.get('rule_errors', 0)}, {len(content) / 2**20:.1f} MB"
    )


def frictionless_descriptor(points: bool, unit_codes: list[str]) -> dict[str, Any]:
    """The same schema as frictionless-py needs it to read the same file: fields named by the CSV's titles, the
    Vietnamese number and date forms our ingest reads natively spelled out (`groupChar`, `decimalChar`, `format`),
    and the commune code checked against the same list (our ingest looks it up in `geo`). What frictionless-py does not
    do, and our figure includes: the point → commune check, key hashes, the stored rows and the report's storage."""
    found = schema(points)
    titles = {f["name"]: str(f.get("title") or f["name"]) for f in found["fields"]}
    fields = []
    for field in found["fields"]:
        spec = {k: v for k, v in field.items() if not k.startswith("ioc:")}
        spec["name"] = titles[field["name"]]
        spec.pop("title", None)
        if field["type"] == "integer":  # frictionless-py 5 reads no group separator in an integer: a number here
            spec.update(type="number", groupChar=".", decimalChar=",")
        elif field["type"] == "number":
            spec.update(decimalChar=",", groupChar=" ")
        elif field["type"] == "date":
            spec["format"] = "%d/%m/%Y"
        if field.get("ioc:role") == "unit":
            spec["constraints"] = {**spec.get("constraints", {}), "enum": unit_codes}
        fields.append(spec)
    return {"fields": fields, "primaryKey": [titles[k] for k in found.get("primaryKey", [])]}


def frictionless_run(path: Path, points: bool, unit_codes: list[str]) -> None:
    try:
        import frictionless  # type: ignore[import-not-found]
    except ImportError:
        print("frictionless-py: not installed (bench-only: pip install frictionless) — skipped")
        return
    resource = frictionless.Resource(
        path.name,
        basepath=str(path.parent),  # frictionless-py refuses an absolute path as "not safe"
        schema=frictionless.Schema.from_descriptor(frictionless_descriptor(points, unit_codes)),
        dialect=frictionless.Dialect(controls=[frictionless.formats.CsvControl(delimiter=";")]),
        encoding="utf-8-sig",
    )
    started = time.perf_counter()
    report = resource.validate(limit_errors=10**9)
    took = time.perf_counter() - started
    errors = report.flatten(["rowNumber", "type", "note"])
    rows_with_errors = len({row for row, _, _ in errors if row})
    for row, kind, note in errors:
        if not row:  # the whole file refused (a label, the dialect…): say why rather than a count
            print(f"frictionless-py: {kind}: {note}")
    print(
        f"frictionless-py {frictionless.__version__} validate (CSV, no store): {took:.2f} s — "
        f"{len(errors)} errors in {rows_with_errors} rows"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-points", action="store_true", help="no coordinates (no point → commune per row)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rules", action="store_true", help="two cross-field rules (ioc:rules) in the schema")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default="", help="--db postgresql: the server (a test database is made)")
    args = parser.parse_args(argv)
    points = not args.no_points
    if args.db == "postgresql":
        if not args.database_url.startswith("postgres"):
            sys.exit("--db postgresql needs --database-url postgresql://…")
        os.environ["DATABASE_URL"] = args.database_url
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(dir=ROOT / "var" if (ROOT / "var").is_dir() else None) as tmp:
        actor, agency, dataset = setup(Path(tmp) / "bench-datahub.sqlite3", points, args.rules)
        from django.db import connection

        print(f"database: {connection.vendor}, rules: {len(dataset.schema.get('ioc:rules', []))}")
        header = [str(f.get("title") or f["name"]) for f in dataset.fields]
        lines = rows(args.rows, communes(), points, random.Random(args.seed))
        csv_content = csv_bytes(header, lines)
        csv_path = Path(tmp) / "bench.csv"
        csv_path.write_bytes(csv_content)
        xlsx_content = xlsx_bytes(header, lines)
        with measuring():  # IOC_BENCH_LOCK: the set-up above at the caller's priority, the runs under the lock
            timed_ingest(f"CSV {args.rows} rows", actor, agency, dataset, csv_content, "bench.csv")
            timed_ingest(f"XLSX {args.rows} rows", actor, agency, dataset, xlsx_content, "bench.xlsx")
            frictionless_run(csv_path, points, sorted({code for code, _, _ in communes()}))
        if connection.vendor != "sqlite":
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
