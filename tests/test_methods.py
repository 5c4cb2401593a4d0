"""Forecast, XmR and framework adjustment on small hand-computable series, and their properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilbook.analysis import benchmark, forecast, spc
from councilbook.analysis.aggregation import aggregate
from councilbook.analysis.status import GoalFigures, classify_status
from councilbook.core import figures as fig
from councilbook.core.periods import Span, month


def monthly(start: str, values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype=float)


def test_forecast_sum_scales_last_years_profile() -> None:
    values = monthly("2020-01", [10.0] * 12 + [12.0, 12.0, 12.0])
    # three months at 12 against 10 last year: scale 1,2; the rest of the year 9 x 10 x 1,2
    assert forecast.forecast_figure(values, None, "sum", 2021, 3) == pytest.approx(36 + 9 * 12)
    assert forecast.forecast_figure(values, None, "average", 2021, 3) == pytest.approx(12)


def test_forecast_keeps_the_seasonal_profile() -> None:
    last = [10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20]
    values = monthly("2020-01", [float(v) for v in last] + [5.0] * 6)
    # this year at half of last year: the second half forecast at 10 a month
    assert forecast.forecast_figure(values, None, "sum", 2021, 6) == pytest.approx(30 + 60)


def test_forecast_end_of_period_and_ratio() -> None:
    values = monthly("2020-01", [100.0] * 4 + [100.0] + [90.0] * 6 + [80.0] + [105.0] * 5)
    # December last year 80; May now 105 against May last year 100: December forecast 84
    assert forecast.forecast_figure(values, None, "end_of_period", 2021, 5) == pytest.approx(84)
    num = monthly("2020-01", [10.0] * 12 + [11.0, 11.0])
    den = monthly("2020-01", [100.0] * 12 + [100.0, 100.0])
    # numerator scaled 1,1, denominator 1,0: 11 %
    assert forecast.forecast_figure(num, den, "ratio", 2021, 2) == pytest.approx(11.0)


def test_backtest_and_range() -> None:
    # every year 10 % above the year before, same profile: the method is exact, error 0
    profile = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
    values = monthly("2017-01", [p * 1.1**year for year in range(5) for p in profile])
    result = forecast.compute_forecast(
        values.loc[: pd.Period("2021-04", "M")], None, "sum", 2021, pd.Period("2021-04", "M")
    )
    assert result.backtest == pytest.approx({2018: 0.0, 2019: 0.0, 2020: 0.0}, abs=1e-9)
    assert result.value == pytest.approx(sum(profile) * 1.1**4)
    assert (result.low, result.high) == pytest.approx((result.value, result.value))
    assert result.periods_observed == 4 and result.periods_in_year == 12


def test_range_from_backtest_errors() -> None:
    # 2019: +10 % in the second half (error -?); check the range is value x (1 +- mean |error|)
    values = monthly("2018-01", [10.0] * 12 + [10.0] * 6 + [11.0] * 6 + [10.0] * 3)
    result = forecast.compute_forecast(values, None, "sum", 2020, pd.Period("2020-03", "M"))
    error_2019 = (120 - 126) / 126 * 100
    assert result.backtest == pytest.approx({2019: error_2019})
    assert result.typical_error == pytest.approx(abs(error_2019))
    assert result.low == pytest.approx(result.value * (1 - abs(error_2019) / 100))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(min_value=1, max_value=1e5), min_size=24, max_size=24),
    st.sampled_from(["sum", "average", "end_of_period"]),
)
def test_forecast_for_december_is_the_actual_once_december_is_in(values: list[float], aggregation: str) -> None:
    series = monthly("2020-01", values)
    result = forecast.compute_forecast(series, None, aggregation, 2021, pd.Period("2021-12", "M"))
    assert result.value == pytest.approx(aggregate(series, None, aggregation, Span(month(2021, 1), month(2021, 12))))
    assert result.typical_error == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=1, max_value=1e5), min_size=24, max_size=24), st.integers(1, 11))
def test_forecast_never_reads_past_the_cutoff(values: list[float], k: int) -> None:
    series = monthly("2020-01", values)
    cutoff = pd.Period(f"2021-{k:02d}", "M")
    changed = series.copy()
    changed[changed.index > cutoff] = 999_999.0
    assert forecast.forecast_figure(series, None, "sum", 2021, k) == forecast.forecast_figure(
        changed, None, "sum", 2021, k
    )


def shown(forecast: float, target: float, low: float, high: float, better: str = "higher") -> GoalFigures:
    """A count goal's figures as shown, from a forecast and its range against a target."""
    q = {name: fig.level(value, share=False) for name, value in locals().items() if isinstance(value, float)}
    return GoalFigures(
        baseline=fig.level(math.nan, False),
        target=q["target"],
        actual=q["forecast"],
        last_year=q["forecast"],
        change=fig.change(q["forecast"], q["forecast"]),
        forecast=q["forecast"],
        low=q["low"],
        high=q["high"],
        gap=fig.gap(q["forecast"], q["target"], better),
        comparable_target=q["target"],
    )


