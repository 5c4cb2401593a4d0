"""Job centres compared on equal terms: actual against expected given framework conditions.

* **Level compared.** For a count, the goal's figure per 1.000 residents aged 16-66
  (the measure marked ``population: true``); for a share, the share itself.
* **Framework figures** are yearly and published after their year ends: a report
  uses, for each area, the latest year published by its cut-off (for a meeting in
  2013, 2012's figures), and names that year. A job centre's population is the sum
  of its municipalities'; its framework shares are weighted by population.
* **Expected.** From the goal's ``expected_measure`` in the data where given
  (jobindsats publishes one, table Y30R21); otherwise estimated by an ordinary
  least-squares regression, across all the council's job centres, of the level
  on the framework-condition figures (measures with ``framework: true``), for
  the same period. The fit (R², coefficients) is shown with the results.
* **Actual ÷ expected** per job centre, and its rank (1 = best given the goal's
  direction) on the ratio *as shown* (two decimals, :func:`figures.ratio`): job centres
  showing the same ratio share the best of their ranks and the next ranks are skipped. An expected level at or below
  zero (a regression can extrapolate there) is *not meaningful*: no ratio. An
  expected level below a quarter of the median expected level is *uncertain*: the
  ratio is shown, flagged, and not ranked. Flagged job centres are left out of the
  rank, the named best and worst, and the spread.
* **Cluster average**: the plain mean of the levels of the job centres in the cluster
  (each job centre counts once); a job centre against it is its level ÷ that mean.
* **Spread not explained by framework conditions**: the interquartile range (the
  75th minus the 25th percentile, linear interpolation between the ordered values) and
  the sample standard deviation (n − 1) of actual ÷ expected across the ranked job
  centres, year by year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from councilbook.analysis.series import yearly_by_jobcentre
from councilbook.core import figures as fig
from councilbook.data.ingest import Dataset
from councilbook.parameters.model import Goal, Parameters, is_share, share_weight

UNCERTAIN_BELOW_MEDIAN = 0.25  # an expected level below this share of the median expected level is uncertain
FLAG_NOT_MEANINGFUL = "not_meaningful"
FLAG_UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Fit:
    method: str  # "expected_measure", "regression" or "none" (no framework figures in the data)
    r2: float
    coefficients: dict[str, float]
    n: int

    def as_dict(self) -> dict[str, object]:
        """The fit for JSON, R² as shown (two decimals)."""
        return {
            "method": self.method,
            "r2_ratio": fig.ratio(self.r2).json,
            "coefficients": self.coefficients,
            "n": self.n,
        }


def population_measure(params: Parameters) -> str | None:
    found = [m.id for m in params.measures.values() if m.population]
    return found[0] if found else None


def explanatory_measures(params: Parameters) -> list[str]:
    return [m.id for m in params.measures.values() if m.framework and not m.population]


def jobcentre_framework(params: Parameters, dataset: Dataset, year: int) -> tuple[pd.DataFrame, set[int]]:
    """Framework figures per job centre (rows) as published by ``dataset``'s cut-off, up to ``year``:
    population and explanatory measures; and the years the figures are from. The same for every goal: made
    once per year and cut-off (a meeting's eight goals over fifteen years ask 120 times for 15)."""
    measures = tuple(
        (m.id, m.kind, m.population, m.framework, share_weight(m, params.measures) if m.kind == "share" else None)
        for m in params.measures.values()
        if m.framework or m.population
    )
    areas = tuple((jc.id, jc.area_key, tuple(jc.codes)) for jc in params.council.job_centres)
    frame, years = dataset.derived(
        ("jobcentre_framework", year, measures, areas), lambda: _jobcentre_framework(params, dataset, year)
    )
    return frame.copy(), set(years)


def _jobcentre_framework(params: Parameters, dataset: Dataset, year: int) -> tuple[pd.DataFrame, set[int]]:
    pop_id = population_measure(params)
    columns: dict[str, pd.Series] = {}
    years: set[int] = set()
    for name, measure_id in ([("population", pop_id)] if pop_id else []) + [
        (m, m) for m in explanatory_measures(params)
    ]:
        assert measure_id is not None
        columns[name], used = yearly_by_jobcentre(params, dataset, measure_id, year)
        years |= used
    frame = pd.DataFrame(columns, index=[jc.id for jc in params.council.job_centres])
    return frame, years


def fit_expected(levels: pd.Series, framework: pd.DataFrame, columns: list[str]) -> tuple[pd.Series, Fit]:
    """OLS of the level on the framework figures; returns the fitted (expected) levels and the fit."""
    data = pd.concat([levels.rename("y"), framework[columns]], axis=1).dropna()
    n, k = len(data), len(columns)
    if n < k + 3 or not columns:
        method = "regression" if columns else "none"  # "none": no framework measures to regress on
        return pd.Series(math.nan, index=levels.index), Fit(method, math.nan, {}, n)
    x = np.column_stack([np.ones(n), data[columns].to_numpy(dtype=float)])
    y = data["y"].to_numpy(dtype=float)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    fitted = x @ beta
    ss_res = float(((y - fitted) ** 2).sum())
    ss_tot = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - ss_res / ss_tot if ss_tot else math.nan
    expected = pd.Series(math.nan, index=levels.index)
    expected.loc[data.index] = fitted
    coefficients = {"konstant": float(beta[0])} | {c: float(b) for c, b in zip(columns, beta[1:], strict=True)}
    return expected, Fit("regression", r2, coefficients, n)


def _levels(actual: pd.Series, framework: pd.DataFrame, share: bool) -> pd.Series:
    if share or "population" not in framework:
        return actual
    return actual / framework["population"] * 1000


@dataclass(frozen=True)
class Adjusted:
    table: pd.DataFrame  # per job centre
    fit: Fit
    framework_years: tuple[int, ...] = ()  # the years of framework figures used


def flag_expected(expected: pd.Series) -> pd.Series:
    """Per job centre: "" (a usable expected level), "not_meaningful" (≤ 0) or "uncertain" (tiny)."""
    values = expected.to_numpy(dtype=float)
    positive = values[values > 0]  # NaN is neither
    floor = UNCERTAIN_BELOW_MEDIAN * float(np.median(positive)) if len(positive) else math.nan
    flags = np.where(values <= 0, FLAG_NOT_MEANINGFUL, np.where((values > 0) & (values < floor), FLAG_UNCERTAIN, ""))
    return pd.Series(flags, index=expected.index, dtype=object)


def compute_adjusted(
    params: Parameters,
    dataset: Dataset,
    goal: Goal,
    actual: pd.Series,
    expected_actual: pd.Series | None,
    year: int,
) -> Adjusted:
    """Actual ÷ expected per job centre for one goal and period.

    ``actual`` holds the goal's figure per job centre id; ``expected_actual`` the same for the
    goal's expected measure where the data have one. ``dataset`` is cut at the report's cut-off, so
    the framework figures are those published by then.
    """
    share = is_share(goal, params.measures[goal.measure])
    framework, years = jobcentre_framework(params, dataset, year)
    levels = _levels(actual, framework, share)
    if expected_actual is not None and expected_actual.notna().any():
        expected = _levels(expected_actual, framework, share)
        both = pd.concat([levels, expected], axis=1).dropna()
        r2 = float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] ** 2) if len(both) > 2 else math.nan
        fit = Fit("expected_measure", r2, {}, len(both))
    else:
        expected, fit = fit_expected(levels, framework, explanatory_measures(params))
    expected = expected.reindex(levels.index)
    flags = flag_expected(expected).where(levels.notna(), "")
    ratio = (levels / expected).where(flags != FLAG_NOT_MEANINGFUL)
    ranked = shown_ratios(ratio.where(flags == ""))
    good = -ranked if goal.better == "lower" else ranked
    clusters = {jc.id: jc.cluster for jc in params.council.job_centres}
    table = pd.DataFrame(
        {
            "jobcentre_id": levels.index,
            "jobcentre": [jc.name for jc in params.council.job_centres if jc.id in levels.index],
            "cluster": [clusters[i] for i in levels.index],
            "level": levels.to_numpy(dtype=float),
            "expected": expected.to_numpy(dtype=float),
            "actual_over_expected": ratio.to_numpy(dtype=float),
            "flag": flags.to_numpy(dtype=object),
            "adjusted_rank": good.rank(ascending=False, method="min").astype("Int64").to_numpy(),
        }
    )
    cluster_mean = table.groupby("cluster")["level"].transform("mean")
    table["cluster_average"] = cluster_mean
    table["vs_cluster"] = table["level"] / cluster_mean
    return Adjusted(table.reset_index(drop=True), fit, tuple(sorted(years)))


def shown_ratios(ratios: pd.Series) -> pd.Series:
    """The ratios as shown (two decimals, rounded half up): what the ranking goes by, so that job centres
    showing the same ratio share a rank."""
    return ratios.map(lambda value: fig.ratio(value).rounded).astype(float)


def dispersion(ratios: pd.Series) -> dict[str, float]:
    """n, the interquartile range (linear interpolation) and the sample standard deviation of the ratios."""
    values = ratios.dropna()
    if len(values) < 2:
        return {"n": float(len(values)), "iqr": math.nan, "sd": math.nan}
    return {
        "n": float(len(values)),
        "iqr": float(values.quantile(0.75) - values.quantile(0.25)),
        "sd": float(values.std(ddof=1)),
    }
