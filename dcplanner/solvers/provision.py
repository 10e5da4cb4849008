"""Provisioning policies of ``fit`` and ``optimize``: what load the site's limits are held to.

- ``design`` (the default): every limit at the design hour, GPUs at the scenario's
  provisioning basis (``workload.provisioning_basis``) in the design weather.
- ``percentile``: the grid connection carries the hourly year's facility power at
  ``power.oversubscription.percentile_frac`` (p99.9: at most 8.76 of 8,760 hours above it);
  the GPUs are capped in the hours above.
- ``curtailment``: the hourly year's facility power exceeds the connection within
  ``power.curtailment``'s budget (hours, longest event, share of the energy); the site sheds
  load in those hours, its own peaks.

Under a budget policy (``percentile`` or ``curtailment``) the ``grid`` constraint's value is
the smallest connection that keeps the hourly year (the annual engine, uncapped, as the site
would draw it) within the budget. The plant limits (``transformer``, ``ups``,
``heat_rejection``) are held to the most the capped site puts on them, the larger of two
hours: the *capped design hour* (the design hour with every GPU capped at the share of its
range above idle that holds the facility at the connection; systems at their cap and hosts at
their component peak, even when the plant is provisioned on nameplate, since a cap bounds what
they draw) and the year's highest hour with the hours over the connection capped to it (each
hour's apparent power, UPS output and heat rejected times ``min(1, connection / facility)``).
The year matters for the UPS: in a mild hour at the connection the cooling takes less, so more
of it is IT load than in the hot design hour. Racks and rack power stay at the uncapped design
hour: in the hours within the budget the systems run uncapped. When even idle GPUs take the
design hour over the connection, capping cannot hold the site and the ``grid`` value is that
floor's draw.

``swing_ratio`` (a budget policy): equally likely ratios of the sub-hourly power to its
hourly mean (:func:`swing_ratios`, the ``power`` study's grid-side trace of the scenario as
written, as ``power --headroom`` takes them); each hour then stands for that many samples,
the hours over are the hours' shares over, summed, and events have no length.

``ups_reserve`` (any policy): the reserve of a redundant UPS carries load, capped on a module
failure (Flex, ISCA 2021: zero reserved power): the UPS limit is the installed capacity, the
usable capacity times ``1 + reserve_gain_frac``
(:func:`dcplanner.models.oversubscription.reserve_gain_frac`).

The grid's budget is monotone in the count (more systems never draw less in an hour of the
year); the plant at the capped design hour need not be (once capping binds the site draws the
connection, and more systems can put slightly less on the UPS), so a fit under a budget also
judges every count above a first break up to the grid's own largest count
(:func:`dcplanner.solvers.fit.largest_counts_judged`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine import Arrays, evaluate
from dcplanner.engine.annual import simulate
from dcplanner.engine.design import CONSTRAINTS, Constraint, verdict
from dcplanner.engine.hourly import ScenarioHours, scenario_hours
from dcplanner.engine.params import code_of, rows
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.models import curtailment, it_power, oversubscription
from dcplanner.scenario import ResolvedScenario

#: The policies, in the order the CLI lists them.
POLICIES = ("design", "percentile", "curtailment")
#: Limits checked at the capped design hour under a budget policy.
CAPPED_LIMITS = ("transformer", "ups", "heat_rejection")
#: Scenarios simulated together over the hourly year (bounds memory: a year of every chain
#: array per scenario).
CHUNK = 16
#: Swing ratios each hour is spread over (as ``power --headroom``).
SWING_SAMPLES = 64
#: Halvings of the cap (share of the GPU's range above idle) and of the connection a budget
#: with event or energy limits needs: 2**-40 of the range, far below a watt.
BISECTIONS = 40


@dataclass(frozen=True)
class Policy:
    """A provisioning policy (see the module): its name, the hourly budget it allows over the
    connection (``budget_h`` [h], longest event ``max_event_h`` [h], ``energy_frac`` [-]; all
    unused by ``design``), whether the UPS reserve carries load, and the sub-hourly swing
    ratios each hour is spread over (empty: the hourly means)."""

    name: str = "design"
    budget_h: float = 0.0
    max_event_h: float = np.inf
    energy_frac: float = np.inf
    ups_reserve: bool = False
    swing_ratio: tuple[float, ...] = ()

    @property
    def default(self) -> bool:
        """Whether this is the default policy (the design hour, no UPS reserve), whose answers
        read as they did before policies existed."""
        return self.name == "design" and not self.ups_reserve

    @property
    def budgeted(self) -> bool:
        """Whether the grid is held to the hourly year's budget instead of the design hour."""
        return self.name != "design"

    def describe(self) -> str:
        """The policy in words, for tables and notes."""
        if self.name == "design":
            words = "design hour (every limit at the design point)"
        else:
            limits = [f"{self.budget_h:g} h"]
            if np.isfinite(self.max_event_h):
                limits.append(f"events up to {self.max_event_h:g} h")
            if np.isfinite(self.energy_frac):
                limits.append(f"{self.energy_frac:.2%} of the energy")
            what = ("GPUs capped" if self.name == "percentile" else "load curtailed")
            year = "the hourly year with its sub-hourly swings" if self.swing_ratio \
                else "the hourly year"
            words = (f"{self.name}: {year} over the connection at most "
                     f"{', '.join(limits)} ({what} then); transformer, UPS and heat rejection "
                     "at the capped design hour and the capped year")
        return words + ("; UPS reserve carries load, capped on a failure"
                        if self.ups_reserve else "")


