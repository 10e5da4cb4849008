"""The report of a scenario: the answer, headline, waterfall from IT to facility, the year,
and a phased timeline."""

from __future__ import annotations

import numpy as np

from dcplanner import __version__
from dcplanner.engine import Result, flatten, run
from dcplanner.engine.outputs import Output, facility_parts
from dcplanner.errors import DcplannerError
from dcplanner.models.compute import PRECISIONS
from dcplanner.models.it_power import PROVISIONING_BASES
from dcplanner.output import eur
from dcplanner.report import figures as fig
from dcplanner.report.page import Figure, file_hash, render_page, stamp
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.solvers.phases import run_phases
from dcplanner.units import PFLOPS_PER_EFLOPS, W_PER_MW
from dcplanner.validation import validate


def _group(output: Output) -> str:
    """The waterfall group of a facility-power part: IT, electrical losses, cooling or misc."""
    if output.path.startswith("design.parts_mw."):
        return "IT"
    if output.path.endswith(".misc_mw"):
        return "misc"
    return "electrical losses" if output.path.startswith("design.electrical.") else "cooling"


def _breakdown(result: Result, i: int) -> list[tuple[str, str, float]]:
    """Facility power at the design point, part by part: IT, electrical losses, cooling."""
    return [(o.label, _group(o), float(result[o.path][i]))
            for o in facility_parts(result.plants()[i])]


def _fleet(record: dict) -> str:
    """The GPUs deployed, by accelerator: ``18,000 GB200`` or ``18,000 GB200 + 2,048 H200``."""
    gpus: dict[str, int] = {}
    for d in record["deployments"]:
        gpus[d["accelerator"]] = gpus.get(d["accelerator"], 0) + d["gpus"]
    return " + ".join(f"{n:,} {name.upper()}" for name, n in gpus.items()) or "no GPUs"


def _other_bases(resolved: ResolvedScenario, basis: str) -> list[dict]:
    """Design-point records of the scenario sized on each other provisioning basis."""
    data = resolved.scenario.model_dump(mode="json", exclude_unset=True)
    variants = []
    for other in PROVISIONING_BASES:
        if other != basis:
            data.setdefault("workload", {})["provisioning_basis"] = other
            variants.append(resolve(validate(Scenario, data)))
    return run(variants, annual=False).records() if variants else []


def answer(record: dict, others: list[dict] | None) -> str:
    """The report's one-sentence answer: whether the fleet fits the grid at the design hour,
    with the margin, and otherwise by how much it misses and on which basis it would fit.

    Parameters
    ----------
    record : dict
        The scenario's record (``dcplanner run``'s JSON).
    others : list of dict or None
        Design-point records of the same scenario sized on the other provisioning bases;
        None when they were not run (a phased plan), and the answer then says nothing of them.
    """
    fleet, grid = _fleet(record), record["grid_mw"]
    hour = f"at the {record['design_ambient_c']:.0f} °C design hour"
    basis = f"{record['provisioning_basis']} power"
    headroom = grid - record["facility_peak_mw"]
    if record["feasible"]:
        return (f"{fleet} fit in {grid:,.0f} MW with {headroom:,.1f} MW to spare {hour} "
                f"(plant sized on {basis}).")
    if headroom >= 0:
        miss = (f"{fleet} do not fit: the grid holds them with {headroom:,.1f} MW to spare "
                f"{hour}, but " + ", ".join(record["violated"]) + " is violated")
    else:
        miss = (f"{fleet} do not fit in {grid:,.0f} MW: they need "
                f"{record['facility_peak_mw']:,.1f} MW {hour}, {-headroom:,.1f} MW over, with "
                f"the plant sized on {basis}")
    if others is None:
        return miss + "."
    fits = [o for o in others if o["feasible"]]
    if fits:
        best = max(fits, key=lambda o: o["grid_headroom_mw"])
        return (f"{miss}; sized on {best['provisioning_basis']} power they would fit with "
                f"{best['grid_headroom_mw']:,.1f} MW to spare.")
    return miss + "; no provisioning basis (" + ", ".join(PROVISIONING_BASES) + ") fits."


