"""The reporting pack as a table, JSON and CSV (rows ready to file)."""

from __future__ import annotations

from dcplanner.output.text import eur, grid, num, pairs, sig
from dcplanner.output.view import View


def _value(v: object, unit: str) -> str:
    if v is None:
        return "-"
    if isinstance(v, float) and unit in ("kWh", "kW", "m3", "kgCO2e"):
        return f"{v:,.0f}"
    if isinstance(v, float):
        return f"{v:.4f}" if abs(v) < 10 else sig(v)
    return str(v)


def _limit(v: float | None, ok: bool | None, digits: int = 2) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}f} " + ("ok" if ok else "MISSED")


def pack_table(p: dict) -> str:
    """The pack as text: KPIs, metered items, obligations, EnEfG by year, waste heat."""
    w = p["waste_heat"]
    lines = [
        f"{p['scenario']}: {p['regulation']}",
        f"Basis: {p['basis']}; country {p['country']}",
        "",
        "Information and KPIs the model gives",
        *grid([["item", "value", "unit", "basis"]] + [
            [i["item"], _value(i["value"], i["unit"]), i["unit"], i["basis"]] for i in p["items"]],
            align="lrll"),
        "",
        "Needs metered or operator data (not given by the model)",
        *pairs([(m["item"], m["source"]) for m in p["needs_metered_data"]]),
        "",
        "Obligations at the site's size",
        *[line for o in p["obligations"] for line in (
            f"  [{'applies' if o['applies'] else 'does not apply'}] {o['rule']}",
            f"      {o['basis']}: site {num(o['site_kw'], 0)} kW, threshold "
            f"{num(o['threshold_kw'], 0)} kW; {o['deadline']}")],
    ]
    if p["enefg"]:
        lines += ["", "EnEfG thresholds by year (model: PUE, ERF, REF of the simulated year)",
                  *grid([["year", "PUE max", "ERF min", "renewable min"]] + [
                      [str(e["year"]), _limit(e["pue_max"], e["pue_ok"]),
                       _limit(e["erf_min"], e["erf_ok"]),
                       _limit(e["renewable_min_frac"], e["ref_ok"])] for e in p["enefg"]])]
    if w["network"]:
        heat = (f"{w['delivered_mwh']:,.0f} MWh delivered of {w['available_mwh']:,.0f} MWh "
                f"available at {w['source_c']:g} °C; heat pump COP {w['cop']:.2f}, "
                f"{w['heat_pump_mwh']:,.0f} MWh of electricity")
        money = (f"revenue {eur(w['revenue_eur_per_year'])}, electricity "
                 f"{eur(w['electricity_eur_per_year'])}, annualized capex "
                 f"{eur(w['annualized_capex_eur_per_year'])} (capex {eur(w['capex_eur'])}), "
                 f"maintenance {eur(w['maintenance_eur_per_year'])}: net "
                 f"{eur(w['net_benefit_eur_per_year'])} per year")
    else:
        heat = (f"no district network; {w['available_mwh']:,.0f} MWh a year available at "
                f"{w['source_c']:g} °C (set heat_reuse to model an export)")
        money = "-"
    lines += ["", "Waste heat (cost-benefit analysis input)",
              *pairs([("Heat", heat), ("Yearly cost-benefit", money)])]
    return "\n".join(lines)


def pack_rows(p: dict) -> list[dict]:
    """One CSV row per item, metered item, obligation and EnEfG threshold."""
    rows = [{"section": "kpi", "id": i["id"], "item": i["item"], "value": i["value"],
             "unit": i["unit"], "basis": i["basis"], "definition": i["definition"]}
            for i in p["items"]]
    rows += [{"section": "needs_metered_data", "id": m["id"], "item": m["item"], "value": None,
              "unit": m["unit"], "basis": "metered", "definition": m["source"]}
             for m in p["needs_metered_data"]]
    rows += [{"section": "obligation", "id": f"obligation_{k}", "item": o["rule"],
              "value": o["applies"], "unit": "applies", "basis": o["basis"],
              "definition": f"threshold {o['threshold_kw']:g} kW, site {o['site_kw']:g} kW; "
              f"{o['deadline']}"} for k, o in enumerate(p["obligations"])]
    for e in p["enefg"]:
        for key, limit, ok, unit in (("pue", "pue_max", "pue_ok", "max"),
                                     ("erf", "erf_min", "erf_ok", "min"),
                                     ("ref", "renewable_min_frac", "ref_ok", "min")):
            if e[limit] is not None:
                rows.append({"section": "enefg", "id": f"{key}_{e['year']}",
                             "item": f"EnEfG {key.upper()} {unit} {e['year']}",
                             "value": e[limit], "unit": "-",
                             "basis": "met" if e[ok] else "missed",
                             "definition": f"model {key.upper()} {e[key]:.4f}"})
    return rows


def pack_view(p: dict) -> View:
    """The reporting pack in the three formats."""
    return View(p, lambda: pack_table(p), lambda: pack_rows(p))