def policy(resolved: ResolvedScenario, name: str = "design", *,
           ups_reserve: bool = False, swings: bool = False) -> Policy:
    """The policy ``name`` of :data:`POLICIES` with the scenario's budgets: ``percentile``
    from ``power.oversubscription.percentile_frac``, ``curtailment`` from
    ``power.curtailment`` (``hours_per_year`` when set, else ``year_frac`` of the weather
    year's hours), over the hours of the scenario's weather year; ``swings``: with the
    scenario's sub-hourly swings (:func:`swing_ratios`).

    Raises
    ------
    DcplannerError
        Swings asked of the design policy.
    ConfigError
        Swings with a curtailment event length (events have no length once each hour is
        spread over its swings), at ``power.curtailment.max_event_h``.
    """
    if name not in POLICIES:
        raise ValueError(f"unknown policy {name!r}; allowed: {', '.join(POLICIES)}")
    p = resolved.scenario.power
    if name == "design":
        if swings:
            raise DcplannerError("the swings spread the hourly year's power: choose a budget "
                                 "policy (percentile or curtailment) to use them")
        return Policy(ups_reserve=ups_reserve)
    c = p.curtailment
    if swings and name == "curtailment" and c.max_event_h is not None:
        raise ConfigError([Problem("", "power.curtailment.max_event_h",
                                   "events have no length once each hour is spread over its "
                                   "sub-hourly swings; unset it, or drop the swings")])
    ratio = tuple(float(r) for r in swing_ratios(resolved)) if swings else ()
    year_h = float(scenario_hours(resolved.scenario).weather.dry_bulb_c.size)
    if name == "percentile":
        hours = float(oversubscription.capped_hours(p.oversubscription.percentile_frac, year_h))
        return Policy(name, hours, ups_reserve=ups_reserve, swing_ratio=ratio)
    hours = c.hours_per_year if c.hours_per_year is not None \
        else float(curtailment.budget_hours(c.year_frac, year_h))
    return Policy(name, float(hours), np.inf if c.max_event_h is None else c.max_event_h,
                  np.inf if c.energy_frac is None else c.energy_frac, ups_reserve, ratio)


def swing_ratios(resolved: ResolvedScenario, samples: int = SWING_SAMPLES) -> NDArray:
    """``samples`` equally likely ratios (M,) of the scenario's grid-side sub-hourly power to
    its mean [-]: the quantiles, at the midpoints of M equal bins, of the first hour of the
    ``power`` study's trace (:func:`dcplanner.solvers.power.study`, after any smoothing and
    battery) of the scenario as written (its finished site when phased)."""
    from dcplanner.solvers.phases import expand
    from dcplanner.solvers.power import study

    if resolved.scenario.phases:
        resolved = expand(resolved)[-1].resolved
    first: list[NDArray] = []
    study([resolved], keep_trace=False,
          on_chunk=lambda chunk: first.append(chunk["grid_w"]) if not first else None)
    return trace_ratios(first[0], samples)


