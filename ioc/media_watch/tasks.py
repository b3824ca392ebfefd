"""Huey only wakes the online-information watch up (R5.7, DESIGN "Durable work"): the source rows are the durable
work (due time, lease), the hot-topic state is `HotState`, and each task is safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ioc.accounts.selectors import system_account
from ioc.media_watch.services import (
    answer_indicators_compute,
    hot_topics_evaluate,
    sources_collect_due,
    watchlist_items_purge,
)


@db_periodic_task(crontab(minute="*"))
def collect_sources() -> int:
    """Every minute: sources due by `next_run_at`, or whose lease expired."""
    return sources_collect_due()


@db_periodic_task(crontab(minute="*/5"))
def evaluate_hot_topics() -> int:
    """Every 5 minutes: hot topics and watched names raised, repeated or resolved (within 5 minutes of collection)."""
    return hot_topics_evaluate().raised


@db_periodic_task(crontab(minute="17", hour="2"))
def purge_watchlist_items() -> int:
    """Nightly: items naming someone on a watch list, past the list's retention (Nghị định 13/2023/NĐ-CP)."""
    return watchlist_items_purge()


@db_periodic_task(crontab(minute="40", hour="1"))
def recompute_answer_indicators() -> int:
    """R5.7: every night (as dossiers recomputes its 766 scores), the answer indicators of the current month and the
    one before (answers to last month's forwarded items arrive later); the values stored."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return sum(answer_indicators_compute(month=day, actor=system_account())[0] for day in (last_month, today))
