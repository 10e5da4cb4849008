"""Tables of a scenario run: design point, year, economics, and a phased timeline."""

from __future__ import annotations

from collections.abc import Sequence

from dcplanner.engine.outputs import (
    COOLING_LOOPS,
    IT_PARTS,
    TCO_LABELS,
    find,
    plant_outputs,
)
from dcplanner.models.compute import PRECISIONS
from dcplanner.output.files import flat_row
from dcplanner.output.text import eur, grid, num, pairs, pct
from dcplanner.output.view import View
from dcplanner.units import PFLOPS_PER_EFLOPS


def scenario_view(records: Sequence[dict]) -> View:
    """The records of a run: one JSON object (a list for several), the tables, or CSV with a
    header of dotted keys and one row per record."""
    return View(records[0] if len(records) == 1 else list(records),
                lambda: "\n\n".join(full_table(r) for r in records),
                lambda: [flat_row(r) for r in records],
                lambda: "\n\n".join(brief_table(r) for r in records))


def brief_table(r: dict) -> str:
    """The headline of one scenario: the design point's verdict and, when simulated, the
    year's (``--brief``)."""
    title, _ = design_table(r).split("\n\n", 1)
    items = _design_pairs(r)
    if "annual" in r:
        a = r["annual"]
        items += [
            ("Simulated year", _year_verdict(a)),
            ("Annual PUE", f"{a['pue']:.3f}, facility {a['facility_mwh']:,.0f} MWh, peak "
             f"{a['facility_peak_mw']:.2f} MW"),
            ("TCO per year", f"{eur(r['economics']['tco_eur_per_year'])}, carbon "
             f"{r['carbon']['total_tco2e']:,.0f} tCO2e"),
        ]
    return "\n".join([title, "", *pairs(items)])


def full_table(r: dict) -> str:
    """Design point, then (when simulated) the year, its economics and carbon."""
    parts = [design_table(r)]
    if "annual" in r:
        parts += [annual_table(r), economics_table(r)]
    return "\n\n".join(parts)


def _alternatives(r: dict) -> list[tuple[str, float]]:
    """The facility peaks under each provisioning alternative, the chosen basis marked."""
    rows = []
    for key, mw in r["provisioning"].items():
        name = key.removesuffix("_mw")
        chosen = " <- chosen" if name == r["provisioning_basis"] else ""
        rows.append((find(f"provisioning.{key}")[0].row + chosen, mw))
    return rows


def _design_pairs(r: dict) -> list[tuple[str, str]]:
    """The headline figures of a design point, label and text."""
    cons = r["constraints"]
    grid_c = cons["grid"]
    binding = cons[r["binding_constraint"]]
    peak_ef = {p: v / PFLOPS_PER_EFLOPS for p, v in r["compute"]["peak_pflops"].items() if v}
    sustained_bf16 = r["compute"]["sustained_pflops"]["bf16"]
    return [
        ("Facility peak", f"{r['facility_peak_mw']:.2f} MW vs {r['grid_mw']:.2f} MW grid: "
         f"headroom {r['grid_headroom_mw']:+.2f} MW ({pct(grid_c['headroom_frac'])}), "
         f"{grid_c['status']}"),
        ("Design point", _design_verdict(r)),
        ("Binding constraint", f"{r['binding_constraint']}: {binding['meaning']}, "
         f"headroom {pct(binding['headroom_frac'])}"),
        ("GPUs", f"{r['gpus']:,} in {r['racks']:,} racks"),
        ("Peak dense EFLOPS", " · ".join(f"{p.upper()} {peak_ef[p]:,.2f}"
                                        for p in reversed(PRECISIONS) if p in peak_ef)),
        ("Sustained BF16", "-" if sustained_bf16 is None else
         f"{sustained_bf16 / PFLOPS_PER_EFLOPS:,.2f} EFLOPS at MFU "
         f"{pct(r['compute']['mfu_frac'])}"),
        ("IT load", f"{r['it_design_mw']:.2f} MW design, {r['it_operating_mw']:.2f} MW "
         "operating"),
        ("PUE at design point", f"{r['pue_design']:.3f} ({r['pue_operating']:.3f} at "
         "operating load)"),
    ]