def _headline(record: dict) -> list[tuple[str, str]]:
    a, e, c = record["annual"], record["economics"], record["carbon"]
    peak = record["compute"]["peak_pflops"]
    eflops = " · ".join(f"{p.upper()} {peak[p] / PFLOPS_PER_EFLOPS:,.2f}"
                        for p in reversed(PRECISIONS) if peak[p])
    tco = e["tco_eur_per_year"]
    return [
        ("Facility peak (design point)", f"{record['facility_peak_mw']:.2f} MW vs "
         f"{record['grid_mw']:.2f} MW grid at {record['design_ambient_c']:.1f} °C"),
        ("Feasible", "yes" if record["feasible"] else
         "NO (violated: " + ", ".join(record["violated"]) + ")"),
        ("Binding constraint", record["binding_constraint"]),
        ("GPUs", f"{record['gpus']:,} in {record['racks']:,} racks"),
        ("Peak dense EFLOPS", eflops),
        ("Annual energy", f"{a['facility_mwh']:,.0f} MWh facility, {a['it_mwh']:,.0f} MWh IT"),
        ("Annual PUE", f"{a['pue']:.3f}"),
        ("Hottest hour of the year", f"{a['facility_peak_mw']:.2f} MW on "
         f"{a['facility_peak_hour']} at {a['dry_bulb_at_peak_c']:.1f} °C"),
        ("Water", f"{a['water_m3']:,.0f} m³ (WUE {a['wue_l_per_kwh']:.3f} L/kWh)"),
        ("TCO per year", eur(tco)),
        ("Cost per GPU-hour", eur(e["cost_per_gpu_hour_eur"])),
        ("Carbon per year", f"{c['total_tco2e']:,.0f} tCO2e ({c['intensity']})"),
    ]


def _year_figures(record: dict, hourly: dict, weather_name: str) -> list[Figure]:
    a = record["annual"]
    months = [m["month"] for m in a["monthly"]]

    def monthly(key: str) -> np.ndarray:
        return np.array([m[key] for m in a["monthly"]], dtype=float)

    def modes(mode: str) -> np.ndarray:
        return np.array([m["cooling_hours"][mode] for m in a["monthly"]], dtype=float)

    facility_mw = np.asarray(hourly["facility_w"]) / W_PER_MW
    return [
        Figure("Facility power through the year",
               fig.heat_map(facility_mw, "Facility power by day and hour"),
               f"Facility power each hour of {weather_name} (IT at operating power, "
               f"{a['profile']} profile). Hot afternoons show as bright bands in summer; the "
               f"peak is {a['facility_peak_mw']:.2f} MW on {a['facility_peak_hour']}."),
        Figure("Monthly energy and PUE",
               fig.monthly_energy(months, monthly("it_mwh"), monthly("facility_mwh"),
                                  monthly("pue"), "Monthly energy and PUE"),
               f"IT energy and the overhead (electrical losses, cooling, misc) per month, and "
               f"the month's energy-weighted PUE; the year's PUE is {a['pue']:.3f}."),
        Figure("PUE against outdoor temperature",
               fig.pue_vs_ambient(np.asarray(hourly["dry_bulb_c"]), np.asarray(hourly["pue"]),
                                  "Hourly PUE against outdoor dry bulb"),
               "Each point is one hour of the year. PUE is lowest while the dry coolers carry "
               "all the heat; it rises as the air-side loop needs its chillers, levels off "
               "while the adiabatic pads hold the coil air at its target, and rises again in "
               "the hottest hours."),
        Figure("Free-cooling hours",
               fig.cooling_hours(months, modes("free"), modes("partial"), modes("chiller"),
                                 "Cooling mode of the whole plant, hours per month"),
               f"Hours with no chiller running (free cooling), with dry coolers and trim "
               f"chillers sharing the heat (partial), and with both loops on chillers only. "
               f"Liquid loop: {a['cooling_hours']['liquid']['free']:,} h free a year."),
    ]


def scenario_report(resolved: ResolvedScenario, source: str, source_text: str) -> str:
    """The report of a scenario (or, with phases, its timeline and its last phase)."""
    s = resolved.scenario
    figures = []
    if s.phases:
        timeline, result = run_phases(resolved, keep_hourly_last=True)
        phases = timeline["phases"]
        record = phases[-1]["record"]
        figures.append(Figure(
            "Phase timeline",
            fig.timeline([p["phase"] for p in phases],
                         np.array([p["record"]["facility_peak_mw"] for p in phases]),
                         np.array([p["record"]["grid_mw"] for p in phases]),
                         np.array([p["record"]["gpus"] for p in phases]),
                         "Facility peak, grid connection and GPUs by phase"),
            "Design-point facility peak against the grid connection of each phase, and the "
            "GPUs in service after it. " + "; ".join(
                f"{p['phase']} ({p['start']}): {p['record']['gpus']:,} GPUs, "
                f"{p['record']['facility_peak_mw']:.1f} MW" for p in phases) + "."))
    else:
        result = run([resolved], keep_hourly=(0,))
        record = result.records()[0]
    (index, hourly), = result.hourly.items()
    weather = record["annual"]["weather"]
    figures.insert(0 if not s.phases else 1, Figure(
        "Power from the grid to the GPUs",
        fig.waterfall(_breakdown(result, index), record["grid_mw"],
                      "Facility power at the design point, from IT to facility"),
        f"How the {record['facility_peak_mw']:.2f} MW design-point peak builds up, at "
        f"{record['design_ambient_c']:.1f} °C with the plant sized on "
        f"{record['provisioning_basis']} power: each IT part, then electrical losses, cooling "
        "and misc, each bar starting where the last ended; the bottom bar is the facility "
        f"total and the dashed red line the {record['grid_mw']:.1f} MW grid connection."))
    figures += _year_figures(record, hourly, weather)
    figures += _power_figures(resolved)
    meta = [f"dcplanner {__version__} · generated {stamp()}",
            f"Scenario file: {source} · SHA-256 {file_hash(source_text)}",
            f"Weather: {weather}" + "".join(f"; {n}" for n in record["annual"]["weather_notes"])]
    try:
        others = None if s.phases else _other_bases(resolved, record["provisioning_basis"])
    except DcplannerError:  # a basis the scenario cannot be sized on: no alternative given
        others = None
    said = answer(record, others)
    if s.phases:  # the answer is the last phase's: say so
        said = f"In the last phase ({phases[-1]['phase']}): {said}"
    return render_page(record["scenario"], meta, said, _headline(record), figures)