def trace_ratios(trace_w: NDArray, samples: int = SWING_SAMPLES) -> NDArray:
    """``samples`` equally likely ratios (M,) of a sub-hourly power trace to its mean [-]: its
    quantiles at the midpoints of M equal bins (the trace's distribution, compressed)."""
    w = np.asarray(trace_w, dtype=float)
    return np.quantile(w, (np.arange(samples) + 0.5) / samples) / w.mean()


def hourly_year(x: Arrays, out: Arrays, hours: ScenarioHours,
                keys: Sequence[str] = ("facility_w",)) -> dict[str, NDArray]:
    """Hourly arrays ``keys`` of the annual engine (each (S, H)) for every scenario of the
    batch over one weather year (``hours``, shared by all), in chunks of :data:`CHUNK`."""
    parts: dict[str, list[NDArray]] = {key: [] for key in keys}
    s = len(x["count"])
    for start in range(0, s, CHUNK):
        index = np.arange(start, min(start + CHUNK, s))
        a = simulate([hours] * index.size, rows(x, index), rows(out, index),
                     keep_hourly=range(index.size))
        for key in keys:
            parts[key] += [a.hourly[i][key] for i in range(index.size)]
    return {key: np.stack(value) for key, value in parts.items()}


def hourly_facility_w(x: Arrays, out: Arrays, hours: ScenarioHours) -> NDArray:
    """Hourly facility power [W] (S, H) of every scenario of the batch over one weather year
    (``hours``, shared by all)."""
    return hourly_year(x, out, hours)["facility_w"]


def samples(facility_w: NDArray, swing_ratio: Sequence[float] = ()) -> NDArray:
    """Hourly facility power (S, H) as samples (S, H M): each hour times each of M swing
    ratios (:func:`swing_ratios`; none: the hours themselves)."""
    f = np.asarray(facility_w, dtype=float)
    if not len(swing_ratio):
        return f
    return (f[:, :, None] * np.asarray(swing_ratio)).reshape(len(f), -1)


def exceedance(samples_w: NDArray, connection_w: NDArray,
               swing_ratio: Sequence[float] = ()) -> dict[str, NDArray]:
    """:func:`dcplanner.models.curtailment.exceedance` of :func:`samples`, in hours: with M
    swing ratios a sample is 1/M of an hour (an event's length then means nothing)."""
    f = curtailment.exceedance(samples_w, connection_w)
    m = max(len(swing_ratio), 1)
    return {**f, **{key: f[key] / m for key in ("hours_over", "longest_event_h", "lost_days")}}


def connection_needed_w(samples_w: NDArray, p: Policy, connection_w: NDArray) -> NDArray:
    """The smallest connection [W] (S,) that keeps the policy's samples of facility power
    (:func:`samples`, (S, N)) within its budget: the power exceeded in at most
    ``floor(p.budget_h M)`` samples (the sample just below them), raised by bisection where
    events or energy bind. It is at most ``connection_w`` exactly where the budget holds on
    that connection (the bisection brackets it), so a feasibility read from it agrees with
    :func:`dcplanner.models.curtailment.within_budget`."""
    f = np.asarray(samples_w, dtype=float)
    k = int(np.floor((p.budget_h + 1e-9) * max(len(p.swing_ratio), 1)))  # within_budget's slack
    n = f.shape[-1]
    # The (k+1)-th largest sample, in linear time (a year of swings is 560,640 samples).
    needed = np.partition(f, n - 1 - k, axis=-1)[:, n - 1 - k] if k < n else np.zeros(len(f))

    def ok(c: NDArray, idx: NDArray) -> NDArray:
        return curtailment.within_budget(exceedance(f[idx], c, p.swing_ratio), p.budget_h,
                                         p.max_event_h, p.energy_frac)

    if np.isinf(p.max_event_h) and np.isinf(p.energy_frac):
        return needed  # the hours alone: exact already
    late = np.flatnonzero(~ok(needed, np.arange(len(f))))
    if late.size:
        lo, hi = needed[late], f[late].max(axis=-1)
        at_grid = ok(connection_w[late], late)
        lo = np.where(at_grid, lo, np.maximum(lo, connection_w[late]))
        hi = np.where(at_grid, np.minimum(hi, connection_w[late]), hi)
        for _ in range(BISECTIONS):
            mid = 0.5 * (lo + hi)
            good = ok(mid, late)
            lo, hi = np.where(good, lo, mid), np.where(good, mid, hi)
        needed = needed.copy()
        needed[late] = hi
    return needed


