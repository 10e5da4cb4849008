"""The report of a scenario: headline, power breakdown, the year, and a phased timeline."""

from __future__ import annotations

import numpy as np

from dcplanner import __version__
from dcplanner.engine import Result, run
from dcplanner.engine.outputs import facility_parts
from dcplanner.models.compute import PRECISIONS
from dcplanner.output import eur
from dcplanner.report import figures as fig
from dcplanner.report.page import Figure, file_hash, render_page, stamp
from dcplanner.scenario import ResolvedScenario
from dcplanner.solvers.phases import run_phases
from dcplanner.units import PFLOPS_PER_EFLOPS, W_PER_MW


def _breakdown(result: Result, i: int) -> list[tuple[str, float]]:
    """Facility power at the design point, part by part: IT, electrical losses, cooling."""
    return [(o.label, float(result[o.path][i])) for o in facility_parts(result.plants()[i])]


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
        fig.power_breakdown(_breakdown(result, index), record["grid_mw"],
                            "Facility power at the design point, by part"),
        f"Where the {record['facility_peak_mw']:.2f} MW design-point peak goes, at "
        f"{record['design_ambient_c']:.1f} °C with the plant sized on "
        f"{record['provisioning_basis']} power: IT parts, then electrical losses, cooling "
        "and misc; the dashed line is the grid connection."))
    figures += _year_figures(record, hourly, weather)
    meta = [f"dcplanner {__version__} · generated {stamp()}",
            f"Scenario file: {source} · SHA-256 {file_hash(source_text)}",
            f"Weather: {weather}" + "".join(f"; {n}" for n in record["annual"]["weather_notes"])]
    return render_page(record["scenario"], meta, _headline(record), figures)
