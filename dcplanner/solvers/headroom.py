"""Headroom on a grid connection over the hourly year: oversubscription with per-GPU capping,
a flexible (curtailable) connection, and the contracted power at risk through a ramp-up.

Every answer comes from the vectorized annual engine (:func:`dcplanner.engine.annual.simulate`)
on batches of deployment counts (scenarios on axis 0, the hours of the year on the last): the
largest count of the site's last deployment whose hourly facility power exceeds the connection
in at most a budget's hours (events no longer than its longest, energy within its share) is
bracketed by doubling, then refined on up to ``ROUND`` evenly spaced counts per round for every
budget at once. More systems never draw less in any hour, so the feasible counts are 0..n and
the answer is exact. The zero-hour budget is the firm count on the hourly year; a budget's
extra GPUs are its count over the firm one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import evaluate, flatten, with_column
from dcplanner.engine.annual import simulate
from dcplanner.engine.hourly import scenario_hours
from dcplanner.models import curtailment, electrical, oversubscription
from dcplanner.scenario import ResolvedScenario
from dcplanner.solvers import provision
from dcplanner.units import W_PER_MW

#: Counts evaluated per refinement round and budget.
ROUND = 16
#: Largest count tried when bracketing.
MAX_COUNT = 2 ** 24
#: Years of maximum-drawn history the network operator looks back over (CRE décision
#: 2024-229, 18 Dec 2024: a rolling five-year history; grid-power-rules.md §2.11).
HISTORY_YEARS = 5


def hourly_facility_w(resolved: ResolvedScenario, counts: NDArray, column: int = -1) -> NDArray:
    """Hourly facility power [W] (K, H) of the scenario with ``counts`` (K,) systems in its
    deployment ``column`` (the last by default), over its weather year."""
    x = flatten([resolved])
    xb = with_column(x, "count", np.asarray(counts, dtype=float),
                     deployment=column % x["count"].shape[1])
    return provision.hourly_facility_w(xb, evaluate(xb), scenario_hours(resolved.scenario))


def largest_counts(resolved: ResolvedScenario, hours: NDArray, max_event_h: NDArray,
                   energy_frac: NDArray, column: int = -1, swing_ratio: NDArray | None = None
                   ) -> tuple[NDArray, dict[int, dict]]:
    """Largest count in deployment ``column`` within each budget b (``hours[b]`` over the
    connection at most, events up to ``max_event_h[b]``, curtailed energy up to
    ``energy_frac[b]``), all budgets refined together; and the :func:`exceedance
    <dcplanner.models.curtailment.exceedance>` figures of every count evaluated.

    ``swing_ratio`` (M,): equally likely ratios of the sub-hourly power to its hourly mean
    (:func:`dcplanner.solvers.provision.trace_ratios`); each hour then stands for M samples,
    and the hours over are the hours' shares over, summed (events and their length are then
    not meaningful)."""
    connection_w = flatten([resolved])["grid_w"]
    seen: dict[int, dict] = {}

    def ok(counts: Sequence[int]) -> None:
        new = sorted({int(c) for c in counts} - set(seen))
        if not new:
            return
        hourly = hourly_facility_w(resolved, np.array(new), column)
        ratio = () if swing_ratio is None else swing_ratio
        f = provision.exceedance(provision.samples(hourly, ratio), connection_w, ratio)
        good = curtailment.within_budget({k: v[:, None] for k, v in f.items()},
                                         hours[None, :], max_event_h[None, :],
                                         energy_frac[None, :])
        for i, c in enumerate(new):
            seen[c] = {**{k: float(v[i]) for k, v in f.items()}, "ok": good[i]}

    def bounds() -> tuple[NDArray, NDArray]:
        counts = np.array(sorted(seen))
        good = np.array([seen[c]["ok"] for c in counts])  # (K, B)
        lo = np.where(good, counts[:, None], -1).max(axis=0)
        hi = np.where(~good & (counts[:, None] > lo), counts[:, None], MAX_COUNT + 1).min(axis=0)
        return lo, hi

    n0 = int(resolved.deployments[column].count)
    top = max(2 * n0, 1)
    ok([0, n0, top])
    while np.any(bounds()[1] > MAX_COUNT) and top < MAX_COUNT:
        top *= 2
        ok([top])
    lo, hi = bounds()
    if np.any(lo < 0) or np.any(hi > MAX_COUNT):
        from dcplanner.errors import DcplannerError

        raise DcplannerError(
            "headroom: the connection is over budget with no system deployed" if np.any(lo < 0)
            else f"headroom: more than {MAX_COUNT:,} systems fit: set site.grid_mw")
    while np.any(active := hi - lo > 1):
        ok(np.unique(np.round(np.linspace(lo[active], hi[active], ROUND)).astype(int)))
        lo, hi = bounds()
    return lo, seen


@dataclass(frozen=True)
class Headroom:
    """What ``dcplanner power --headroom`` reports: figures of the site as deployed, of the
    percentile budget (oversubscription) and of each curtailment budget (``budgets``: one dict
    per budget with its hours, longest event, count, GPUs, extra GPUs over the firm count,
    hours over, longest event and compute lost), the UPS reserve, and the ramp-up check
    (``ramp_up``: one dict per year)."""

    figures: dict[str, float]
    budgets: list[dict]
    ramp_up: list[dict]


def headroom(resolved: ResolvedScenario, year_fracs: Sequence[float] | None = None,
             *, phased: ResolvedScenario | None = None,
             swing_ratio: NDArray | None = None) -> Headroom:
    """The oversubscription and flexible-connection study of a scenario (its finished site).

    ``year_fracs``: curtailment budgets as shares of the year (default the scenario's
    ``power.curtailment``), each with its ``max_event_h`` and ``energy_frac``; ``phased``: the
    phased scenario whose ramp-up is checked (default ``resolved``, a single phase);
    ``swing_ratio``: the sub-hourly swing distribution (:func:`dcplanner.solvers.provision.
    trace_ratios` of the ``power`` study's grid-side trace), which adds the percentile budget
    with swings (``swing_*``).
    """
    p = resolved.scenario.power
    c, q = p.curtailment, p.oversubscription.percentile_frac
    x = flatten([resolved])
    n0 = int(resolved.deployments[-1].count)
    facility = hourly_facility_w(resolved, np.array([n0]))
    year_h = float(facility.shape[-1])
    if year_fracs is None:
        budget = [c.hours_per_year if c.hours_per_year is not None
                  else float(curtailment.budget_hours(c.year_frac, year_h))]
    else:
        budget = [float(curtailment.budget_hours(f, year_h)) for f in year_fracs]
    inf = np.inf
    capped = float(oversubscription.capped_hours(q, year_h))
    hours = np.array([0.0, capped, *budget])
    event = np.array([inf, inf, *([inf if c.max_event_h is None else c.max_event_h]
                                   * len(budget))])
    energy = np.array([inf, inf, *([inf if c.energy_frac is None else c.energy_frac]
                                    * len(budget))])
    counts, seen = largest_counts(resolved, hours, event, energy)
    per = float(x["gpus_per_system"][0, -1])
    gpus0 = float(evaluate(x)["gpus"][0])
    firm = int(counts[0])

    def row(b: int, n: int, f: dict) -> dict:
        return {"budget_hours": float(hours[b]),
                "max_event_h": None if np.isinf(event[b]) else float(event[b]),
                "energy_frac": None if np.isinf(energy[b]) else float(energy[b]), "count": n,
                "gpus": gpus0 + (n - n0) * per, "extra_gpus": (n - firm) * per,
                **{k: f[k] for k in ("hours_over", "longest_event_h", "curtailed_energy_frac",
                                     "lost_compute_frac", "lost_days")}}

    now = curtailment.exceedance(facility, x["grid_w"])
    usable = electrical.usable_capacity_frac(x["ups_topology"], x["ups_modules"], x["ups_feed"])
    installed = x["ups_module_w"] * x["ups_modules"] * electrical.systems(x["ups_feed"])
    over = row(1, int(counts[1]), seen[int(counts[1])])
    figures = {
        "connection_mw": float(x["grid_w"][0]) / W_PER_MW,
        "gpus": gpus0,
        "peak_mw": float(facility.max()) / W_PER_MW,
        "budget_percentile_frac": q,
        "budget_mw": float(oversubscription.budget_w(facility, q)[0]) / W_PER_MW,
        "hours_over_now": float(now["hours_over"][0]),
        "firm_count": firm, "firm_gpus": gpus0 + (firm - n0) * per,
        "oversubscribed_gpus": over["gpus"], "oversubscribed_extra_gpus": over["extra_gpus"],
        "capped_hours": over["hours_over"], "capped_lost_compute_frac": over["lost_compute_frac"],
        "capped_lost_days": over["lost_days"],
        "ups_reserve_gain_frac": float(oversubscription.reserve_gain_frac(
            x["ups_topology"], x["ups_modules"], x["ups_feed"])[0]),
        "ups_reserve_mw": float(installed[0] * (1 - usable[0])) / W_PER_MW,
    }
    if swing_ratio is not None:
        joint = provision.samples(facility, swing_ratio)
        counts_s, seen_s = largest_counts(resolved, np.array([0.0, capped]),
                                          np.array([inf, inf]), np.array([inf, inf]),
                                          swing_ratio=swing_ratio)
        firm_s, n = int(counts_s[0]), int(counts_s[1])
        figures.update({
            "swing_peak_mw": float(joint.max()) / W_PER_MW,
            "swing_budget_mw": float(oversubscription.budget_w(joint, q)[0]) / W_PER_MW,
            "swing_firm_gpus": gpus0 + (firm_s - n0) * per,
            "swing_gpus": gpus0 + (n - n0) * per, "swing_extra_gpus": (n - firm_s) * per,
            "swing_capped_hours": seen_s[n]["hours_over"],
            "swing_capped_lost_days": seen_s[n]["lost_days"]})
    return Headroom(figures, [row(b, int(counts[b]), seen[int(counts[b])])
                              for b in range(2, hours.size)],
                    ramp_up(phased if phased is not None else resolved))


def ramp_up(resolved: ResolvedScenario) -> list[dict]:
    """'Use it or lose it' through a phased ramp-up: for each calendar year from the first
    phase to ``HISTORY_YEARS - 1`` after the last, the contracted power (the connection of
    the latest phase started by the year's end), the maximum drawn that year (each phase's
    hourly year over the days it is in force) and over the rolling five-year history, and
    the contracted power at risk (contracted minus the rolling maximum drawn, when positive;
    RTE may reduce the connection to it, ramp-up provisions apart: CRE décision 2024-229).
    A scenario without phases is one state from this year on."""
    from dcplanner.solvers.phases import expand

    if resolved.scenario.phases:
        states = [s.resolved for s in expand(resolved)]
        starts = [s.start for s in resolved.scenario.phases]
    else:
        states, starts = [resolved], [dt.date(dt.date.today().year, 1, 1)]
    x = flatten(states)
    h = [scenario_hours(s.scenario) for s in states]
    a = simulate(h, x, evaluate(x), keep_hourly=range(len(states)))
    years = range(starts[0].year, starts[-1].year + HISTORY_YEARS)
    rows: list[dict] = []
    ends = [*starts[1:], dt.date(years[-1] + 1, 1, 1)]
    for year in years:
        drawn = 0.0
        contracted = 0.0
        for k in range(len(states)):
            hourly = a.hourly[k]
            dates = np.array([dt.date(year, 1, 1).toordinal()]) + _day_of_year(
                year, hourly["month"], hourly["day"])
            live = (dates >= starts[k].toordinal()) & (dates < ends[k].toordinal())
            if live.any():
                drawn = max(drawn, float(hourly["facility_w"][live].max()))
            if starts[k].year <= year:
                contracted = float(x["grid_w"][k])
        history = max([drawn, *(r["drawn_mw"] * W_PER_MW for r in rows[-(HISTORY_YEARS - 1):])])
        rows.append({"year": year, "contracted_mw": contracted / W_PER_MW,
                     "drawn_mw": drawn / W_PER_MW, "history_drawn_mw": history / W_PER_MW,
                     "at_risk_mw": max(contracted - history, 0.0) / W_PER_MW})
    return rows


def _day_of_year(year: int, month: NDArray, day: NDArray) -> NDArray:
    """Days since 1 January of ``year`` of each (month, day) (29 February folded to 28 in a
    common year)."""
    first = np.array([dt.date(year, m, 1).toordinal() for m in range(1, 13)])
    days_in = np.diff(np.append(first, dt.date(year + 1, 1, 1).toordinal()))
    m = np.asarray(month, dtype=int) - 1
    return first[m] - first[0] + np.minimum(np.asarray(day, dtype=int), days_in[m]) - 1
