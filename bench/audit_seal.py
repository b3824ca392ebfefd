"""How fast the single audit sealer drains a backlog (R7.3), and how long audit_verify takes over it.

.venv/bin/python bench/dataset.py --db sqlite --out var/bench.sqlite3 --fresh --audit-entries 200000
.venv/bin/python bench/audit_seal.py --out var/bench.sqlite3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from bench.dataset import configure

    anchor = Path(tempfile.mkdtemp()) / "anchor.log"
    os.environ["AUDIT_ANCHOR_PATH"] = str(anchor)
    configure(
        argparse.Namespace(
            db="postgresql" if args.database_url else "sqlite",
            database_url=args.database_url,
            out=args.out,
            fresh=False,
        )
    )
    from ioc.audit.models import AuditEntry
    from ioc.audit.selectors import audit_verify
    from ioc.audit.services import audit_seal_backlog

    pending = AuditEntry.objects.filter(position__isnull=True).count()
    started = time.perf_counter()
    sealed = audit_seal_backlog()
    took = time.perf_counter() - started
    print(f"sealed {sealed:,} of {pending:,} pending entries in {took:.1f}s ({sealed / max(took, 1e-9):,.0f}/s)")
    started = time.perf_counter()
    result = audit_verify()
    print(f"verify: {result} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
