"""The escalation sweep's steps planned in SQL (R3.3, R4.3, R4.5; issue 12 "Speed", docs/decisions/0011).

The Python planner (`escalation_sweep._plan`) costs tens of microseconds per row; a drain of 100,000 deadlines
must take ≤ 5 s. Here one statement per chain plans a batch's rows where they read: each row's new tier (the
first of its chain's steps at or past its level whose stored due time is after `now`), whether its acceptance was
missed, its next wake-up and accept mark go to `escalation_rows`; then one INSERT … SELECT stages the fired steps,
their text assembled from pieces formatted once per sweep (`combos`: one per chain, old tier, new tier and missed
acceptance — the same formats, roles and templates as the Python planner, with markers where the moments go).

It plans only rows it can plan exactly as the Python planner would; the rest are left to it: an open row of a chain
with steps, its level at most the chain's length, a stored plan (`escalation_due`) whose every step's share matches
the chain's (a step edited since the clock started is computed in working time by the Python planner), due times
stored in Vietnam's time ("+07:00", as the clock's start stores them) and moments from 1976 on (UTC+07:00 since
then, so the local texts are read off the stored text or shifted by seven hours). SQLite compares the stored ISO
texts with `now`'s own ISO text in +07:00 (same format: exact) and writes moments as the ORM stores them;
PostgreSQL casts them to timestamptz.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any, Protocol

from django.db import connection

from ioc.agencies.models import Agency
from ioc.assignments import notices
from ioc.assignments.choices import ESCALATION_AGENCY_ROLES, OPEN_STATUSES
from ioc.assignments.models import Assignment, EscalationStep
from ioc.assignments.services import escalation_sql as sql
from ioc.worktime.selectors import LOCAL_TZ

DUE, ACCEPT = "\x01D\x01", "\x01A\x01"  # where a step's text takes its due time and the missed accept deadline
_MARKS = re.compile("(\x01[DA]\x01)")
_VN = dt.timezone(dt.timedelta(hours=7))
FROM = "1976-01-01"  # Vietnam has kept UTC+07:00 since 1975


class Texts(Protocol):
    """The sweep's translated formats and labels (`escalation_sweep.Sweep.text`)."""

    def text(self, key: str) -> str: ...


def tier_text(step: EscalationStep, due: str, tiers: Sequence[int], accept: str | None, texts: Texts) -> str:
    """The text of a step to `step`'s tier due at `due` (local), naming what a catch-up passed on the way: the
    missed acceptance (its deadline `accept`, local) and the earlier tiers (docs/decisions/0011)."""
    text = texts.text("step") % {
        "n": step.order,
        "share": round(step.at_share * 100),
        "due": due,
        "role": texts.text(step.role),
    }
    if accept is not None or tiers:
        parts = [texts.text("passed_accept") % {"due": accept}] if accept is not None else []
        if tiers:
            parts.append(texts.text("passed_tiers") % {"tiers": ", ".join(str(n) for n in tiers)})
        key = "catch_up_overdue" if step.at_share >= 1 else "catch_up"
        text += texts.text(key) % {"n": step.order, "passed": ", ".join(parts)}
    return text


def accept_text(role: str, due: str, texts: Texts) -> str:
    """The text of a missed acceptance (its deadline `due`, local) told to `role`."""
    return texts.text("accept") % {"due": due, "role": texts.text(role)}


def enabled() -> bool:
    """Vietnam's zone (the texts read local time off +07:00) on a database this module speaks."""
    return str(LOCAL_TZ) == "Asia/Ho_Chi_Minh" and connection.vendor in ("sqlite", "postgresql")


def _pieces(text: str) -> list[str] | None:
    """A text with its moments' markers as (p0, k1, p1, k2, p2); None for a format with more than two."""
    parts = _MARKS.split(text)
    if len(parts) > 5:
        return None
    parts += [""] * (5 - len(parts))
    return [parts[0], parts[1][1:2], parts[2], parts[3][1:2], parts[4]]


def combos(chain_id: int, steps: Sequence[EscalationStep], texts: Texts) -> list[tuple[Any, ...]] | None:
    """Every step the chain's rows can fire, as `escalation_sql.COMBO_COLUMNS` rows: from old tier `l` to new tier
    `m` (a tier step when m > l, passing tiers l+1 … m-1), with or without a missed acceptance; None when a
    translated format cannot be split into pieces (the Python planner then plans the chain's rows)."""
    rows: list[tuple[Any, ...]] = []
    count = len(steps)
    head: tuple[Any, ...]
    for low in range(count + 1):
        for high in range(low, count + 1):
            for missed in (False, True):
                if high == low and not missed:
                    continue
                if high > low:
                    step = steps[high - 1]
                    tiers = [passed.order for passed in steps[low : high - 1]]
                    text = tier_text(step, DUE, tiers, ACCEPT if missed else None, texts)
                    template = notices.AT_RISK if step.at_share < 1 else notices.OVERDUE
                    passed = json.dumps((["accept"] if missed else []) + tiers)
                    head = (step.order, step.role, step.urgent, template, False, passed)
                else:
                    tier = steps[min(low, count - 1)]
                    text = accept_text(tier.role, ACCEPT, texts)
                    head = (None, tier.role, tier.urgent, notices.NOT_ACCEPTED, True, "[]")
                pieces = _pieces(text)
                if pieces is None:
                    return None
                role, urgent = head[1], head[2]
                tail = (role in ESCALATION_AGENCY_ROLES, f":{role}:{int(urgent)}", *pieces)
                rows.append((chain_id, low, high, missed, *head, *tail))
    return rows


