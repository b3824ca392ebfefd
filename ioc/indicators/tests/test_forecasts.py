"""R2.4: the numpy forecasts — agreement with statsmodels on the same series and parameters, selection on series
of known shape, intervals, and the descriptive analysis (trend, changes, ranking, robust z-score outliers)."""

import warnings

import numpy as np
import pytest
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from ioc.indicators import analysis

RNG = np.random.default_rng(13)
T = np.arange(36, dtype=np.float64)


def test_damped_holt_matches_statsmodels():
    y = 50 + 1.5 * T + RNG.normal(0, 2, 36)
    alpha, beta, phi = np.array([0.5]), np.array([0.2]), np.array([0.9])
    level, trend, _sse = analysis.holt_run(y[None, :], alpha, beta, phi)
    ours = level[0, 0] + np.cumsum(phi[0] ** np.arange(1, 7)) * trend[0, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            initialization_method="known",
            initial_level=y[0],
            initial_trend=y[1] - y[0],
        ).fit(smoothing_level=0.5, smoothing_trend=0.2, damping_trend=0.9, optimized=False)
    np.testing.assert_allclose(ours, model.forecast(6), rtol=1e-9)


def test_holt_winters_matches_statsmodels():
    y = 100 + 0.5 * T + 10 * np.sin(2 * np.pi * T / 12) + RNG.normal(0, 1, 36)
    m = 12
    alpha, beta, gamma = np.array([0.3]), np.array([0.1]), np.array([0.2])
    level, trend, seasonal, _sse = analysis.hw_run(y[None, :], m, alpha, beta, gamma)
    steps = np.arange(1, 7)
    ours = level[0, 0] + steps * trend[0, 0] + seasonal[0, 0][(steps - 1) % m]
    l0, b0, s0 = analysis.hw_initial(y[None, :], m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y,
            trend="add",
            seasonal="add",
            seasonal_periods=m,
            initialization_method="known",
            initial_level=l0[0],
            initial_trend=b0[0],
            initial_seasonal=s0[0],
        ).fit(smoothing_level=0.3, smoothing_trend=0.1, smoothing_seasonal=0.2, optimized=False)
    np.testing.assert_allclose(ours, model.forecast(6), rtol=1e-9)


def test_linear_trend_matches_least_squares():
    y = 3 + 0.7 * T + RNG.normal(0, 1, 36)
    slope, intercept = np.polyfit(T, y, 1)
    np.testing.assert_allclose(analysis.linear_trend(y[None, :], 3, 12)[0], intercept + slope * np.arange(36, 39))


def test_a_trend_picks_a_trend_model_and_flat_noise_mostly_does_not():
    trend = 10 + 2 * T + RNG.normal(0, 1, (40, 36))
    flat = 50 + RNG.normal(0, 3, (40, 36))
    picked_trend = analysis.forecast(trend, season=12, horizon=6).method
    picked_flat = analysis.forecast(flat, season=12, horizon=6).method
    assert all(method in analysis.TREND_METHODS for method in picked_trend)
    assert sum(method in analysis.TREND_METHODS for method in picked_flat) <= len(picked_flat) / 5


def test_a_seasonal_series_picks_a_seasonal_model():
    seasonal = 100 + 10 * np.sin(2 * np.pi * T / 12) + RNG.normal(0, 1, (20, 36))
    picked = analysis.forecast(seasonal, season=12, horizon=6).method
    assert set(picked) <= {"seasonal_naive", "holt_winters"}


def test_seasonal_models_need_two_full_seasons():
    short = (100 + 10 * np.sin(2 * np.pi * T[:20] / 12))[None, :]
    assert np.isnan(analysis.holt_winters(short, 3, 12)).all()
    result = analysis.forecast(short, season=12, horizon=3)
    assert result.method[0] != "holt_winters"


def test_intervals_are_nested_and_widen():
    y = 50 + RNG.normal(0, 3, (5, 36))
    f = analysis.forecast(y, season=12, horizon=6)
    assert (f.lo95 <= f.lo80).all() and (f.lo80 <= f.point).all() and (f.point <= f.hi80).all()
    assert (f.hi80 <= f.hi95).all()
    width = f.hi95 - f.lo95
    assert (np.diff(width, axis=1) >= 0).all()
    assert (f.mae >= 0).all()


def test_descriptive_analysis():
    y = np.array([[1.0, 2.0, 3.0, 4.0, np.nan, 6.0]])
    assert analysis.trend_slope(y)[0] == pytest.approx(1.0)
    assert analysis.change(np.array([[2.0, 3.0]]), 1)[0] == pytest.approx(0.5)
    assert np.isnan(analysis.change(np.array([[0.0, 3.0]]), 1)[0])
    assert analysis.ranking(np.array([5.0, 9.0, np.nan, 1.0])).tolist() == [2, 1, 4, 3]
    assert analysis.ranking(np.array([5.0, 9.0, 1.0]), higher_is_better=False).tolist() == [2, 3, 1]
    values = np.array([10.0, 11.0, 9.5, 10.5, 10.2, 40.0])
    assert analysis.outliers(values).tolist() == [False, False, False, False, False, True]
    assert analysis.fill_gaps(np.array([[np.nan, 1.0, np.nan, 3.0]])).tolist() == [[1.0, 1.0, 1.0, 3.0]]
