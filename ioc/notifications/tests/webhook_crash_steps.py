"""The steps of the webhook crash test (test_webhook_crash.py), each run in a process of its own on the test's
temporary database, with the production settings:

    python -m ioc.notifications.tests.webhook_crash_steps enqueue URL START N   N webhook messages, one transaction each
    python -m ioc.notifications.tests.webhook_crash_steps drive URL START SECONDS
                                                     bursts of 10 messages and a `rewind` every 3 s, for SECONDS;
                                                     prints how many it enqueued
    python -m ioc.notifications.tests.webhook_crash_steps send            the sender: deliver due rows, forever
    python -m ioc.notifications.tests.webhook_crash_steps rewind          back-offs and leases end now (see below)
    python -m ioc.notifications.tests.webhook_crash_steps state           JSON: rows by state, delivery ids, attempts
    python -m ioc.notifications.tests.webhook_crash_steps settle N SECONDS
                                                     `rewind` then `state` every second in this one process until
                                                     the N rows are sent or SECONDS passed; the last state

`send` is the body of the Huey consumer's `deliver_due` task in a tight loop, so that a SIGKILL lands inside a
delivery (between the receiver's answer and `_finish`) as often as possible. `rewind` is the only clock the test
moves: a failed row's back-off (1, 2, 4 … minutes) and a killed sender's lease (5 minutes) are made to end now
instead of waiting for them; waiting would prove nothing more.
"""

from __future__ import annotations

import json
import sys
import time


def _setup() -> None:
    import django

    django.setup()


def enqueue(url: str, start: int, count: int) -> None:
    from ioc.notifications.choices import Channel
    from ioc.notifications.services import Address, notification_enqueue

    for n in range(start, start + count):
        notification_enqueue(
            event="crash.webhook",
            recipients=[Address(Channel.WEBHOOK, url)],
            template="notifications.test",
            context={},
            dedup_key=f"crash-webhook:{n}",
        )


def drive(url: str, start: int, seconds: float) -> None:
    end = time.monotonic() + seconds
    rewound = time.monotonic()
    n = start
    while time.monotonic() < end:
        enqueue(url, n, 10)
        n += 10
        if time.monotonic() - rewound > 3:
            rewind()
            rewound = time.monotonic()
        time.sleep(0.3)
    print(json.dumps({"enqueued": n - start}))


def send() -> None:
    from ioc.notifications.services import outbox_deliver_all_due

    print("ready", flush=True)  # the test kills only a sender that has started: start-up is seconds under load
    while True:
        if not outbox_deliver_all_due():
            time.sleep(0.05)


def rewind() -> None:
    import datetime as dt

    from django.utils import timezone

    from ioc.notifications.choices import OutboxState
    from ioc.notifications.models import Outbox

    now = timezone.now()
    Outbox.objects.filter(state=OutboxState.FAILED).update(next_attempt_at=now)
    Outbox.objects.filter(state=OutboxState.SENDING).update(lease_until=now - dt.timedelta(seconds=1))


def state() -> None:
    print(json.dumps(_state()))


def _state() -> dict[str, object]:
    from django.db.models import Max

    from ioc.notifications.models import Outbox

    rows = Outbox.objects.filter(event="crash.webhook")
    by_state: dict[str, int] = {}
    for value in rows.values_list("state", flat=True):
        by_state[value] = by_state.get(value, 0) + 1
    ids = sorted(str(value) for value in rows.values_list("delivery_id", flat=True))
    return {"states": by_state, "ids": ids, "max_attempts": rows.aggregate(m=Max("attempts"))["m"]}


def settle(count: int, seconds: float) -> None:
    """One process for the whole wait (a Django start per pass cost seconds under load, two per pass before)."""
    deadline = time.monotonic() + seconds
    while True:
        rewind()
        now = _state()
        if now["states"] == {"sent": count} or time.monotonic() > deadline:
            print(json.dumps(now))
            return
        time.sleep(1.0)


def main(argv: list[str]) -> None:
    _setup()
    step = argv[0]
    if step == "enqueue":
        enqueue(argv[1], int(argv[2]), int(argv[3]))
    elif step == "drive":
        drive(argv[1], int(argv[2]), float(argv[3]))
    elif step == "send":
        send()
    elif step == "rewind":
        rewind()
    elif step == "state":
        state()
    elif step == "settle":
        settle(int(argv[1]), float(argv[2]))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