def design_table(r: dict) -> str:
    """The design point of one scenario, headline first, then the breakdown."""
    design, operating, cons = r["design"], r["operating"], r["constraints"]
    lines = [
        r["scenario"],
        f"Design point at {r['design_ambient_c']:.1f} °C dry bulb "
        f"({r['design_wet_bulb_c']:.1f} °C wet bulb), "
        f"plant sized on {r['provisioning_basis']} power",
        "",
        *pairs(_design_pairs(r)),
        "",
        f"Facility peak by provisioning basis (grid {r['grid_mw']:.2f} MW)",
        *grid([["basis", "MW", "vs grid"]] + [
            [label, num(mw), f"{mw - r['grid_mw']:+.2f}"]
            for label, mw in _alternatives(r)], align="lrr"),
        "",
        "Constraints",
        *grid([["", "unit", "value", "limit", "headroom", "", "status"]] + [
            [name, c["unit"], num(c["value"]), num(c["limit"]), num(c["headroom"]),
             pct(c["headroom_frac"]), c["status"]] for name, c in cons.items()
        ]),
        "",
        "IT power (MW)",
        *grid([["", "design", "operating"]] + [
            [part.replace("_", " "), num(design["parts_mw"][part]),
             num(operating["parts_mw"][part])] for part in IT_PARTS
        ] + [["total IT", num(design["it_mw"]), num(operating["it_mw"])],
             ["facility", num(design["facility_mw"]), num(operating["facility_mw"])]]),
        "",
        _electrical_lines(r),
        "",
        _cooling_lines(r),
        "",
        "Deployments",
        *grid([["name", "system", "count", "GPUs", "racks", "kW/system", "kW/rack"]] + [
            [d["name"], d["system"], f"{d['count']:,}", f"{d['gpus']:,}", f"{d['racks']:,}",
             num(d["system_design_kw"], 1), num(d["rack_design_kw"], 1)]
            for d in r["deployments"]
        ]),
        "",
        "Compute fabrics",
        *grid([["deployment", "fabric", "tiers", "switches"]] + [
            [d["name"], d["fabric"], d["fabric_tiers"], f"{d['fabric_switches']:,}"]
            for d in r["deployments"]
        ]),
    ]
    return "\n".join(lines)


def _design_verdict(r: dict) -> str:
    """Whether the plant fits at its design hour, said so that the year's verdict (a
    different question: the simulated hours) cannot be read as contradicting it."""
    at = f"at the {r['design_ambient_c']:.1f} °C design hour on {r['provisioning_basis']} power"
    if r["feasible"]:
        return f"fits {at}"
    return f"does NOT fit {at} (violated: {', '.join(r['violated'])})"


def _year_verdict(a: dict) -> str:
    """Whether the simulated year stays within the limits, in words that say it is the year's
    hours, not the design hour, that are judged."""
    if a["plant_holds"]:
        return (f"within the limits in all {a['hours']:,} simulated hours (hottest "
                f"{a['dry_bulb_max_c']:.1f} °C, at operating power)")
    return "exceeds the limits in simulated hours: " + ", ".join(
        _exceedance(n, c) for n, c in (("grid", a["grid"]), ("heat rejection",
                                                            a["heat_rejection"]))
        if c["exceeded_hours"])


