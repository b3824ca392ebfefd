"""Reference copies across processes (issue 16 part 3, DESIGN "Scale path"): a change made through one web server
is seen by every process of the other within the copies' recheck interval (`ioc.common.refcache`), so no process
relies on what it loaded earlier.

After the load, the administrator retires a category of its own on the first web server (the configuration page,
`category_update`, which calls `CATEGORIES.changed()`); the last web server's Open311 service definition reads the
category through its process's `RefCache` copy and must answer 404 from every one of its workers within the recheck
interval (plus two seconds for the requests themselves: the time is taken when a poll's answer arrives, and one
answer takes up to a second on a loaded machine). Measured from the retire's answer to the first of `STREAK` 404s in
a row (a worker whose copy lags answers 200 and breaks the streak).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from typing import Any

from bench.load.pages import page_call, session_for
from bench.load.registry import Target

CODE = "crash-refcache"
STREAK = 8  # consecutive 404s: each of the server's workers (WEB_CONCURRENCY 2) answered several of them
POLL = 0.1


def prepare(world: dict[str, Any]) -> dict[str, Any]:
    """In-process: the category the check retires (used by nothing else), the administrator's session."""
    from ioc.accounts.testing import system_actor
    from ioc.agencies.models import Agency
    from ioc.citizen_reports import services
    from ioc.common.refcache import RECHECK_SECONDS

    category = services.category_create(
        actor=system_actor(),
        code=CODE,
        name="Phép thử bản sao tham chiếu",
        group="Hạ tầng giao thông",
        default_agency=Agency.objects.get(pk=world["agency_a"]),
        evidence_photo_required=False,
    )
    admin = session_for("persona-admin")
    return {"refcache_category": category.pk, "refcache_admin": admin, "refcache_recheck": RECHECK_SECONDS}


def _status(target: Target) -> int:
    """The public service definition's status (anonymous, as any citizen's app asks), 0 when no answer."""
    try:
        with urllib.request.urlopen(f"{target.base}/open311/v2/services/{CODE}.json", timeout=target.timeout) as got:
            return int(got.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (OSError, ValueError, http.client.HTTPException):
        return 0


def lag(first: Target, last: Target) -> dict[str, Any]:
    """Seconds from the retire through `first` until `last` answers 404 from every worker, and the bound."""
    world = first.world
    bound = float(world["refcache_recheck"]) + 2.0
    warm = [_status(last) for _i in range(STREAK)]  # every worker of `last` loads its copy of the active category
    path = f"/quan-tri/phan-anh/linh-vuc/{world['refcache_category']}/trang-thai/"
    answer = page_call(first, "POST", path, world["refcache_admin"], {"is_active": "0"})
    retired = time.monotonic()
    streak_from, streak, statuses = None, 0, []
    while time.monotonic() - retired < 3 * bound and streak < STREAK:
        status = _status(last)
        statuses.append(status)
        if status == 404:
            streak_from = streak_from if streak else time.monotonic()
            streak += 1
        else:
            streak_from, streak = None, 0
        time.sleep(POLL)
    seconds = None if streak_from is None or streak < STREAK else round(streak_from - retired, 2)
    return {
        "retire": answer[0] if answer else 0,
        "warm": warm,
        "seconds": seconds,
        "bound": bound,
        "polls": len(statuses),
        "ok": bool(answer and answer[0] == 302 and set(warm) == {200} and seconds is not None and seconds <= bound),
    }