def stage_combos(rows: Sequence[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {sql.COMBOS} VALUES ({', '.join(['%s'] * 17)})",  # noqa: S608 - a name from escalation_sql
            rows,
        )


# --- the dialects ----------------------------------------------------------------------------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _share(index: int) -> str:
    """The stored plan's share of step `index` (compared with the chain's: JSON numbers, as Python compares)."""
    return f"a.escalation_due -> {index} -> 0" if _pg() else f"json_extract(a.escalation_due, '$[{index}][0]')"


def _share_matches(index: int) -> str:
    return f"sh{index} = to_jsonb(CAST(%s AS float8))" if _pg() else f"sh{index} = %s"


def _due(index: int) -> str:
    """The stored due time of step `index`, as stored (ISO text)."""
    return f"a.escalation_due -> {index} ->> 1" if _pg() else f"json_extract(a.escalation_due, '$[{index}][1]')"


def _length() -> str:
    if _pg():
        return "CASE WHEN jsonb_typeof(a.escalation_due) = 'array' THEN jsonb_array_length(a.escalation_due) END"
    return "json_array_length(a.escalation_due)"


_DIGITS = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"


def _due_usable(name: str) -> str:
    """A stored due time this planner reads exactly: SQLite, ISO in +07:00 (whole seconds or microseconds) from
    1976; PostgreSQL, any time from 1976."""
    if _pg():
        return f"CAST({name} AS timestamptz) >= '{FROM}T00:00:00+07:00'"
    micro = _DIGITS + ".[0-9][0-9][0-9][0-9][0-9][0-9]"
    return f"({name} GLOB '{_DIGITS}+07:00' OR {name} GLOB '{micro}+07:00') AND {name} >= '{FROM}'"


def _after_now(name: str) -> str:
    """`name` (a stored due time) is after `now` (the statement's parameter)."""
    return f"CAST({name} AS timestamptz) > %s" if _pg() else f"{name} > %s"


def _stored(name: str) -> str:
    """A stored due time as the ORM stores a moment (SQLite: naive UTC text, `str(datetime)`)."""
    if _pg():
        return f"CAST({name} AS timestamptz)"
    fraction = f"CASE WHEN length({name}) = 32 THEN substr({name}, 20, 7) ELSE '' END"
    return f"datetime(substr({name}, 1, 19) || '+07:00') || {fraction}"


def _local_of_due(name: str) -> str:
    """`local_text` of a stored due time: "HH:MM dd/mm/YYYY" in Vietnam's time."""
    if _pg():
        return f"to_char(CAST({name} AS timestamptz) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI DD/MM/YYYY')"
    day = f"substr({name}, 9, 2) || '/' || substr({name}, 6, 2) || '/' || substr({name}, 1, 4)"
    return f"substr({name}, 12, 5) || ' ' || {day}"


def _local_of_moment(name: str) -> str:
    """`local_text` of a moment column (SQLite: the seconds' fraction cut first, as `strftime` truncates)."""
    if _pg():
        return f"to_char({name} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI DD/MM/YYYY')"
    return f"strftime('%%H:%%M %%d/%%m/%%Y', substr({name}, 1, 19), '+7 hours')"


def _iso_of_moment(name: str) -> str:
    """`moment.isoformat()` of a moment column as the sweep reads it (UTC)."""
    if _pg():
        utc = f"({name} AT TIME ZONE 'UTC')"
        fraction = f"CAST(date_part('microseconds', {utc}) AS bigint) %% 1000000"
        micro = f"CASE WHEN {fraction} <> 0 THEN to_char({utc}, '.US') ELSE '' END"
        return f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || {micro} || '+00:00'"
    return f"replace({name}, ' ', 'T') || '+00:00'"


# --- the statements --------------------------------------------------------------------------------------------


def plan_chain(chain_id: int, steps: Sequence[EscalationStep], now: dt.datetime) -> int:
    """Plan the batch's rows of one chain (those it reads exactly, module docstring) into `escalation_rows`: new
    tier, wake-up, accept mark, and what `stage_steps` needs (batch order, old tier, missed acceptance, the step's
    due text). Returns how many rows it planned."""
    count = len(steps)
    table = connection.ops.quote_name(Assignment._meta.db_table)
    now_db = Assignment._meta.get_field("next_escalation_at").get_db_prep_save(now, connection)
    now_due = now if _pg() else now.astimezone(_VN).isoformat()
    columns = ", ".join(f"{_share(i)} AS sh{i}, {_due(i)} AS d{i}" for i in range(count))
    tiers = " ".join(f"WHEN l <= {i} AND {_after_now(f'd{i}')} THEN {i}" for i in range(count))
    usable = " AND ".join(f"{_share_matches(i)} AND {_due_usable(f'd{i}')}" for i in range(count))
    statuses = ", ".join(f"'{status}'" for status in sorted(OPEN_STATUSES))
    since = f"'{FROM}'" if not _pg() else f"'{FROM}T00:00:00+07:00'"
    due_at = "CASE m " + " ".join(f"WHEN {i} THEN d{i}" for i in range(count)) + " END"
    reached = "CASE m " + " ".join(f"WHEN {i + 1} THEN d{i}" for i in range(count)) + " END"
    waiting = "st = 'forwarded' AND ad IS NOT NULL AND ae IS NULL"
    true, false = ("true", "false") if _pg() else ("1", "0")
    statement = (
        f"INSERT INTO {sql.ROWS} (id, level, next_at, accept_at, seq, old_level, missed, chain_id, due) "  # noqa: S608
        f"WITH x AS MATERIALIZED (SELECT b.seq, a.id, a.escalation_level AS l, a.status AS st, "
        f"a.accept_deadline_at AS ad, a.accept_escalated_at AS ae, a.deadline_at AS dl, {_length()} AS n, {columns} "
        f"FROM {sql.BATCH} b JOIN {table} a ON a.id = b.id "
        "WHERE a.escalation_chain_id = %s AND a.escalation_due IS NOT NULL), "
        f"y AS MATERIALIZED (SELECT x.*, CASE WHEN l >= {count} THEN l {tiers} ELSE {count} END AS m, "
        f"CASE WHEN {waiting} AND ad <= %s THEN {true} ELSE {false} END AS missed FROM x "
        f"WHERE st IN ({statuses}) AND l <= {count} AND n >= {count} AND dl >= {since} "
        f"AND (ad IS NULL OR ad >= {since}) AND {usable}), "
        f"z AS MATERIALIZED (SELECT y.*, CASE WHEN m < {count} THEN {_stored(due_at)} END AS step_at, "
        f"CASE WHEN {waiting} AND NOT missed THEN ad END AS accept_at FROM y) "
        "SELECT id, m, CASE WHEN step_at IS NULL THEN accept_at WHEN accept_at IS NULL THEN step_at "
        "WHEN accept_at < step_at THEN accept_at ELSE step_at END, "
        f"CASE WHEN missed THEN %s ELSE ae END, seq, l, missed, %s, "
        f"CASE WHEN m > l THEN {reached} ELSE {_iso_of_moment('ad')} END FROM z"
    )
    params: list[Any] = [chain_id, *([now_due] * count), now_db]
    params += [step.at_share for step in steps]
    params += [now_db, chain_id]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return int(cursor.rowcount)


def stage_steps(url: tuple[str, str]) -> None:
    """The steps of the rows `plan_chain` planned into `escalation_steps` (`escalation_sql.STEP_COLUMNS`), each
    with its combo's text, role, template and group; `url` is the work's page around its id."""
    table = connection.ops.quote_name(Assignment._meta.db_table)
    agencies = connection.ops.quote_name(Agency._meta.db_table)
    moment = {"D": _local_of_due("r.due"), "A": _local_of_moment("a.accept_deadline_at")}

    def slot(kind: str) -> str:
        return f"CASE {kind} WHEN 'D' THEN {moment['D']} WHEN 'A' THEN {moment['A']} ELSE '' END"

    text = f"c.p0 || {slot('c.k1')} || c.p1 || {slot('c.k2')} || c.p2"
    pk = "CAST(a.id AS text)" if _pg() else "CAST(a.id AS TEXT)"
    agency = "CAST(a.agency_id AS text)" if _pg() else "CAST(a.agency_id AS TEXT)"
    statement = (
        f"INSERT INTO {sql.STEPS} (seq, assignment_id, process, subject_id, subject_label, agency_name, "  # noqa: S608
        "deadline, url, text, step, role, due, is_accept, template, urgent, grp, passed, update_id) "
        f"SELECT r.seq, a.id, a.process, a.subject_id, a.subject_label, g.name, {_local_of_moment('a.deadline_at')}, "
        f"%s || {pk} || %s, {text}, c.step, c.role, r.due, c.is_accept, c.template, c.urgent, "
        f"CASE WHEN c.agency_role THEN {agency} ELSE '' END || c.grp_tail, c.passed, NULL "
        f"FROM {sql.ROWS} r JOIN {sql.COMBOS} c ON c.chain_id = r.chain_id AND c.l = r.old_level AND c.m = r.level "
        f"AND c.missed = r.missed JOIN {table} a ON a.id = r.id JOIN {agencies} g ON g.id = a.agency_id "
        "WHERE r.chain_id IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, list(url))