def _electrical_lines(r: dict) -> str:
    e, ups, gen = r["design"]["electrical"], r["ups"], r["generators"]
    return "\n".join([
        "Electrical at design load (MW)",
        *grid([
            ["UPS", f"{ups['topology']}, {ups['modules']} x {ups['module_mw']:g} MW"
             + (", A/B feed x 2" if ups["feed"] == "A/B" else ""),
             f"installed {ups['installed_mw']:.2f}", f"usable {ups['usable_mw']:.2f}"],
            ["UPS load / efficiency", pct(e["ups_load_frac"]), pct(e["ups_efficiency"]),
             ups["efficiency"].replace("_", " ")],
            ["distribution loss", num(e["distribution_loss_mw"]), "", ""],
            ["UPS loss", num(e["ups_loss_mw"]), f"idle reserve {e['ups_reserve_loss_mw']:.2f}",
             f"pumps on UPS {e['ups_pumps_mw']:.2f}" if ups["pumps_on_ups"] else "pumps off UPS"],
            ["transformer loss", num(e["transformer_loss_mw"]), "", ""],
            ["misc (lighting, offices)", num(e["misc_mw"]),
             f"block heaters {e['generator_heaters_mw']:.2f}", ""],
            ["standby generators", f"{gen['units']:,} x {gen['unit_mva']:g} MVA",
             f"N+{gen['redundant_units']}", ""],
        ]),
    ])


def _cooling_lines(r: dict) -> str:
    """The plant's design-point cooling outputs, a liquid loop's value and its air-side twin on
    one row (from the output declarations)."""
    c = r["design"]["cooling"]
    rows: dict[str, list[str]] = {}
    for o in plant_outputs(r["cooling_plant"]):
        leaf = o.path.rsplit(".", 1)[-1]
        if leaf.startswith("air_") and f"liquid_{leaf[4:]}" in c:
            rows[f"liquid_{leaf[4:]}"].append(_cell(leaf, c[leaf]))
            continue
        suffix = "" if o.unit in ("MW", "-") else f" ({o.unit})"
        rows[leaf] = [(o.row or o.label) + suffix, _cell(leaf, c[leaf])]
    width = max(len(cells) for cells in rows.values())
    loop = r["liquid_loop"]
    return "\n".join([
        f"Cooling at {r['design_ambient_c']:.1f} °C (design load, MW)",
        *grid([cells + [""] * (width - len(cells)) for cells in rows.values()]),
        f"  liquid loop: facility water {loop['facility_supply_c']:.1f}/"
        f"{loop['facility_return_c']:.1f} °C, chip side {loop['chip_supply_c']:.1f}/"
        f"{loop['chip_return_c']:.1f} °C (CDU approach "
        f"{loop['chip_supply_c'] - loop['facility_supply_c']:.1f} K)",
        f"  chillers: {_chiller_model(r['chiller'])}",
    ])


def _chiller_model(c: dict) -> str:
    """The chiller model in words: a capped fraction of Carnot, or EIR curves."""
    if c["model"] == "eir":
        return f"EIR curves {c['curves']}, rated COP {c['rated_cop']:g}"
    return f"{c['carnot_frac']:g} of the Carnot COP, at most {c['max_cop']:g}"


def _cell(leaf: str, value: float) -> str:
    if leaf.endswith("_frac"):
        return pct(value)
    return num(value, 1 if leaf.endswith(("_c", "_m3_per_h")) else 2)


def _hours(h: dict, loop: str) -> str:
    """A loop's hours by cooling mode; the whole plant's are counted over both loops, so its
    'chiller' hours are those with both loops on chillers alone."""
    if loop == "plant":
        return (f"{h['free']:,} both loops free, {h['partial']:,} mixed, {h['chiller']:,} "
                "both loops on chillers alone")
    return f"{h['free']:,} free, {h['partial']:,} partial, {h['chiller']:,} chiller only"


def _exceedance(name: str, c: dict) -> str:
    if c["limit_mw"] is None:
        return f"{name}: no limit set"
    if not c["exceeded_hours"]:
        return f"{name} {c['limit_mw']:.2f} MW never exceeded"
    return (f"{name} {c['limit_mw']:.2f} MW exceeded {c['exceeded_hours']:,} h, by up to "
            f"{c['excess_max_mw']:.2f} MW")