def capped_design(x: Arrays) -> tuple[Arrays, NDArray]:
    """The design hour of every scenario at what its systems draw (a nameplate basis read as
    peak: GPUs at their cap, hosts at their component peak), with its GPUs capped to hold the
    facility at the grid connection where it would exceed it: each GPU at
    ``idle + f (peak - idle)`` for the largest f in [0, 1] (one per scenario, by bisection)
    whose design facility power is within the connection (f = 0 when none is). Returns the
    results and the cap per GPU [W] (S, D) (its peak where uncapped)."""
    nameplate = code_of("provisioning_basis", "nameplate")
    x = {**x, "provisioning_basis": np.where(x["provisioning_basis"] == nameplate,
                                             code_of("provisioning_basis", "peak"),
                                             x["provisioning_basis"])}
    out = evaluate(x)
    peak_w = it_power.accelerator_peak_w(x["gpu_tdp_w"], x["gpu_power_cap_w"])
    over = np.flatnonzero(out["design_facility_w"] > x["grid_w"])
    if not over.size:
        return out, peak_w
    xs = rows(x, over)
    idle_w = np.minimum(xs["gpu_idle_w"], peak_w[over])

    def at(frac: NDArray) -> Arrays:
        xs["gpu_power_cap_w"] = idle_w + frac[:, None] * (peak_w[over] - idle_w)
        return evaluate(xs)

    lo, hi = np.zeros(over.size), np.ones(over.size)
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        good = at(mid)["design_facility_w"] <= xs["grid_w"]
        lo, hi = np.where(good, mid, lo), np.where(good, hi, mid)
    capped = at(lo)
    merged = {key: value.copy() for key, value in out.items()}
    for key, value in capped.items():
        merged[key][over] = value
    cap_w = peak_w.copy()
    cap_w[over] = xs["gpu_power_cap_w"]
    return merged, cap_w


def judge(x: Arrays, p: Policy, hours: ScenarioHours | None = None) -> Arrays:
    """The design point of every scenario of the batch with its constraints judged under
    policy ``p``: :func:`dcplanner.engine.evaluate`'s results, with ``*_value``, ``*_limit``,
    ``*_headroom_frac``, ``binding`` and ``feasible`` as the policy reads them and, under a
    budget policy, ``policy_cap_w`` (S, D) the GPU cap of the capped design hour [W] and the
    uncapped hourly year's :func:`~dcplanner.models.curtailment.exceedance` figures
    (``policy_hours_over`` [h], ``policy_longest_event_h`` [h], ``policy_lost_compute_frac``
    [-], ``policy_lost_days`` [d], ``policy_curtailed_energy_frac`` [-]). ``hours``: the
    weather year of every scenario (needed by a budget policy)."""
    out = evaluate(x)
    if p.ups_reserve:
        gain = oversubscription.reserve_gain_frac(x["ups_topology"], x["ups_modules"],
                                                  x["ups_feed"])
        out["ups_limit"] = out["ups_limit"] * (1.0 + gain)
        out["policy_ups_reserve"] = np.ones(len(x["count"]), dtype=bool)
    if p.budgeted:
        if hours is None:
            raise ValueError(f"policy {p.name!r} needs the weather year (hours)")
        capped, cap_w = capped_design(x)
        needed, figures, year_max = _year(x, out, hours, p)
        for name in CAPPED_LIMITS:
            out[f"{name}_value"] = np.maximum(CONSTRAINTS[name].value(x, capped),
                                              year_max[name])
        floor_over = capped["design_facility_w"] > x["grid_w"]
        out["grid_value"] = np.where(floor_over, np.maximum(needed, capped["design_facility_w"]),
                                     needed)
        out["policy_cap_w"] = cap_w
        out.update({f"policy_{key}": value for key, value in figures.items()})
    verdict(out)
    return out


