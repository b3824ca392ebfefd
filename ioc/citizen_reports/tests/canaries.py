"""R3.4, R7.5: the canary matcher shared by the public privacy tests and the canary crawl (ioc/web/tests).

Test data of citizens uses canary contacts: e-mails `…@canary.invalid`, phones `0900000…`, reporter names ending
in "Canary". None of them may reach a public body, whatever its format: HTML (entities), JSON (`\\u` escapes), XML.
"""

from __future__ import annotations

import html
import json
import re

CANARIES = ("canary.invalid", "0900000", "090 000 0", "090.000.0", "+84900000", "canary")
# A phone canary starts a number: not inside another one (a float in /metrics, 0.0053840900000068, held "0900000").
_PATTERNS = [
    (canary, re.compile(("(?<![0-9.])" if canary[0].isdigit() else "") + re.escape(canary))) for canary in CANARIES
]
_JSON_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")


def _readings(body: str) -> list[str]:
    """The body as sent, with HTML entities resolved, and with JSON `\\uXXXX` escapes resolved."""
    readings = [body, html.unescape(body)]
    if _JSON_ESCAPE.search(body):
        readings.append(_JSON_ESCAPE.sub(lambda m: json.loads(f'"{m.group(0)}"'), body))
    return readings


def canary_leaks(body: bytes | str) -> list[str]:
    """The canaries found in a response body (case-insensitive), each with a little of its context."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    found = []
    for reading in _readings(text):
        lowered = reading.lower()
        for canary, pattern in _PATTERNS:
            match = pattern.search(lowered)
            if match:
                at = match.start()
                found.append(f"{canary!r} in …{reading[max(0, at - 40) : at + 40]!r}…")
    return sorted(set(found))