def annual_table(r: dict) -> str:
    """The annual simulation of one scenario: headline figures, then the monthly table."""
    a = r["annual"]
    stress = "".join(f"; {note}" for note in a["weather_notes"])
    grid_c, heat_c = a["grid"], a["heat_rejection"]
    lines = [
        f"Annual simulation: {a['hours']:,} h of {a['weather']}{stress}",
        f"IT at operating power, {a['profile']} profile (mean utilization "
        f"{pct(a['utilization_mean_frac'])})",
        "",
        *pairs([
            ("Energy", f"IT {a['it_mwh']:,.0f} MWh, facility {a['facility_mwh']:,.0f} MWh"),
            ("Annual PUE", f"{a['pue']:.3f} (energy-weighted; hourly {a['pue_hourly_min']:.3f}"
             f" to {a['pue_hourly_max']:.3f})"),
            ("Facility peak", f"{a['facility_peak_mw']:.2f} MW, {a['facility_peak_hour']} at "
             f"{a['dry_bulb_at_peak_c']:.1f} °C (mean {a['facility_mean_mw']:.2f} MW)"),
            ("Simulated year", _year_verdict(a)),
            ("Limits", f"{_exceedance('grid', grid_c)}; {_exceedance('heat rejection', heat_c)}"
             f" (peak heat rejected {heat_c['peak_mw']:.2f} MW)"),
            ("Hottest hour", f"{a['dry_bulb_max_c']:.1f} °C dry bulb, wet bulb up to "
             f"{a['wet_bulb_max_c']:.1f} °C"),
            *[(f"Cooling hours, {label}", _hours(a["cooling_hours"][loop], loop))
              for loop, label in COOLING_LOOPS.items()],
            ("Cooling energy", f"{a['cooling_mwh']:,.0f} MWh: chillers {a['chiller_mwh']:,.0f}, "
             f"fans {a['fans_mwh']:,.0f}, pumps {a['pumps_mwh']:,.0f}"),
            ("Electrical losses", f"{a['electrical_loss_mwh']:,.0f} MWh (misc "
             f"{a['misc_mwh']:,.0f} MWh)"),
            ("Water", f"{a['water_m3']:,.0f} m3, WUE {a['wue_l_per_kwh']:.3f} L/kWh IT"),
            ("ERF, REF, CUE", _reuse(a)),
        ]),
        "",
        "Monthly",
        *grid([["", "IT MWh", "facility MWh", "PUE", "peak MW", "mean °C", "max °C",
                "liquid free h", "chiller MWh", "water m3"]] + [
            [m["month"], f"{m['it_mwh']:,.0f}", f"{m['facility_mwh']:,.0f}", f"{m['pue']:.3f}",
             num(m["facility_peak_mw"]), num(m["dry_bulb_mean_c"], 1),
             num(m["dry_bulb_max_c"], 1), f"{m['liquid_free_hours']:,}",
             f"{m['chiller_mwh']:,.0f}", f"{m['water_m3']:,.0f}"] for m in a["monthly"]
        ]),
    ]
    return "\n".join(lines)


def _reuse(a: dict) -> str:
    """Energy reuse, renewable share and carbon usage of the year (the heat export's basis)."""
    h = a["heat_reuse"]
    inside = (f" in the facility energy, PUE {h['pue_without_heat_pump']:.3f} without it"
              if h["owner"] == "data_centre" else " outside the data centre")
    heat = (f"{h['reused_mwh']:,.0f} MWh reused of {h['available_mwh']:,.0f} MWh at "
            f"{h['source_c']:g} °C; heat pump COP {h['cop']:.2f}, {h['heat_pump_mwh']:,.0f} MWh"
            f"{inside}" if h["network"] else f"no district network; "
            f"{h['available_mwh']:,.0f} MWh available at {h['source_c']:g} °C")
    return (f"ERF {num(a['erf'], 3)} ({heat}), REF {num(a['ref'], 3)}, CUE "
            f"{num(a['cue_kg_per_kwh'], 4)} kgCO2e/kWh IT")


