"""The load mix's write path of the indicators' recurring data calls (R2.6, issue 13): the operator's page that
creates a rule (`call_rule_create`), then ends it (`call_rule_end`) so the next rule of the same indicator, agency
and period type is not refused as a duplicate; kept out of registry.py (its size) and registered by pages.py.

A rule acknowledged but not ended (a kill between the two posts) is ended before the next one is created, as
pages.py does for sharing requests.
"""

from __future__ import annotations

import threading
from typing import Any

from bench.load.pages import _created_pk, page_call, session_for
from bench.load.registry import Domain, Expect, Target, WritePath, _extra_rows, register

RULES_PATH = "/chi-so/cau-hinh/dinh-ky/"
INDICATOR = "crash_revenue"  # made by the indicators domain's prepare (registry.py)

_PENDING: set[int] = set()
_LOCK = threading.Lock()


def _rules_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.agencies.models import Agency

    agency = Agency.objects.get(pk=world["agency_a"])
    return {"rules_author": session_for("persona-operator"), "rules_agency": agency.code}


def _end(target: Target, pk: int, marker: str) -> bool:
    answer = page_call(target, "POST", f"{RULES_PATH}{pk}/ket-thuc/", target.world["rules_author"], {"reason": marker})
    return answer is not None and answer[0] == 302


def _rules_send(target: Target, n: int) -> Expect | None:
    with _LOCK:
        stale = sorted(_PENDING)
    for stale_pk in stale:
        if _end(target, stale_pk, "[tải trước]"):
            with _LOCK:
                _PENDING.discard(stale_pk)
    marker = f"[tải {n}]"
    form = {
        "indicator": INDICATOR, "agency": target.world["rules_agency"], "period_type": "month", "first_period": "",
        "open_after_days": "0", "working_days": str(1 + n % 10), "note": f"Định kỳ thử {marker}",
    }  # fmt: skip
    pk = _created_pk(page_call(target, "POST", RULES_PATH, target.world["rules_author"], form), r"#rule-(\d+)$")
    if pk is None:
        return None
    ended = _end(target, pk, marker)
    if not ended:
        with _LOCK:
            _PENDING.add(pk)
    return Expect("indicators.call_rule", str(pk), {"marker": marker, "days": 1 + n % 10, "ended": ended})


def _rules_check(expect: Expect) -> str:
    from ioc.indicators.models import CallRule

    rule = CallRule.objects.select_related("indicator").filter(pk=int(expect.key)).first()
    if rule is None:
        return "no call rule"
    if not rule.note.endswith(expect.row["marker"]) or rule.working_days != expect.row["days"]:
        return f"call rule incomplete: {rule.note!r} {rule.working_days}"
    if expect.row["ended"] and (rule.status != "ended" or rule.ended_at is None):
        return f"end not stored: {rule.status}"
    return ""


register(
    Domain(
        name="indicator_rules",
        prepare=_rules_prepare,
        writes=(WritePath("indicators.call_rule", 1, _rules_send),),
        check=_rules_check,
        doubled=lambda expect: _extra_rows("indicators.CallRule", note__endswith=expect.row["marker"]),
        public=(),  # staff pages only
    )
)
