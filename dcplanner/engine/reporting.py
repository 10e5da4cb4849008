"""The EU and French reporting pack of a simulated year, and the threshold check.

From one scenario's record (the JSON of ``dcplanner run``): the information and KPIs of
Commission Delegated Regulation (EU) 2024/1364, Annexes I-II, that a model can give, each with
its definition, unit and basis (simulated, or an input of the scenario); the items that only
metered or operator data can give; which EU, French and German obligations apply at the site's
size; and, for a German site, the EnEfG thresholds year by year against the model's figures.

References
----------
.. [EU] Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024 on the first phase of
   the establishment of a common Union rating scheme for data centres, OJ L 2024/1364,
   17.5.2024 (eur-lex.europa.eu/eli/reg_del/2024/1364/oj), Art. 1 (scope >= 500 kW installed
   IT power demand), Annexes I-II (KPIs per EN 50600-4: PUE, WUE, ERF, REF).
.. [EED] Directive (EU) 2023/1791 (recast Energy Efficiency Directive), Art. 12 (reporting
   by 15 May each year) and Art. 26 (data centres above 1 MW total rated energy input use
   their waste heat unless not technically or economically feasible), per IDED's summary
   (reference/grid-power-rules.md §2.9).
.. [FR] Décret n° 2025-1382 du 29 décembre 2025 (Code de l'énergie D. 236-1 to D. 236-7):
   declaration at >= 500 kW and yearly information by 15 May; waste-heat valorisation above
   1 MW with a cost-benefit analysis (grid-power-rules.md §2.10).
.. [DE] Energieeffizienzgesetz (EnEfG) §11, as summarised by Dentons and datacenter-group
   (grid-power-rules.md §2.9): new data centres operating from 1 Jul 2026 PUE <= 1.2 and ERF
   >= 10 % (from 1 Jul 2027: 15 %, from 1 Jul 2028: 20 %); existing ones PUE <= 1.5 from
   1 Jul 2027 and <= 1.3 from 1 Jul 2030; renewable electricity 50 % from 2024 and 100 % from
   2027; an energy management system from 1 MW.
"""

from __future__ import annotations

from typing import Any

from dcplanner.units import KW_PER_MW, KWH_PER_MWH

#: Sizes the rules start at [kW].
REPORTING_THRESHOLD_KW = 500.0
WASTE_HEAT_THRESHOLD_KW = 1000.0
#: EnEfG: when a data centre counts as new (operating from this date), year and month.
ENEFG_NEW_FROM = (2026, 7)
#: EnEfG ERF for new data centres by the date they start operating (year, month, ERF).
ENEFG_ERF = ((2028, 7, 0.20), (2027, 7, 0.15), (2026, 7, 0.10))
#: EnEfG PUE limits: new data centres from their start; existing ones from a date.
ENEFG_PUE_NEW = 1.2
ENEFG_PUE_EXISTING = ((2030, 7, 1.3), (2027, 7, 1.5))
#: EnEfG renewable electricity share by year it applies from.
ENEFG_RENEWABLE = ((2027, 1.0), (2024, 0.5))
#: Years the EnEfG table covers.
ENEFG_YEARS = range(2024, 2032)


def _item(key: str, item: str, value: Any, unit: str, definition: str, basis: str) -> dict:
    return {"id": key, "item": item, "value": value, "unit": unit, "definition": definition,
            "basis": basis}


