"""Job centres compared on equal terms: actual against expected given framework conditions.

* **Level compared.** For a count, the goal's figure per 1.000 residents aged 16-66
  (the measure marked ``population: true``); for a share, the share itself.
* **Expected.** From the goal's ``expected_measure`` in the data where given
  (jobindsats publishes one, table Y30R21); otherwise estimated by an ordinary
  least-squares regression, across all the council's job centres, of the level
  on the framework-condition figures (measures with ``framework: true``), for
  the same period. The fit (R², coefficients) is shown with the results.
* **Actual ÷ expected** per job centre, and its rank (1 = best given the goal's
  direction); each job centre against the average of its cluster.
* **Spread not explained by framework conditions**: the interquartile range and
  the standard deviation of actual ÷ expected across job centres, year by year.

Job centres' framework figures: population summed over their municipalities;
shares averaged weighted by population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ingest import Dataset
from .parameters import Goal, JobCentre, Parameters


@dataclass(frozen=True)
class Fit:
    method: str  # "expected_measure" or "regression"
    r2: float
    coefficients: dict[str, float]
    n: int

    def as_dict(self) -> dict[str, object]:
        return {"method": self.method, "r2": _clean(self.r2), "coefficients": self.coefficients, "n": self.n}


def _clean(x: float) -> float | None:
    return None if isinstance(x, float) and math.isnan(x) else x


def population_measure(params: Parameters) -> str | None:
    found = [m.id for m in params.measures.values() if m.population]
    return found[0] if found else None


def explanatory_measures(params: Parameters) -> list[str]:
    return [m.id for m in params.measures.values() if m.framework and not m.population]


def _latest_annual(dataset: Dataset, year: int) -> dict[tuple[str, str], float]:
    """For every (measure, area): the value of the latest year up to ``year`` (framework figures lag)."""
    annual = dataset.annual.dropna()
    annual = annual[annual.index.get_level_values("year") <= year].sort_index()
    latest = annual.groupby(level=["measure", "area"]).last()
    return {key: float(value) for key, value in latest.items()}


def jobcentre_framework(params: Parameters, dataset: Dataset, year: int) -> pd.DataFrame:
    """Framework figures per job centre (rows) for a year: population and explanatory measures."""
    pop_id = population_measure(params)
    latest = _latest_annual(dataset, year)

    def value(measure: str | None, area: str) -> float:
        return latest.get((measure, area), math.nan) if measure else math.nan

    rows = {}
    for jc in params.council.job_centres:
        row: dict[str, float] = {}
        pops = {code: value(pop_id, code) for code in jc.codes}
        if pop_id:
            direct = value(pop_id, jc.area_key)
            row["population"] = direct if not math.isnan(direct) else sum(pops.values())
        for measure_id in explanatory_measures(params):
            direct = value(measure_id, jc.area_key)
            if not math.isnan(direct):
                row[measure_id] = direct
                continue
            values = {code: value(measure_id, code) for code in jc.codes}
            if params.measures[measure_id].kind == "share" and all(not math.isnan(p) for p in pops.values()):
                total = sum(pops.values())
                row[measure_id] = sum(values[c] * pops[c] for c in jc.codes) / total if total else math.nan
            elif params.measures[measure_id].kind == "share":
                row[measure_id] = float(np.mean(list(values.values())))
            else:
                row[measure_id] = sum(values.values())
        rows[jc.id] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def fit_expected(levels: pd.Series, framework: pd.DataFrame, columns: list[str]) -> tuple[pd.Series, Fit]:
    """OLS of the level on the framework figures; returns the fitted (expected) levels and the fit."""
    data = pd.concat([levels.rename("y"), framework[columns]], axis=1).dropna()
    n, k = len(data), len(columns)
    if n < k + 3 or not columns:
        return pd.Series(math.nan, index=levels.index), Fit("regression", math.nan, {}, n)
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


def _levels(actual: pd.Series, framework: pd.DataFrame, is_share: bool) -> pd.Series:
    if is_share or "population" not in framework:
        return actual
    return actual / framework["population"] * 1000


@dataclass(frozen=True)
class Adjusted:
    table: pd.DataFrame  # per job centre
    fit: Fit


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
    goal's expected measure where the data have one.
    """
    measure = params.measures[goal.measure]
    is_share = goal.aggregation == "ratio" or measure.kind == "share"
    framework = jobcentre_framework(params, dataset, year)
    levels = _levels(actual, framework, is_share)
    if expected_actual is not None and expected_actual.notna().any():
        expected = _levels(expected_actual, framework, is_share)
        both = pd.concat([levels, expected], axis=1).dropna()
        r2 = float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] ** 2) if len(both) > 2 else math.nan
        fit = Fit("expected_measure", r2, {}, len(both))
    else:
        expected, fit = fit_expected(levels, framework, explanatory_measures(params))
    ratio = levels / expected
    good = -ratio if goal.better == "lower" else ratio
    clusters = {jc.id: jc.cluster for jc in params.council.job_centres}
    table = pd.DataFrame(
        {
            "jobcentre_id": levels.index,
            "jobcentre": [jc.name for jc in params.council.job_centres if jc.id in levels.index],
            "cluster": [clusters[i] for i in levels.index],
            "level": levels.to_numpy(dtype=float),
            "expected": expected.reindex(levels.index).to_numpy(dtype=float),
            "actual_over_expected": ratio.to_numpy(dtype=float),
            "adjusted_rank": good.rank(ascending=False, method="min").astype("Int64").to_numpy(),
        }
    )
    cluster_mean = table.groupby("cluster")["level"].transform("mean")
    table["cluster_average"] = cluster_mean
    table["vs_cluster"] = table["level"] / cluster_mean
    return Adjusted(table.reset_index(drop=True), fit)


def dispersion(ratios: pd.Series) -> dict[str, float]:
    values = ratios.dropna()
    if len(values) < 2:
        return {"n": float(len(values)), "iqr": math.nan, "sd": math.nan}
    return {
        "n": float(len(values)),
        "iqr": float(values.quantile(0.75) - values.quantile(0.25)),
        "sd": float(values.std(ddof=1)),
    }


def jobcentre_figures(
    dataset: Dataset,
    goal: Goal,
    jobcentres: list[JobCentre],
    measure_id: str,
    span_first: pd.Period,
    span_last: pd.Period,
) -> pd.Series:
    """A goal's figure per job centre over a span, using ``measure_id`` in place of the goal's measure."""
    from .compute import jobcentre_series

    values = jobcentre_series(dataset, measure_id, jobcentres)
    below = jobcentre_series(dataset, goal.denominator, jobcentres) if goal.denominator else None
    return figures_over_span(values, below, goal, span_first, span_last)


def figures_over_span(
    values: pd.DataFrame, below: pd.DataFrame | None, goal: Goal, span_first: pd.Period, span_last: pd.Period
) -> pd.Series:
    """A goal's figure per job centre (columns of ``values``) over a span; its last month for end-of-period goals."""
    from .aggregation import aggregate_columns
    from .periods import Span

    span = Span(span_last, span_last) if goal.aggregation == "end_of_period" else Span(span_first, span_last)
    return aggregate_columns(values, below, goal.aggregation, span)