def economics_table(r: dict) -> str:
    """Capex, electricity, opex, TCO and its items, unit costs, the market comparison and
    carbon of one scenario."""
    e, c = r["economics"], r["carbon"]
    cap, opex, tco = e["capex_eur"], e["opex_eur"], e["tco_by_item_eur"]
    net = cap["network_by_part"]
    missing = e["missing_prices"]
    note = ("" if not missing else "; unknown: no catalog price for " + ", ".join(missing)
            + " (set catalog.systems.NAME.price_usd or the fabric's prices)")
    share = e["energy_share_of_tco_frac"]
    total = e["tco_eur_per_year"]
    rows = [["item", "capex", "per year", "share"]]
    for item, label in TCO_LABELS.items():
        per_year = tco[item]
        rows.append([label, eur(cap[item]) if item in cap else "-", eur(per_year),
                     "-" if per_year is None or not total else pct(per_year / total)])
    rows.append(["total", eur(cap["total"]), eur(total), "" if total is None else "100.0 %"])
    market = e["market_eur_per_gpu_hour"]
    margin = ("no market price in the catalog for the deployed GPUs" if market is None else
              f"{eur(market)} per GPU-hour (catalog, on demand): margin "
              f"{eur(e['margin_eur_per_gpu_hour'])} per sold GPU-hour "
              f"({pct(e['margin_frac'])} of the price)")
    return "\n".join([
        f"Economics (EUR; discount rate {pct(e['discount_rate_frac'])}, lifetimes "
        f"{e['lifetimes_years']['facility']:g} years facility, {e['lifetimes_years']['it']:g} "
        "IT) and carbon",
        "",
        *pairs([
            ("Capex", f"{eur(cap['total'])}: facility {eur(cap['facility'])}, IT hardware "
             f"{eur(cap['it_hardware'])}, network {eur(cap['network'])} (fabric switches "
             f"{eur(net['fabric_switches'])}, optics {eur(net['fabric_optics'])}, cables "
             f"{eur(net['fabric_cables'])}, frontend and storage {eur(net['frontend'])}), "
             f"storage {eur(cap['storage'])}, spares {eur(cap['spares'])}, grid connection "
             f"{eur(cap['grid_connection'])}{note}"),
            ("Opex per year", f"{eur(opex['total'])}: electricity {eur(e['electricity_eur'])}"
             f" (€{e['energy_price_eur_per_mwh']:g}/MWh drawn plus the fixed grid tariff), "
             f"maintenance {eur(opex['maintenance'])}, IT support {eur(opex['it_support'])}, "
             f"insurance {eur(opex['insurance'])}, local taxes {eur(opex['local_taxes'])}, "
             f"staff {eur(opex['staff'])}"),
            ("TCO per year", f"{eur(total)} (annualized capex "
             f"{eur(e['annualized_capex_eur'])} + opex); electricity {pct(share)} of it"),
            ("Cost per GPU-hour", f"{eur(e['cost_per_gpu_hour_eur'])} installed, "
             f"{eur(e['cost_per_sold_gpu_hour_eur'])} sold ({pct(e['sold_frac'])} of hours), "
             f"{eur(e['cost_per_delivered_gpu_hour_eur'])} delivered (goodput "
             f"{pct(e['goodput_frac'])})"),
            ("Market price", margin),
            ("Per sustained PFLOP-day", f"{eur(e['cost_per_sustained_pflop_day_eur'])} (BF16 at "
             f"MFU {pct(r['compute']['mfu_frac'])}, mean utilization)"),
            ("Carbon per year", f"{c['total_tco2e']:,.0f} tCO2e: operational "
             f"{c['operational_tco2e']:,.0f} at {c['intensity']}, embodied "
             f"{c['embodied_tco2e']:,.0f}"),
        ]),
        "",
        "TCO by item (capex annualized over its lifetime)",
        *grid(rows, align="lrrr"),
    ])