def kpi_items(r: dict) -> list[dict]:
    """The Annex I-II items the model gives for the scenario of record ``r``, in kWh, kW, m3."""
    a, heat = r["annual"], r["annual"]["heat_reuse"]
    inside = heat["owner"] == "data_centre"
    heat_c = heat["supply_c"] if inside else heat["source_c"]
    sim = "simulated"
    return [
        _item("installed_it_power_kw", "Installed IT power demand (PD_IT)",
              r["it_design_mw"] * KW_PER_MW, "kW",
              "Nominal power demand of the servers, storage and network in the computer room; "
              f"here the IT load at the design point on the {r['provisioning_basis']} "
              "provisioning basis", "model (design point)"),
        _item("total_energy_kwh", "Total energy consumption (E_DC)",
              a["facility_mwh"] * KWH_PER_MWH, "kWh",
              "Energy into the data centre over the year: IT, cooling, electrical losses, "
              "misc" + (" and the heat pump (inside the boundary)" if inside else ""), sim),
        _item("it_energy_kwh", "Energy consumption of IT equipment (E_IT)",
              a["it_mwh"] * KWH_PER_MWH, "kWh", "Energy into the IT equipment at its power "
              "distribution output over the year", sim),
        _item("pue", "Power usage effectiveness (PUE)", a["pue"], "-",
              "E_DC / E_IT (EN 50600-4-2)", sim),
        _item("total_water_input_m3", "Total water input (W_IN)", a["water_m3"], "m3",
              "Water drawn by the cooling plant (adiabatic pads or tower make-up); domestic "
              "water is not modelled", sim),
        _item("wue_l_per_kwh", "Water usage effectiveness (WUE)", a["wue_l_per_kwh"], "L/kWh",
              "W_IN / E_IT (EN 50600-4-9)", sim),
        _item("waste_heat_reused_kwh", "Waste heat reused (E_REUSE)",
              heat["reused_mwh"] * KWH_PER_MWH, "kWh",
              ("Heat delivered to the district network at the heat pump's condenser (heat "
               "pump inside the boundary)" if inside else
               "Loop heat handed over to the district network at the loop return (heat pump "
               "outside the boundary)") if heat["network"] else "No district network: 0",
              sim),
        _item("waste_heat_temperature_c", "Average waste heat temperature",
              heat_c if heat["network"] else None, "°C",
              "Temperature at which the reused heat leaves the data centre", "model (inputs)"),
        _item("erf", "Energy reuse factor (ERF)", a["erf"], "-",
              "E_REUSE / E_DC (EN 50600-4-6)", sim),
        _item("renewable_energy_kwh", "Renewable energy consumption (E_RES)",
              a["renewable_mwh"] * KWH_PER_MWH, "kWh",
              "E_DC x reporting.renewable_frac: guarantees of origin, PPAs and on-site "
              "generation, which the operator proves", "input (reporting.renewable_frac)"),
        _item("ref", "Renewable energy factor (REF)", a["ref"], "-",
              "E_RES / E_DC (EN 50600-4-3)", "input (reporting.renewable_frac)"),
        _item("operational_carbon_kg", "Operational carbon (location based)",
              r["carbon"]["operational_tco2e"] * 1000.0, "kgCO2e",
              f"E_DC x grid intensity ({r['carbon']['intensity']})", sim),
        _item("cue_kg_per_kwh", "Carbon usage effectiveness (CUE)", a["cue_kg_per_kwh"],
              "kgCO2e/kWh", "Operational CO2e / E_IT (EN 50600-4-8, The Green Grid); embodied "
              "carbon excluded", sim),
        _item("waste_heat_available_kwh", "Waste heat available (liquid loop)",
              heat["available_mwh"] * KWH_PER_MWH, "kWh",
              f"Heat into the liquid loop at its {heat['source_c']:g} °C facility-water return "
              "over the year: the potential for reuse", sim),
    ]


#: Annex I items only metered or operator data give: (id, item, unit, why).
METERED = (
    ("floor_area_m2", "Total and computer-room floor area", "m2",
     "building data; the model has racks, not floor area"),
    ("data_traffic", "Incoming and outgoing data traffic", "Exabyte",
     "network counters"),
    ("data_stored", "Data stored and processed", "Exabyte", "storage accounting"),
    ("ict_capacity", "ICT capacity of servers and storage (C_serv, C_stor)", "-",
     "benchmarked server and storage capacity of the installed equipment"),
    ("temperature_set_points", "Temperature set points of the white space", "°C",
     "the building management system (the model's design supply temperatures are inputs, not "
     "measured set points)"),
    ("potable_water_m3", "Potable water input", "m3",
     "the water meters: the model does not split potable from other water"),
    ("renewable_evidence", "Guarantees of origin, PPAs and on-site renewable generation",
     "kWh", "contracts and certificates; the model takes the share as an input"),
    ("backup_generation", "Energy from backup generators and their tests", "kWh",
     "fuel and generator logs; the model has no generator"),
    ("metered_energy", "Metered E_DC and E_IT for the calendar year", "kWh",
     "the site's meters: the model's figures are one simulated weather year"),
)


def _before(year: int, month: int, ref: tuple[int, int]) -> bool:
    return (year, month) < ref


