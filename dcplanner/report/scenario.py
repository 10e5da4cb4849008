"""The report of a scenario: the answer, headline, waterfall from IT to facility, the year,
and a phased timeline."""

from __future__ import annotations

import numpy as np

from dcplanner import __version__
from dcplanner.engine import Result, run
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
