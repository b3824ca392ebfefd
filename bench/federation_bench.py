"""Federation benchmark (issue 18 "Speed", R9.3): 10,000 queued messages drained to a parent on loopback.

    .venv/bin/python bench/federation_bench.py [--messages 10000] [--batch 100] [--keep DIR]

Two deployments (ioc/federation/loopback.py): separate SQLite databases and processes, production settings. The
child's outbox gets N messages (daily citizen-report summaries, one object each), the parent's gunicorn (2 gthread
workers) receives; one sender process (`manage.py federation_send`) drains the outbox. It prints the time from the
sender's start to the last acknowledgement and the counts on both sides: every message delivered, each applied
exactly once (the parent's inbox is unique on the message id), none dead. Exit status 1 otherwise or over 60 s.
Results: docs/benchmarks.md, "Federation".
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ioc.federation.loopback import Deployment, pair  # noqa: E402

BUDGET_SECONDS = 60.0


def counts(deployment: Deployment, code: str) -> dict[str, int]:
    return json.loads(deployment.manage("federation_loopback", "counts", "--code", code))  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--keep", default="", help="a directory to keep (databases and logs)")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ioc-federation-bench-"))
    parent, child = pair(root, sender_env={"FEDERATION_BATCH_SIZE": str(args.batch)})
    try:
        child.manage("federation_loopback", "enqueue", "--code", "tinh", "--count", str(args.messages))
        parent.start_web()
        started = time.monotonic()
        child.start_sender()
        while counts(child, "tinh")["undelivered"] and time.monotonic() - started < 10 * BUDGET_SECONDS:
            time.sleep(1)
        elapsed = time.monotonic() - started
    finally:
        parent.stop()
        child.stop()
    sent, received = counts(child, "tinh"), counts(parent, "huyen")
    ok = (
        sent["delivered"] == args.messages
        and received["applied"] == received["applied_ids"] == args.messages
        and sent["dead"] == 0
        and elapsed <= BUDGET_SECONDS
    )
    print(f"messages {args.messages}, batch {args.batch}: drained in {elapsed:.1f} s ({args.messages / elapsed:.0f}/s)")
    print(f"sender: {json.dumps(sent)}")
    print(f"parent: {json.dumps(received)}")
    print(
        f"applied exactly once: {received['applied'] == received['applied_ids'] == args.messages}; within 60 s: "
        f"{elapsed <= BUDGET_SECONDS}; files under {root}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
