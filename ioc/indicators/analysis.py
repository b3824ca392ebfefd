"""R2.4: analysis and forecasts of indicator series, vectorised with numpy over all series at once.

Series are the rows of a matrix `Y` (series × periods, oldest first, NaN for a gap). Forecast methods (closed
forms and small fixed parameter grids, no optimiser): naive, seasonal naive, moving average, linear trend, damped
Holt and additive Holt-Winters (only with two full seasons). `forecast()` backtests every method from the last
three origins (mean absolute error of the forecasts up to the next origin), picks per series the best (the simpler
one on a near tie), and gives 80 % / 95 % intervals from the chosen method's backtest errors, widening with √h.
The tests compare the recursions with statsmodels on the same series and parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
METHODS = ("naive", "seasonal_naive", "moving_average", "linear_trend", "damped_holt", "holt_winters")
TREND_METHODS = frozenset({"linear_trend", "damped_holt", "holt_winters"})
BACKTEST_ORIGINS = 3
MA_WINDOW = 6
# A more complex method must beat a simpler one by more than this share of the simpler one's error.
NEAR_TIE = 0.10
Z80, Z95 = 1.2816, 1.96
_HOLT_GRID = np.array(
    [(a, b, p) for a in (0.2, 0.5, 0.8) for b in (0.05, 0.2) for p in (0.8, 0.9, 0.98)], dtype=np.float64
)
_HW_GRID = np.array([(a, b, g) for a in (0.2, 0.5) for b in (0.05, 0.2) for g in (0.1, 0.3)], dtype=np.float64)


# --- descriptive analysis ---------------------------------------------------------------------------------------


def fill_gaps(y: Array) -> Array:
    """Each row's gaps filled with the previous value (the next one at the start); an all-NaN row stays NaN."""
    out = np.array(y, dtype=np.float64, copy=True)
    for j in range(1, out.shape[1]):
        gap = np.isnan(out[:, j])
        out[gap, j] = out[gap, j - 1]
    for j in range(out.shape[1] - 2, -1, -1):
        gap = np.isnan(out[:, j])
        out[gap, j] = out[gap, j + 1]
    return out


def trend_slope(y: Array) -> Array:
    """Least-squares slope per period of each row (NaN-aware)."""
    t = np.arange(y.shape[1], dtype=np.float64)
    mask = ~np.isnan(y)
    n = mask.sum(axis=1)
    tm = np.where(mask, t, 0.0).sum(axis=1) / np.maximum(n, 1)
    ym = np.nansum(y, axis=1) / np.maximum(n, 1)
    dt = np.where(mask, t - tm[:, None], 0.0)
    dy = np.where(mask, y - ym[:, None], 0.0)
    den = (dt * dt).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((n >= 2) & (den > 0), (dt * dy).sum(axis=1) / np.where(den > 0, den, 1.0), np.nan)


def change(y: Array, lag: int) -> Array:
    """Relative change of the last value against `lag` periods before (1: period-on-period; the season: year on
    year), as a fraction; NaN when either is missing or the base is zero."""
    if y.shape[1] <= lag:
        return np.full(y.shape[0], np.nan)
    last, base = y[:, -1], y[:, -1 - lag]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(base != 0, (last - base) / np.abs(np.where(base != 0, base, 1.0)), np.nan)