def _changes(phase: dict) -> str:
    """What a phase changed, in words (from its ``changes`` entry)."""
    c = phase["changes"]
    parts = []
    if c["grid_mw"] is not None:
        parts.append(f"grid to {c['grid_mw']:g} MW")
    for key, label in (("ups_modules_added", "UPS modules"), ("transformer_mva_added", "MVA"),
                       ("heat_rejection_mw_added", "MW heat rejection"),
                       ("max_racks_added", "racks")):
        if c[key]:
            parts.append(f"+{c[key]:g} {label}")
    parts += [f"retired {r['count'] if r['count'] else 'all'} of {r['name']}" for r in c["retire"]]
    parts += [f"added {a['count']:,} {a['system']}" + (" (fill)" if a["fill"] else "")
              for a in c["add"]]
    return "; ".join(parts) or "as the scenario is written"


def _shortfall(phase: dict, first: bool) -> str:
    """Which limits an infeasible phase breaks, and by how much."""
    cons = phase["record"]["constraints"]
    text = "; ".join(f"{name} {c['value']:,.2f} {c['unit']} vs {c['limit']:,.2f} {c['unit']}"
                     for name, c in cons.items() if c["status"] == "VIOLATED")
    if not first and not phase["changes"]["add"]:
        text += " (with only the load carried over from earlier phases)"
    return text


def timeline_table(t: dict) -> str:
    """A phased plan: the timeline, compute by phase, what each phase changed, and the last
    state in full."""
    phases = t["phases"]
    rows = [["phase", "start", "grid MW", "GPUs", "IT MW", "peak MW", "headroom", "fits",
             "MWh/yr", "PUE"]]
    compute = [["phase", *(p.upper() for p in reversed(PRECISIONS)), "sustained BF16"]]
    for p in phases:
        r = p["record"]
        annual = r.get("annual")
        rows.append([
            p["phase"], p["start"], num(r["grid_mw"]), f"{r['gpus']:,}",
            num(r["it_design_mw"]), num(r["facility_peak_mw"]), f"{r['grid_headroom_mw']:+.2f}",
            "yes" if r["feasible"] else "NO (" + ", ".join(r["violated"]) + ")",
            f"{annual['facility_mwh']:,.0f}" if annual else "-",
            f"{annual['pue']:.3f}" if annual else "-",
        ])
        peak, sustained = r["compute"]["peak_pflops"], r["compute"]["sustained_pflops"]
        compute.append([p["phase"], *(num(peak[q], 0) for q in reversed(PRECISIONS)),
                        num(sustained["bf16"], 0)])
    lines = [
        f"{t['scenario']}: {len(phases)} phases",
        "",
        "Timeline (design point: peak and headroom in MW, fits; year: energy and PUE)",
        *grid(rows, align="ll" + "r" * 8),
        "",
        "Peak dense PFLOPS by phase (sustained BF16 at the scenario's MFU and utilization)",
        *grid(compute),
        "",
        "Changes",
        *pairs([(p["phase"], _changes(p)) for p in phases]),
    ]
    problems = [(p["phase"], _shortfall(p, k == 0)) for k, p in enumerate(phases)
                if not p["record"]["feasible"]]
    if problems:
        lines += ["", "Not feasible at the design point", *pairs(problems)]
    lines += ["", f"Last phase in full: {phases[-1]['phase']}", "",
              full_table(phases[-1]["record"])]
    return "\n".join(lines)


def timeline_view(t: dict) -> View:
    """A phased plan: its JSON, its tables, or CSV with one row per phase."""
    return View(t, lambda: timeline_table(t),
                lambda: [{"phase": p["phase"], "start": p["start"], **flat_row(p["record"])}
                         for p in t["phases"]],
                lambda: timeline_table(t).split("\n\nPeak dense")[0])