def _year(x: Arrays, out: Arrays, hours: ScenarioHours, p: Policy
          ) -> tuple[NDArray, dict[str, NDArray], dict[str, NDArray]]:
    """The connection each scenario's year needs within the budget of ``p`` (S,), the year's
    :func:`exceedance` figures on its own connection, and the most the capped year puts on
    each of :data:`CAPPED_LIMITS` (S,) in its constraint's units: every hour's apparent power,
    UPS output and heat rejected, scaled by ``min(1, connection / facility power)`` (an hour
    over the connection capped to it, its losses in proportion), :data:`CHUNK` scenarios at a
    time (bounds memory: with swings a year is 64 samples an hour)."""
    needed, figures, peaks = [], [], []
    for start in range(0, len(x["count"]), CHUNK):
        index = np.arange(start, min(start + CHUNK, len(x["count"])))
        year = hourly_year(rows(x, index), rows(out, index), hours,
                           ("facility_w", "ups_output_w", "heat_rejected_w"))
        grid_w = x["grid_w"][index]
        part = samples(year["facility_w"], p.swing_ratio)
        needed.append(connection_needed_w(part, p, grid_w))
        figures.append(exceedance(part, grid_w, p.swing_ratio))
        with np.errstate(divide="ignore", invalid="ignore"):
            held = np.fmin(1.0, grid_w[:, None] / year["facility_w"])
        peaks.append({
            "transformer": (year["facility_w"] * held).max(axis=-1) / x["power_factor"][index],
            "ups": (year["ups_output_w"] * held).max(axis=-1),
            "heat_rejection": (year["heat_rejected_w"] * held).max(axis=-1)})
    return (np.concatenate(needed),
            {key: np.concatenate([f[key] for f in figures]) for key in figures[0]},
            {key: np.concatenate([f[key] for f in peaks]) for key in peaks[0]})


#: What a constraint compares under a budget policy, where it differs from the design point.
BUDGET_MEANINGS = {
    "grid": "connection the hourly year needs within the budget vs grid connection",
    "transformer": "apparent power, capped design hour or year, vs transformer rating",
    "ups": "UPS output, capped design hour or year, vs usable UPS capacity",
    "heat_rejection": "heat rejected, capped design hour or year, vs installed heat rejection",
}


def constraint_rows(out: Arrays, row: int) -> list[dict]:
    """Every constraint of scenario ``row`` of judged results (:func:`judge`, or
    :func:`dcplanner.engine.evaluate`: the design point) in its display unit: name, meaning,
    unit, value, limit and headroom share (None when the limit is not set)."""
    budgeted = "policy_hours_over" in out

    def number(value: float) -> float | None:
        return None if np.isnan(value) else float(value)

    def meaning(name: str, c: Constraint) -> str:
        text = BUDGET_MEANINGS.get(name, c.meaning) if budgeted else c.meaning
        if name == "ups" and "policy_ups_reserve" in out:
            text = text.split(" vs ")[0] + " vs installed UPS capacity (the reserve carries load)"
        return text

    return [{"constraint": name, "meaning": meaning(name, c),
             "unit": c.unit, "value": float(out[f"{name}_value"][row] / c.divisor),
             "limit": number(out[f"{name}_limit"][row] / c.divisor),
             "headroom_frac": number(out[f"{name}_headroom_frac"][row])}
            for name, c in CONSTRAINTS.items()]


def judged(out: Arrays, row: int, p: Policy) -> dict:
    """Scenario ``row`` of :func:`judge`'s results as a record: the policy (name, words, its
    budget), every constraint (:func:`constraint_rows`), the binding one and, under a budget
    policy, the GPU cap of the capped design hour per deployment with GPUs [W] and what the uncapped
    hourly year spends of the budget (hours over the connection, longest event, share of the
    energy and of the compute shed, days of compute lost a year)."""
    names = list(CONSTRAINTS)
    record = {"policy": p.name, "default": p.default, "description": p.describe(),
              "ups_reserve": p.ups_reserve,
              "swings": bool(p.swing_ratio),
              "constraints": constraint_rows(out, row),
              "binding": names[int(out["binding"][row])],
              "feasible": bool(out["feasible"][row])}
    if p.budgeted:
        record["budget"] = {"budget_h": p.budget_h,
                            "max_event_h": None if np.isinf(p.max_event_h) else p.max_event_h,
                            "energy_frac": None if np.isinf(p.energy_frac) else p.energy_frac}
        live = out["dep_gpus"][row] > 0
        record["gpu_cap_w"] = [float(w) for w in out["policy_cap_w"][row][live]]
        record.update({key: float(out[f"policy_{key}"][row]) for key in (
            "hours_over", "longest_event_h", "curtailed_energy_frac", "lost_compute_frac",
            "lost_days")})
    return record