def ranking(values: Array, *, higher_is_better: bool = True) -> npt.NDArray[np.int64]:
    """1-based rank of each value (1 = best); NaN ranks last."""
    key = np.where(np.isnan(values), -np.inf if higher_is_better else np.inf, values)
    order = np.argsort(-key if higher_is_better else key, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def robust_z(values: Array) -> Array:
    """Robust z-score: (x − median) / (1.4826 · MAD); 0 where the spread is zero."""
    median = np.nanmedian(values)
    mad = 1.4826 * np.nanmedian(np.abs(values - median))
    if not np.isfinite(mad) or mad == 0:
        return np.zeros_like(values)
    return np.asarray((values - median) / mad, dtype=np.float64)


def outliers(values: Array, threshold: float = 3.5) -> npt.NDArray[np.bool_]:
    return np.abs(robust_z(values)) > threshold


# --- forecasting methods: (Y train, horizon, season) -> (series × horizon) -----------------------------------------


def naive(y: Array, h: int, m: int) -> Array:
    return np.repeat(y[:, -1:], h, axis=1)


def seasonal_naive(y: Array, h: int, m: int) -> Array:
    if m < 2 or y.shape[1] < m:
        return np.full((y.shape[0], h), np.nan)
    last_season = y[:, -m:]
    return last_season[:, np.arange(h) % m]


def moving_average(y: Array, h: int, m: int) -> Array:
    window = min(MA_WINDOW, y.shape[1])
    return np.repeat(y[:, -window:].mean(axis=1, keepdims=True), h, axis=1)


def linear_trend(y: Array, h: int, m: int) -> Array:
    n = y.shape[1]
    t = np.arange(n, dtype=np.float64)
    tc = t - t.mean()
    slope = (y - y.mean(axis=1, keepdims=True)) @ tc / (tc @ tc) if n > 1 else np.zeros(y.shape[0])
    intercept = y.mean(axis=1) - slope * t.mean()
    future = np.arange(n, n + h, dtype=np.float64)
    return np.asarray(intercept[:, None] + slope[:, None] * future[None, :], dtype=np.float64)


def holt_run(y: Array, alpha: Array, beta: Array, phi: Array) -> tuple[Array, Array, Array]:
    """Damped Holt over every row × parameter set: level, trend after the last observation and the in-sample
    one-step squared error, each (series × grid). Pre-sample state: level y0, trend y1 − y0 (statsmodels'
    "known" initialisation with those values gives the same recursion)."""
    s, g = y.shape[0], alpha.shape[0]
    level = np.repeat(y[:, :1], g, axis=1)
    trend = np.repeat(y[:, 1:2] - y[:, :1], g, axis=1) if y.shape[1] > 1 else np.zeros((s, g))
    sse = np.zeros((s, g))
    for j in range(y.shape[1]):
        obs = y[:, j : j + 1]
        fitted = level + phi * trend
        sse += (obs - fitted) ** 2
        new_level = alpha * obs + (1 - alpha) * fitted
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    return level, trend, sse


def damped_holt(y: Array, h: int, m: int) -> Array:
    if y.shape[1] < 3:
        return np.full((y.shape[0], h), np.nan)
    alpha, beta, phi = (_HOLT_GRID[:, k] for k in range(3))
    level, trend, sse = holt_run(y, alpha, beta, phi)
    best = np.argmin(sse, axis=1)
    rows = np.arange(y.shape[0])
    steps = np.cumsum(phi[best][:, None] ** np.arange(1, h + 1)[None, :], axis=1)
    return np.asarray(level[rows, best][:, None] + steps * trend[rows, best][:, None], dtype=np.float64)


def hw_initial(y: Array, m: int) -> tuple[Array, Array, Array]:
    """Additive Holt-Winters pre-sample state from the first two seasons: level, trend, m seasonal terms."""
    first, second = y[:, :m].mean(axis=1), y[:, m : 2 * m].mean(axis=1)
    trend = (second - first) / m
    level = first - trend * (m + 1) / 2
    seasonal = y[:, :m] - (level[:, None] + trend[:, None] * np.arange(1, m + 1)[None, :])
    return level, trend, seasonal


def hw_run(y: Array, m: int, alpha: Array, beta: Array, gamma: Array) -> tuple[Array, Array, Array, Array]:
    """Additive Holt-Winters over every row × parameter set: level, trend, the last m seasonal terms (series ×
    grid × m, oldest first) and the in-sample one-step squared error."""
    g = alpha.shape[0]
    level0, trend0, seasonal0 = hw_initial(y, m)
    level = np.repeat(level0[:, None], g, axis=1)
    trend = np.repeat(trend0[:, None], g, axis=1)
    seasonal = np.repeat(seasonal0[:, None, :], g, axis=1)
    sse = np.zeros_like(level)
    for j in range(y.shape[1]):
        obs = y[:, j : j + 1]
        season = seasonal[:, :, 0]
        fitted = level + trend + season
        sse += (obs - fitted) ** 2
        new_level = alpha * (obs - season) + (1 - alpha) * (level + trend)
        new_season = gamma * (obs - level - trend) + (1 - gamma) * season
        trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
        seasonal = np.concatenate([seasonal[:, :, 1:], new_season[:, :, None]], axis=2)
    return level, trend, seasonal, sse


def holt_winters(y: Array, h: int, m: int) -> Array:
    if m < 2 or y.shape[1] < 2 * m:
        return np.full((y.shape[0], h), np.nan)
    alpha, beta, gamma = (_HW_GRID[:, k] for k in range(3))
    level, trend, seasonal, sse = hw_run(y, m, alpha, beta, gamma)
    best = np.argmin(sse, axis=1)
    rows = np.arange(y.shape[0])
    steps = np.arange(1, h + 1, dtype=np.float64)
    season = seasonal[rows, best][:, np.arange(h) % m]
    return np.asarray(
        level[rows, best][:, None] + steps[None, :] * trend[rows, best][:, None] + season, dtype=np.float64
    )


FORECASTERS: dict[str, Callable[[Array, int, int], Array]] = {
    "naive": naive,
    "seasonal_naive": seasonal_naive,
    "moving_average": moving_average,
    "linear_trend": linear_trend,
    "damped_holt": damped_holt,
    "holt_winters": holt_winters,
}


# --- selection --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """Per series: the chosen method, its backtest mean absolute error, the point forecast and the intervals."""

    method: list[str]
    mae: Array
    point: Array
    lo80: Array
    hi80: Array
    lo95: Array
    hi95: Array


def backtest_step(season: int) -> int:
    """Periods between backtest origins, each forecasting that many ahead (monthly: 4; otherwise 1)."""
    return max(1, season // 3)


def backtest_errors(y: Array, m: int) -> Array:
    """Errors (methods × series × points) of forecasts from the last three origins, `backtest_step(m)` periods
    apart, each forecasting up to the next origin; NaN where a method cannot run."""
    n, step = y.shape[1], backtest_step(m)
    origins = [o for o in (n - 3 * step, n - 2 * step, n - step) if o >= 2]
    errors = np.full((len(METHODS), y.shape[0], max(1, len(origins)) * step), np.nan)
    for k, origin in enumerate(origins):
        span = slice(k * step, (k + 1) * step)
        for i, name in enumerate(METHODS):
            errors[i, :, span] = y[:, origin : origin + step] - FORECASTERS[name](y[:, :origin], step, m)
    return errors


def choose(errors: Array) -> tuple[npt.NDArray[np.int64], Array]:
    """Per series the method with the lowest mean absolute error, unless a simpler one is within NEAR_TIE."""
    with np.errstate(invalid="ignore"):
        mae = np.where(np.isnan(errors).any(axis=2), np.inf, np.abs(errors).mean(axis=2))
    best = np.argmin(mae, axis=0)
    cols = np.arange(mae.shape[1])
    bar = mae[best, cols] * (1 + NEAR_TIE) + 1e-12
    for i in range(len(METHODS) - 1, -1, -1):  # the simplest method within the bar wins
        best = np.where(mae[i] <= bar, i, best)
    return best, mae[best, cols]


def forecast(y: Array, *, season: int, horizon: int) -> Forecast:
    """Backtest, choose and forecast every row of `y` (gaps filled forward) `horizon` periods ahead."""
    y = fill_gaps(y)
    errors = backtest_errors(y, season)
    best, mae = choose(errors)
    rows = np.arange(y.shape[0])
    points = np.stack([FORECASTERS[name](y, horizon, season) for name in METHODS])
    point = points[best, rows]
    chosen_errors = errors[best, rows]
    sigma = np.sqrt(np.nanmean(chosen_errors**2, axis=1))
    spread = sigma[:, None] * np.sqrt(np.arange(1, horizon + 1))[None, :]
    return Forecast(
        method=[METHODS[i] for i in best],
        mae=mae,
        point=point,
        lo80=point - Z80 * spread,
        hi80=point + Z80 * spread,
        lo95=point - Z95 * spread,
        hi95=point + Z95 * spread,
    )