def obligations(r: dict) -> list[dict]:
    """The EU and national rules and whether each applies at the site's size and country."""
    country = r["reporting"]["country"]
    it_kw = r["it_design_mw"] * KW_PER_MW
    input_kw = r["grid_mw"] * KW_PER_MW
    rows = [
        {"rule": "EU 2024/1364 and EED Art. 12: report Annex I-II information and KPIs to the "
                 "European database", "basis": "installed IT power demand",
         "threshold_kw": REPORTING_THRESHOLD_KW, "site_kw": it_kw,
         "applies": it_kw >= REPORTING_THRESHOLD_KW, "deadline": "every year by 15 May"},
        {"rule": "EED Art. 26: use the waste heat unless not technically or economically "
                 "feasible (cost-benefit analysis)", "basis": "total rated energy input (the "
         "grid connection)", "threshold_kw": WASTE_HEAT_THRESHOLD_KW, "site_kw": input_kw,
         "applies": input_kw > WASTE_HEAT_THRESHOLD_KW, "deadline": "before building"},
    ]
    if country == "FR":
        rows += [
            {"rule": "Décret 2025-1382 (C. énergie D. 236-1 to D. 236-7): declare installed "
                     "power, SIRET and contact; yearly information, published",
             "basis": "installed IT power demand, per SIRET",
             "threshold_kw": REPORTING_THRESHOLD_KW, "site_kw": it_kw,
             "applies": it_kw >= REPORTING_THRESHOLD_KW,
             "deadline": "within 2 months of commissioning, then every year by 15 May"},
            {"rule": "Loi 2025-391 and its decree: valorise the waste heat, with a cost-benefit "
                     "analysis before creation or major modification",
             "basis": "power of the data centre (the grid connection)",
             "threshold_kw": WASTE_HEAT_THRESHOLD_KW, "site_kw": input_kw,
             "applies": input_kw > WASTE_HEAT_THRESHOLD_KW,
             "deadline": "reported to apply from 1 Oct 2025"},
        ]
    if country == "DE":
        rows.append({"rule": "EnEfG: energy management system, and the PUE, ERF and renewable "
                             "thresholds below", "basis": "grid connection",
                     "threshold_kw": WASTE_HEAT_THRESHOLD_KW, "site_kw": input_kw,
                     "applies": input_kw >= WASTE_HEAT_THRESHOLD_KW,
                     "deadline": "by year, see enefg"})
    return rows


def enefg(r: dict) -> list[dict]:
    """EnEfG thresholds for the site each year [DE], and the model's PUE, ERF and REF against
    them (None where no threshold applies that year)."""
    rep, a = r["reporting"], r["annual"]
    start = (rep["commissioning_year"], rep["commissioning_month"])
    new = not _before(*start, ENEFG_NEW_FROM)
    erf_min = next((v for y, m, v in ENEFG_ERF if not _before(*start, (y, m))), None)
    rows = []
    for year in ENEFG_YEARS:
        operating = year >= start[0]
        if new:
            pue_max = ENEFG_PUE_NEW if operating else None
            erf = erf_min if operating else None
        else:
            pue_max = next((v for y, _, v in ENEFG_PUE_EXISTING if year >= y), None)
            erf = None
        renewable = next((v for y, v in ENEFG_RENEWABLE if year >= y), None) if operating \
            else None
        rows.append({
            "year": year, "pue_max": pue_max, "pue": a["pue"],
            "pue_ok": None if pue_max is None else a["pue"] <= pue_max,
            "erf_min": erf, "erf": a["erf"], "erf_ok": None if erf is None else a["erf"] >= erf,
            "renewable_min_frac": renewable, "ref": a["ref"],
            "ref_ok": None if renewable is None else a["ref"] >= renewable,
        })
    return rows


def eed_pack(r: dict) -> dict:
    """The reporting pack of one scenario record (with its annual simulation)."""
    heat = r["annual"]["heat_reuse"]
    return {
        "scenario": r["scenario"],
        "regulation": "Commission Delegated Regulation (EU) 2024/1364, Annexes I-II",
        "basis": f"one simulated weather year ({r['annual']['weather']}), not metered data",
        "country": r["reporting"]["country"],
        "items": kpi_items(r),
        "needs_metered_data": [{"id": k, "item": item, "unit": unit, "source": why}
                               for k, item, unit, why in METERED],
        "obligations": obligations(r),
        "enefg": enefg(r) if r["reporting"]["country"] == "DE" else [],
        "waste_heat": {
            "network": heat["network"], "available_mwh": heat["available_mwh"],
            "source_c": heat["source_c"], "delivered_mwh": heat["delivered_mwh"],
            "heat_pump_mwh": heat["heat_pump_mwh"], "cop": heat["cop"],
            **{k: v for k, v in heat["cost_benefit"].items()},
        },
    }


__all__ = ["METERED", "eed_pack", "enefg", "kpi_items", "obligations"]
