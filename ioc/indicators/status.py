"""R2.3: a value's status against its target — met, at risk, not met — by the indicator's direction.

Higher is better: met at or above the target, at risk within `tolerance` (a share of the target) below it, else not
met; lower is better mirrors it; a range is met inside [low, high] and at risk within the tolerance outside.
"""

from __future__ import annotations

from ioc.indicators.choices import Direction, Status


def status_of(
    *,
    direction: str,
    value: float,
    target: float | None,
    tolerance: float = 0.05,
    range_low: float | None = None,
    range_high: float | None = None,
) -> str:
    if direction == Direction.RANGE:
        if range_low is None or range_high is None:
            return Status.NO_TARGET
        slack = tolerance * max(abs(range_high - range_low), 1e-9)
        if range_low <= value <= range_high:
            return Status.MET
        near = range_low - slack <= value <= range_high + slack
        return Status.AT_RISK if near else Status.NOT_MET
    if target is None:
        return Status.NO_TARGET
    slack = tolerance * abs(target)
    gap = (target - value) if direction == Direction.HIGHER else (value - target)
    if gap <= 0:
        return Status.MET
    return Status.AT_RISK if gap <= slack else Status.NOT_MET