#: Heading of the report's section on the sub-hourly study and the headroom.
POWER_SECTION = "Power over seconds"
#: Window of the sub-hourly trace the report draws [s]: 30 iterations of the default 2 s.
SWING_WINDOW_S = 60.0
#: Curtailment budgets of the report's headroom curve, as shares of the year [-]: 0, 0.1 %,
#: 0.5 %, 1 % and 2 % (8.76, 43.8, 87.6 and 175.2 h of an 8,760-hour year).
CURVE_YEAR_FRACS = (0.0, 0.001, 0.005, 0.01, 0.02)
#: Smoothing and storage drawn when the scenario's ``power:`` section sets none: the README's
#: ``dcplanner power`` example (GPU floor 60 % of TGP, 2 s of rack storage, a battery holding
#: the grid side to 1 MW/s and 2 MW peak-to-peak); an illustration, not a recommendation.
EXAMPLE_SMOOTHING = {"floor_tgp_frac": 0.6, "rack_window_s": 2.0,
                     "battery_ramp_w_per_s": 1.0 * W_PER_MW, "battery_swing_w": 2.0 * W_PER_MW}


def _finished(resolved: ResolvedScenario) -> ResolvedScenario:
    """The scenario, or for a phased plan its finished site (as ``dcplanner power`` does)."""
    if not resolved.scenario.phases:
        return resolved
    from dcplanner.solvers.phases import expand

    return expand(resolved)[-1].resolved


def smooths(resolved: ResolvedScenario) -> bool:
    """Whether the scenario's ``power:`` section sets any smoothing or storage."""
    p = resolved.scenario.power
    return (p.smoothing is not None or p.rack_storage.window_s > 0
            or p.battery.max_ramp_mw_per_s is not None or p.battery.max_swing_mw is not None)


def swing_window(resolved: ResolvedScenario, window_s: float = SWING_WINDOW_S) -> dict:
    """The first ``window_s`` of the first hour of the scenario's sub-hourly trace
    (:func:`dcplanner.solvers.power.trace`, the hour ``dcplanner power --trace`` writes first),
    without and with smoothing and storage.

    Returns a dict: ``t_s`` (T,) [s], ``raw_mw`` (facility power unsmoothed) and ``grid_mw``
    (the grid side with smoothing, rack storage and battery) (T,) [MW], ``example``: whether
    :data:`EXAMPLE_SMOOTHING` stands in for a ``power:`` section that sets none. The whole
    hour is computed (the cooling and storage averages wrap over it) and then cut."""
    from dcplanner.solvers import power

    example = not smooths(resolved)
    p = power.inputs([resolved])
    if example:
        p = {**p, **{k: np.full(1, v) for k, v in EXAMPLE_SMOOTHING.items()}}
        p["ramp_up_w_per_s"] = np.full(1, np.inf)
        p["ramp_down_w_per_s"] = np.full(1, np.inf)
    step_s, duration_s = float(p["step_s"][0]), float(p["duration_s"][0])
    start_s, steps = next(power.chunks(duration_s, step_s))
    tr = power.trace(p, start_s, steps, step_s, 0, parts=False)
    n = min(steps, max(2, round(window_s / step_s)))
    return {"t_s": tr["t_s"][:n], "raw_mw": tr["facility_raw_w"][0, :n] / W_PER_MW,
            "grid_mw": tr["grid_w"][0, :n] / W_PER_MW, "example": example,
            "step_s": step_s}


