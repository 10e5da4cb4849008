"""The built-in Paris-area weather year, generated deterministically from climate normals.

Method (documented in README "Built-in weather year"):

1. **Daily maxima (TX)**, month by month. A split-normal distribution (two half-normals joined
   at the mode) is fitted to the month's statistics by least squares in kelvin: the mean of its
   *stratified sample* (the quantiles at ``(i + 0.5) / n`` for the n days of the month) equals
   the normal TX; its quantiles at the exceedance frequencies of 25, 30 and 35 °C (NBJTX25/30/35
   divided by the days of the month) fall on those thresholds; the record (1950-2024) falls at a
   frequency of one day in the record period (weight 0.3: records are single events). The skewed
   shape is used where two or more thresholds are observed (June-September); other months use a
   normal. The month's days take the stratified sample, so a typical year's hot-day counts are
   reproduced without sampling noise.
2. **Daily minima (TN)**: a normal with the month's mean TN and a standard deviation of 3.0 K,
   derived from the warm-night counts (TN >= 20 °C: June 0.2, July 0.8, August 0.7 days give
   2.9-3.0 K) and assumed in other months; never above TX - 1 K.
3. **Day order**: a first-order autoregressive series (lag-1 correlation 0.7, an assumption
   typical of mid-latitude daily temperature anomalies) from a fixed seed ranks the days of each
   month, so hot days come in spells; the minima follow with a correlation of 0.7. The same seed
   always gives the same year.
4. **Hours**: a half-cosine rises from TN at 06:00 to TX at 15:00 and falls to the next day's
   TN at 06:00, so every day's hourly maximum is its TX.
5. **Dew point**: the monthly normal (interpolated between mid-month values) plus 0.5 times the
   day's TN anomaly (humid nights are warm), never above the dry bulb.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import Field

from dcplanner.validation import SAFE_LOADER, StrictModel, validate
from dcplanner.weather.year import HOURS_PER_DAY, MONTH_DAYS, MONTHS, WeatherYear, calendar

NORMALS_FILE = "bretigny-1991-2020.yaml"
SEED = 20190725
#: Lag-1 autocorrelation of daily temperature anomalies, and TN-TX anomaly correlation [-]
#: (assumptions; mid-latitude daily anomalies typically persist at 0.6-0.8).
PERSISTENCE = 0.7
TN_TX_CORRELATION = 0.7
#: Standard deviation of daily minima [K], from the TN >= 20 °C counts (module docstring).
TN_SIGMA_K = 3.0
MIN_DIURNAL_RANGE_K = 1.0
#: Hours (local standard time) of the daily minimum and maximum.
HOUR_OF_MIN = 6
HOUR_OF_MAX = 15
#: Dew-point response to the day's TN anomaly [K/K] (assumption).
DEW_POINT_PER_TN_ANOMALY = 0.5
#: Weight of the record in the TX fit, against 1 for each day-count threshold.
RECORD_WEIGHT = 0.3
#: Elevation of the normals' station [m]: Brétigny-sur-Orge, Météo-France 91103001, 78 m
#: (Météo-France monthly climatological data files, reference/paris-climate.md §6). The year
#: carries no pressure: the engine takes the standard atmosphere at the scenario's
#: ``site.altitude_m``.
STATION_ALTITUDE_M = 78.0
#: Local standard time of the rows: Central European Time, UTC+1 [h].
TIME_ZONE_H = 1.0


def _twelve(description: str):
    return Field(min_length=MONTHS, max_length=MONTHS, description=description)


class ClimateNormals(StrictModel):
    """Monthly climate statistics of one station (see catalog/climates/*.yaml)."""

    name: str
    station: str
    period: str
    sources: dict[str, str]
    tx_c: list[float] = _twelve("Mean daily maximum per month [°C]")
    tn_c: list[float] = _twelve("Mean daily minimum per month [°C]")
    dew_point_c: list[float] = _twelve("Mean dew point per month [°C]")
    days_tx_ge_c: dict[int, list[float]] = Field(
        description="Mean days per month with TX >= threshold, by threshold [°C]"
    )
    days_tn_ge_20_c: list[float] = _twelve("Mean days per month with TN >= 20 °C")
    record_tx_c: list[float] = _twelve("Highest TX per month over the record period [°C]")
    record_years: int = Field(gt=0)
    recent_days_tx_ge_c: dict[int, float] = Field(default_factory=dict)


@cache
def normals(file: str = NORMALS_FILE) -> ClimateNormals:
    """The shipped normals of a station (package data, validated)."""
    text = resources.files("dcplanner.catalog").joinpath("climates", file).read_text("utf-8")
    return validate(ClimateNormals, yaml.load(text, Loader=SAFE_LOADER), (),
                    f"catalog/climates/{file}")


def split_normal_ppf(q: NDArray, mode: float, sigma_lo: float, sigma_hi: float) -> NDArray:
    """Quantile function of the split normal (half-normals of ``sigma_lo`` below and
    ``sigma_hi`` above ``mode``); ``q`` is the non-exceedance probability."""
    from scipy.special import ndtri  # standard normal quantile; scipy loads on first use

    w = sigma_lo / (sigma_lo + sigma_hi)
    q = np.asarray(q, dtype=float)
    lower = mode + sigma_lo * ndtri(np.minimum(q / (2 * w), 1.0))
    upper = mode + sigma_hi * ndtri(np.maximum(1 - (1 - q) / (2 * (1 - w)), 0.0))
    return np.where(q <= w, lower, upper)


def _stratified(n: int) -> NDArray:
    return (np.arange(n) + 0.5) / n


def fit_daily_max(c: ClimateNormals, month: int) -> tuple[float, float, float]:
    """Split-normal (mode, sigma_lo, sigma_hi) [°C, K, K] of one month's TX (0-based month)."""
    n = MONTH_DAYS[month]
    mean = c.tx_c[month]
    counts = [(t, days[month]) for t, days in sorted(c.days_tx_ge_c.items()) if days[month] > 0]
    thresholds = np.array([t for t, _ in counts] + [c.record_tx_c[month]], dtype=float)
    exceedance = np.array([d / n for _, d in counts] + [1 / (c.record_years * n)])
    weights = np.array([1.0] * len(counts) + [RECORD_WEIGHT])
    skewed = len(counts) >= 2
    q = _stratified(n)

    def params(v: NDArray) -> tuple[float, float, float]:
        return (v[0], v[1], v[2]) if skewed else (v[0], v[1], v[1])

    def residuals(v: NDArray) -> NDArray:
        p = params(v)
        return np.concatenate([
            [10.0 * (split_normal_ppf(q, *p).mean() - mean)],
            weights * (split_normal_ppf(1 - exceedance, *p) - thresholds),
        ])

    start = [mean, 4.0, 4.0] if skewed else [mean, 4.0]
    lower = [mean - 10.0, 0.5, 0.5][: len(start)]
    upper = [mean + 10.0, 15.0, 15.0][: len(start)]
    from scipy.optimize import least_squares

    fit = least_squares(residuals, start, bounds=(lower, upper))
    return params(fit.x)


def _ar1(rng: np.random.Generator, n: int, rho: float) -> NDArray:
    """A stationary AR(1) series of unit variance (the loop runs once, over 365 days, when the
    year is built; it is not in any per-scenario path)."""
    noise = rng.standard_normal(n)
    series = np.empty(n)
    series[0] = noise[0]
    for i in range(1, n):
        series[i] = rho * series[i - 1] + np.sqrt(1 - rho**2) * noise[i]
    return series


def _assign_by_rank(values_by_month: list[NDArray], order_key: NDArray) -> NDArray:
    """Give each month's days its values, the largest to the day with the largest key."""
    out = np.empty(order_key.size)
    start = 0
    for values in values_by_month:
        n = values.size
        ranks = np.argsort(np.argsort(order_key[start:start + n]))
        out[start:start + n] = np.sort(values)[ranks]
        start += n
    return out


def daily_extremes(c: ClimateNormals, seed: int = SEED) -> tuple[NDArray, NDArray]:
    """Daily TX and TN [°C] for a 365-day year, shape (365,) each."""
    rng = np.random.default_rng(seed)
    days = sum(MONTH_DAYS)
    tx_key = _ar1(rng, days, PERSISTENCE)
    tn_key = TN_TX_CORRELATION * tx_key + np.sqrt(1 - TN_TX_CORRELATION**2) * _ar1(
        rng, days, PERSISTENCE
    )
    tx_months = [split_normal_ppf(_stratified(n), *fit_daily_max(c, m))
                 for m, n in enumerate(MONTH_DAYS)]
    tn_months = [split_normal_ppf(_stratified(n), c.tn_c[m], TN_SIGMA_K, TN_SIGMA_K)
                 for m, n in enumerate(MONTH_DAYS)]
    tx = _assign_by_rank(tx_months, tx_key)
    tn = np.minimum(_assign_by_rank(tn_months, tn_key), tx - MIN_DIURNAL_RANGE_K)
    return tx, tn


def diurnal_cycle(tx_c: NDArray, tn_c: NDArray) -> NDArray:
    """Hourly temperature [°C], hour ending 1..24 of each day, from daily TX and TN.

    Half-cosine segments join TN at 06:00 and TX at 15:00 of each day; the year wraps around
    (the evening of the last day falls to the first day's minimum).
    """
    days = tx_c.size
    anchor_h = np.stack([np.arange(days) * HOURS_PER_DAY + HOUR_OF_MIN,
                         np.arange(days) * HOURS_PER_DAY + HOUR_OF_MAX], axis=1).ravel()
    anchor_c = np.stack([tn_c, tx_c], axis=1).ravel()
    year_h = days * HOURS_PER_DAY
    anchor_h = np.concatenate([[anchor_h[-1] - year_h], anchor_h, [anchor_h[0] + year_h]])
    anchor_c = np.concatenate([[anchor_c[-1]], anchor_c, [anchor_c[0]]])
    t = np.arange(1, year_h + 1, dtype=float)
    seg = np.searchsorted(anchor_h, t, side="right") - 1
    frac = (t - anchor_h[seg]) / (anchor_h[seg + 1] - anchor_h[seg])
    weight = (1 - np.cos(np.pi * frac)) / 2
    return anchor_c[seg] + (anchor_c[seg + 1] - anchor_c[seg]) * weight


def _mid_month_interp(monthly: list[float]) -> NDArray:
    """Daily values (365,) interpolated between mid-month values, wrapping around the year."""
    starts = np.concatenate([[0], np.cumsum(MONTH_DAYS)[:-1]])
    mid = starts + np.array(MONTH_DAYS) / 2
    days = sum(MONTH_DAYS)
    day = np.arange(days) + 0.5
    return np.interp(day, mid, monthly, period=days)


#: The built-in year as generated, shipped so that a run does not fit it again (about half
#: a second, most of it importing scipy.optimize); it records the normals it came from.
CACHE_FILE = "builtin-year.npz"


def _normals_digest(file: str) -> str:
    text = resources.files("dcplanner.catalog").joinpath("climates", file).read_bytes()
    return hashlib.sha256(text).hexdigest()


@cache
def builtin_year(seed: int = SEED, file: str = NORMALS_FILE) -> WeatherYear:
    """The built-in weather year from a station's normals (8,760 hours, starts on a Monday).

    The default year is read from :data:`CACHE_FILE` when it was generated from the normals as
    they are now (same seed, same file digest); otherwise, and for any other seed or station,
    it is generated (:func:`generate_year`). A test checks that the shipped file equals the
    generator's output.
    """
    cache_path = resources.files("dcplanner.catalog").joinpath("climates", CACHE_FILE)
    if seed == SEED and file == NORMALS_FILE and cache_path.is_file():
        with cache_path.open("rb") as handle, np.load(handle) as stored:
            if str(stored["normals_sha256"]) == _normals_digest(file) and int(
                    stored["seed"]) == seed:
                return _year(normals(file), seed, stored["dry_bulb_c"].copy(),
                             stored["dew_point_c"].copy())
    return generate_year(seed, file)


def generate_year(seed: int = SEED, file: str = NORMALS_FILE) -> WeatherYear:
    """The weather year generated from a station's normals by the method of this module."""
    c = normals(file)
    tx, tn = daily_extremes(c, seed)
    dry = diurnal_cycle(tx, tn)
    tn_anomaly = tn - np.array([c.tn_c[m] for m, n in enumerate(MONTH_DAYS) for _ in range(n)])
    dew_daily = _mid_month_interp(c.dew_point_c) + DEW_POINT_PER_TN_ANOMALY * tn_anomaly
    dew = np.minimum(np.repeat(dew_daily, HOURS_PER_DAY), dry)
    return _year(c, seed, dry, dew)


def _year(c: ClimateNormals, seed: int, dry: NDArray, dew: NDArray) -> WeatherYear:
    month, day, hour = calendar()
    for array in (dry, dew):
        array.setflags(write=False)
    return WeatherYear(
        name=f"built-in Paris-area year ({c.name} normals)",
        month=month, day=day, hour=hour, dry_bulb_c=dry, dew_point_c=dew,
        notes=(f"generated from {c.period} normals of {c.station}, seed {seed}",),
        altitude_m=STATION_ALTITUDE_M, time_zone_h=TIME_ZONE_H,
    )


def write_cache(seed: int = SEED, file: str = NORMALS_FILE) -> Path:
    """Generate the built-in year and store it as :data:`CACHE_FILE` beside the normals; run
    ``python -c "from dcplanner.weather.synthetic import write_cache; write_cache()"`` after
    changing the normals or the method (a test fails until then)."""
    year = generate_year(seed, file)
    path = Path(str(resources.files("dcplanner.catalog").joinpath("climates", CACHE_FILE)))
    with path.open("wb") as handle:
        np.savez_compressed(handle, dry_bulb_c=year.dry_bulb_c, dew_point_c=year.dew_point_c,
                            seed=np.int64(seed), normals_sha256=np.str_(_normals_digest(file)))
    return path