def test_status_with_forecast_range() -> None:
    # short of the target by 5 % with a 2 % tolerance: off track, unless the range reaches the target
    assert classify_status(shown(95.0, 100.0, 94.0, 96.0), "higher", False, 2.0, True) == "off_track"
    assert classify_status(shown(95.0, 100.0, 90.0, 100.0), "higher", False, 2.0, True) == "at_risk"
    assert classify_status(shown(98.0, 100.0, 97.0, 99.0), "higher", False, 2.0, True) == "at_risk"
    assert classify_status(shown(95.0, 100.0, 95.0, 95.0), "higher", True, 2.0, True) == "not_attained"
    assert classify_status(shown(100.0, 100.0, 100.0, 100.0), "higher", True, 2.0, True) == "attained"


def test_status_compares_the_figures_as_shown() -> None:
    """Point 11: a forecast of 15,96 % reads 16,0 % against a target of "mindst 16,0 %": on track."""
    figures = GoalFigures(
        *[fig.level(v, share=True) for v in (15.0, 16.0, 15.5, 15.0)],
        change=fig.change(fig.level(15.5, True), fig.level(15.0, True)),
        forecast=fig.level(15.96, True),
        low=fig.level(15.9, True),
        high=fig.level(16.02, True),
        gap=fig.gap(fig.level(15.96, True), fig.level(16.0, True), "higher"),
        comparable_target=fig.level(16.0, True),
    )
    assert figures.forecast.text == "16,0\u00a0%" and figures.gap.text == "±0,0 pct.-point"
    assert classify_status(figures, "higher", False, 1.0, True) == "on_track"


def test_xmr_limits_by_hand() -> None:
    points = monthly("2020-01", [10.0, 12.0] * 6)  # centre 11, mean moving range 2
    xmr = spc.compute_xmr(points, pd.Period("2020-12", "M"), "higher")
    assert xmr is not None
    assert (xmr.centre, xmr.lower, xmr.upper) == pytest.approx((11, 11 - 2.66 * 2, 11 + 2.66 * 2))
    assert xmr.signals == []  # the usual up and down: noise


def test_xmr_signals() -> None:
    base = [10.0, 12.0] * 6
    after = [11.5, 11.6, 11.7, 11.8, 11.9, 12.0, 12.1, 17.0]  # 7 rising, 7+ above the centre, one outside
    xmr = spc.compute_xmr(monthly("2020-01", base + after), pd.Period("2020-12", "M"), "lower")
    kinds = {(s.kind, str(s.first), str(s.last), s.judgement) for s in xmr.signals}
    assert ("outside", "2021-08", "2021-08", "concern") in kinds  # higher is worse here
    assert ("run", "2020-12", "2021-08", "concern") in kinds or ("run", "2021-01", "2021-08", "concern") in kinds
    assert any(k[0] == "trend" and k[3] == "concern" for k in kinds)


def test_xmr_needs_ten_points() -> None:
    assert spc.compute_xmr(monthly("2020-01", [1.0] * 9), pd.Period("2020-12", "M"), "lower") is None


def test_regression_against_numpy_polyfit() -> None:
    rng = np.random.default_rng(1)
    x = pd.Series(rng.uniform(10, 40, 30), index=[f"jc{i}" for i in range(30)])
    y = 2.0 + 0.5 * x + rng.normal(0, 1, 30)
    expected, fit = benchmark.fit_expected(y, pd.DataFrame({"andel": x}), ["andel"])
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.coefficients == pytest.approx({"konstant": intercept, "andel": slope})
    assert expected.to_numpy() == pytest.approx((intercept + slope * x).to_numpy())
    assert fit.r2 == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2)


def test_regression_needs_enough_job_centres() -> None:
    expected, fit = benchmark.fit_expected(pd.Series([1.0, 2.0]), pd.DataFrame({"a": [1.0, 2.0]}), ["a"])
    assert expected.isna().all() and math.isnan(fit.r2)


def test_dispersion() -> None:
    result = benchmark.dispersion(pd.Series([0.8, 0.9, 1.0, 1.1, 1.2]))
    assert result["iqr"] == pytest.approx(0.2)
    assert result["sd"] == pytest.approx(np.std([0.8, 0.9, 1.0, 1.1, 1.2], ddof=1))


def test_ranking_on_equal_terms_goes_by_the_ratio_as_shown() -> None:
    """Job centres showing the same 0,89 share the best rank, and the next rank is skipped (issue 28)."""
    from types import SimpleNamespace

    from conftest import MINI

    from councilbook.project.load import load_project
    from councilbook.text.present import adjusted_table

    project = load_project(MINI / "parameters", MINI / "data")
    params = project.params
    goal = params.contracts[2021].goals[0]  # a count, lower is better
    ids = [jc.id for jc in params.council.job_centres]
    # Actual ÷ expected 0,8851, 0,8949 and 1,0: shown 0,89, 0,89 and 1,00.
    actual = pd.Series([885.1, 894.9, 1000.0], index=ids)
    adjusted = benchmark.compute_adjusted(params, project.dataset, goal, actual, pd.Series(1000.0, index=ids), 2021)
    table = adjusted_table(adjusted.table, goal, SimpleNamespace(share=False), "")
    shown = {row[0]: (row[4].split()[0], row[5]) for row in table.rows}
    names = [jc.name for jc in params.council.job_centres]
    assert shown == {names[0]: ("0,89", "1."), names[1]: ("0,89", "1."), names[2]: ("1,00", "3.")}


def test_the_fit_publishes_r2_as_shown() -> None:
    assert benchmark.Fit("regression", 0.123456789, {}, 30).as_dict()["r2_ratio"] == 0.12
    assert benchmark.Fit("regression", math.nan, {}, 2).as_dict()["r2_ratio"] is None