def curtailment_curve(resolved: ResolvedScenario,
                      year_fracs: tuple[float, ...] = CURVE_YEAR_FRACS) -> list[dict]:
    """The extra GPUs of each curtailment budget (:func:`dcplanner.solvers.headroom.headroom`
    with ``year_fracs``, the scenario's event and energy limits): one dict per budget, as
    ``Headroom.budgets``; a phased plan's finished site."""
    from dcplanner.solvers.headroom import headroom

    return headroom(_finished(resolved), list(year_fracs), phased=resolved).budgets


def _power_figures(resolved: ResolvedScenario) -> list[Figure]:
    """The "Power over seconds" section: a swing trace and the curtailment-vs-GPUs curve."""
    finished = _finished(resolved)
    p = finished.scenario.power
    grid_mw = float(flatten([finished])["grid_w"][0]) / W_PER_MW
    w = swing_window(finished)
    s = p.smoothing
    if w["example"]:
        what = ("smoothed as in the README's `dcplanner power` example, an illustration (this "
                "scenario's power: section sets no smoothing or storage): GPU floor 60 % of "
                "TGP, 2 s of rack storage, a battery holding the grid side to 1 MW/s and 2 MW "
                "peak-to-peak")
    else:
        parts = []
        if s is not None:
            parts.append(f"GPU floor {s.floor_tgp_frac:.0%} of TGP" + "".join(
                f", ramp-{d} limit {v:,g} W/s per GPU"
                for d, v in (("up", s.ramp_up_w_per_s), ("down", s.ramp_down_w_per_s))
                if v is not None))
        if p.rack_storage.window_s > 0:
            parts.append(f"{p.rack_storage.window_s:g} s of rack storage")
        b = p.battery
        if b.max_ramp_mw_per_s is not None or b.max_swing_mw is not None:
            parts.append("a battery holding the grid side to " + " and ".join(
                t for t in ((f"{b.max_ramp_mw_per_s:g} MW/s" if b.max_ramp_mw_per_s else ""),
                            (f"{b.max_swing_mw:g} MW peak-to-peak"
                             if b.max_swing_mw is not None else "")) if t))
        what = "smoothed as this scenario's power: section sets: " + ", ".join(parts)
    hour = ("the design hour" if p.hour is None else f"hour {p.hour} of the weather year")
    swing = lambda v: float(v.max() - v.min())  # noqa: E731
    figures = [Figure(
        "Swings of a training job, unsmoothed and smoothed",
        fig.power_swing(w["t_s"], w["raw_mw"], w["grid_mw"], grid_mw,
                        "grid side, smoothed and stored",
                        f"Power drawn from the grid, first {w['t_s'][-1] + w['step_s']:g} s "
                        "of the trace"),
        f"The first {w['t_s'][-1] + w['step_s']:g} s, at {w['step_s']:g} s steps, of the "
        f"trace `dcplanner power` simulates at {hour}: one synchronous training job's "
        f"compute and communication phases ({p.swing.period_s:g} s iterations) through the "
        "facility chain. Grey: facility power unsmoothed, swinging "
        f"{swing(w['raw_mw']):,.1f} MW peak-to-peak in this window; blue: the grid side "
        f"{what}, swinging {swing(w['grid_mw']):,.2f} MW; dashed red: the {grid_mw:,.1f} MW "
        "grid connection.", section=POWER_SECTION)]
    try:
        budgets = curtailment_curve(resolved)
    except DcplannerError:  # no count fits the connection, or no limit to it: no curve
        return figures
    hours = np.array([b["budget_hours"] for b in budgets])
    extra = np.array([b["extra_gpus"] for b in budgets])
    per = float(flatten([finished])["gpus_per_system"][0, -1])
    c = p.curtailment
    limits = "".join((f", events of at most {c.max_event_h:g} h" if c.max_event_h else "",
                      f", curtailed energy at most {c.energy_frac:.2%}"
                      if c.energy_frac is not None else ""))
    figures.append(Figure(
        "GPUs a flexible connection adds",
        fig.headroom_curve(hours, extra, "Extra GPUs against the curtailment budget"),
        f"The GPUs the site's last deployment can add over its firm count "
        f"({budgets[0]['gpus']:,.0f} GPUs, no hour over the {grid_mw:,.1f} MW connection) if "
        f"the site may shed load in up to " + ", ".join(f"{h:,.1f}" for h in hours[1:])
        + f" hours a year{limits}. Method (dcplanner power --headroom): the largest count of "
        "systems whose hourly facility power over the weather year exceeds the connection in "
        "at most the budget's hours, found exactly by bracketing and refining counts on the "
        "annual engine; hourly means, so the sub-hourly swings above are not counted. Counts "
        f"step by whole systems ({per:,.0f} GPUs each): where the year's power is nearly flat, "
        "one more system puts many more hours over and the curve levels off. "
        + "; ".join(f"{h:,.1f} h: +{n:,.0f}" for h, n in zip(hours, extra, strict=True))
        + ".", section=POWER_SECTION))
    return figures
