"""R5.6 (issue 21 "Speed"): the daily counts of security events per agency and rule (`EventDay`), kept by every
service that writes events, in the same transaction: one multi-row upsert per batch
(`INSERT … ON CONFLICT (day, agency_key, rule) DO UPDATE SET count = count + excluded.count`, SQLite ≥ 3.24 and
PostgreSQL alike). A day is the local (Asia/Ho_Chi_Minh) date of the event's time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection

from ioc.common.periods import LOCAL_TZ
from ioc.cybersecurity.models import EventDay

CHUNK = 500  # cells per statement (4 parameters each: under SQLite's 32,766 and PostgreSQL's 65,535)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date()


def cells_of(events: Iterable[tuple[dt.datetime, int | None, str]]) -> Counter[tuple[dt.date, int, str]]:
    """(occurred_at, agency id or None, rule) → the cells they add to."""
    return Counter((local_day(at), agency or 0, rule) for at, agency, rule in events)


def cells_add(cells: Counter[tuple[dt.date, int, str]]) -> None:
    """Add the counts to their cells (created at need); the caller's transaction holds the events' write."""
    table = EventDay._meta.db_table
    items = sorted(cells.items())  # one order for every writer: no deadlock between two batches on PostgreSQL
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for (day, agency, rule), n in chunk:
            params += [connection.ops.adapt_datefield_value(day), agency, rule, n]
        sql = (
            f"INSERT INTO {table} (day, agency_key, rule, count) VALUES {values} "  # noqa: S608 - names from _meta
            "ON CONFLICT (day, agency_key, rule) DO UPDATE SET count = "
            f"{table}.count + excluded.count"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def cells_purge(*, before: dt.date) -> int:
    deleted, _detail = EventDay.objects.filter(day__lt=before).delete()
    return deleted
