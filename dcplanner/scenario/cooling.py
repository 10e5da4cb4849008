"""Cooling section: water loops, air side, dry coolers, adiabatic stage, chillers."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import Discriminator, Field, Tag

from dcplanner.models.cooling.chiller import (
    CHILLER_MODELS,
    CURVE_SETS,
    biquadratic_min,
    quadratic_min,
)
from dcplanner.models.cooling.coolant import MAX_GLYCOL_FRAC, freezing_point_c
from dcplanner.validation import MIN_EFFICIENCY, Rule, StrictModel, tagged_union


class WaterLoop(StrictModel):
    """A water loop's temperatures and pumping."""

    supply_c: float = Field(ge=0, le=70, description="Supply temperature [°C]")
    return_c: float = Field(ge=0, le=80, description="Return temperature [°C]")
    pump_head_kpa: float = Field(
        250, gt=0, le=2000,
        description="Total pump head, facility pumps and CDU together [kPa]; assumption "
        "(no sourced value, reference/facility.md §3.6)",
    )
    pump_efficiency: float = Field(
        0.7, ge=MIN_EFFICIENCY, le=1,
        description="Pump total efficiency [-]; EnergyPlus example 0.7 (§3.6)"
    )

    rules = (Rule(("supply_c", "return_c"), lambda s, r: np.less(s, r),
                  lambda s, r: f"supply_c ({s:g}) must be below return_c ({r:g})"),)


class ChilledWaterLoop(WaterLoop):
    """The air side's chilled-water loop: a field left out takes its default, so that one
    field (the pump head) can be set alone."""

    supply_c: float = Field(18.0, ge=0, le=70, description="Supply temperature [°C]; "
                            "assumption suiting ASHRAE A1 recommended inlet 18-27 °C "
                            "(reference/facility.md §3.1)")
    return_c: float = Field(24.0, ge=0, le=80, description="Return temperature [°C]; "
                            "assumption, a 6 K range")


#: Air-side economizers the air hall can have (``cooling.air.economizer``).
AIR_ECONOMIZERS = ("none", "indirect")
#: Which side of the coolant distribution units (CDUs) a liquid loop's temperatures describe.
LOOP_SIDES = ("facility", "chip")


class LiquidLoop(WaterLoop):
    """The liquid loop (direct-to-chip) as built: the facility water the heat rejection cools
    and, through liquid-to-liquid CDUs, the chip-side (technology cooling) loop at the racks.
    A field left out takes its default."""

    supply_c: float = Field(32.0, ge=0, le=70, description="Supply temperature [°C] of the side "
                            "`side` names; ASHRAE W32")
    return_c: float = Field(42.0, ge=0, le=80, description="Return temperature [°C]; a 10 K "
                            "range")
    side: Literal[LOOP_SIDES] = Field(
        "facility",
        description="Which loop supply_c and return_c describe: facility (the facility water "
        "the dry coolers or towers cool, as ASHRAE's W classes name it; the chips get it plus "
        "cdu_approach_k) or chip (the racks' loop; the heat rejection must then deliver it "
        "minus cdu_approach_k)",
    )
    cdu_approach_k: float = Field(
        5.0, ge=0, le=20,
        description="CDU approach, chip-side supply minus facility supply [K]; liquid-to-liquid "
        "CDUs rated at about 5 °C (CoolIT, reference/facility.md §3.5 [S45], secondary, 2024)",
    )

    pump_head_kpa: float = Field(
        250, gt=0, le=2000,
        description="Facility-loop pump head [kPa]: piping, the CDUs' primary side and the "
        "dry-cooler coils or economizer exchangers; assumption (no sourced value, "
        "reference/facility.md §3.6); with chip_pump_head_kpa 450 kPa in all, the 400-600 kPa "
        "the physics review finds typical (reference/physics-review.md §2.4, 2026)",
    )
    chip_pump_head_kpa: float = Field(
        200, ge=0, le=2000,
        description="Chip-side (technology cooling) loop pump head, the CDUs' own pumps [kPa]: "
        "rack manifolds, cold plates, quick disconnects, the CDU exchanger and filter; CDU and "
        "manifold differential pressure 'about 0.5-3.0 bar' (ResistanceZero, CDU commissioning "
        "checklist, read 2026-12-01), 2 bar taken; 0 for a loop without CDUs",
    )
    glycol_frac: float = Field(
        0.0, ge=0, le=MAX_GLYCOL_FRAC,
        description="Propylene glycol mass fraction of the facility loop [-], the freeze "
        "protection of outdoor dry coolers; 0: water (freeze protection by other means, e.g. "
        "drain-down); 0.3 freezes at -12.8 °C. Glycol lowers the heat carried per litre and "
        "raises viscosity: more flow and head (Melinder 2010 properties, Blasius friction) and "
        "glycol_approach_k more approach",
    )
    chip_glycol_frac: float = Field(
        0.0, ge=0, le=MAX_GLYCOL_FRAC,
        description="Propylene glycol mass fraction of the chip-side loop [-]; 0: treated water; "
        "technology cooling loops often run 25-30 % PG (ResistanceZero, CDU commissioning "
        "checklist, read 2026-12-01)",
    )
    glycol_approach_k: float = Field(
        1.5, ge=0, le=10,
        description="Extra approach of the heat exchanger cooling a facility loop that carries "
        "glycol (dry-cooler coils, economizer plates) [K], applied when glycol_frac > 0; glycol "
        "'adds about 1-2 K of approach' (reference/physics-review.md §6.3, 2026), the middle "
        "taken",
    )

    rules = (
        *WaterLoop.rules,
        Rule(("side", "supply_c", "cdu_approach_k", "glycol_frac"),
             lambda side, s, a, g: (side != "chip") | (s - a > freezing_point_c(g)),
             lambda side, s, a, g: f"a chip-side supply of {s:g} °C with a {a:g} K CDU "
             f"approach needs facility water at {s - a:g} °C, at or below the "
             f"{round(float(freezing_point_c(g)), 1) + 0.0:g} °C freezing point of the "
             f"facility loop (glycol_frac {g:g}); raise glycol_frac (up to "
             f"{MAX_GLYCOL_FRAC:g})"),
    )


class AirSide(StrictModel):
    """CRAH / fan walls for the heat that reaches room air, on a chilled-water loop."""

    water: ChilledWaterLoop = Field(
        default_factory=ChilledWaterLoop,
        description="Chilled-water loop of the CRAH coils; default 18/24 °C, assumption "
        "suiting ASHRAE A1 recommended inlet 18-27 °C (reference/facility.md §3.1)",
    )
    delta_k: float = Field(
        12.0, gt=0, le=40, description="Room-air temperature rise across IT [K] (§3.6 example)"
    )
    fan_pressure_pa: float = Field(
        486.0, gt=0, le=5000, description="CRAH fan pressure [Pa]; EnergyPlus CRAC example"
    )
    fan_efficiency: float = Field(
        0.7, ge=MIN_EFFICIENCY, le=1,
        description="CRAH fan total efficiency [-]; EnergyPlus CRAC example"
    )
    economizer: Literal[AIR_ECONOMIZERS] = Field(
        "none",
        description="Air-side economizer of the air hall: none, or indirect (an air-to-air "
        "heat exchanger between the hall's return air and outdoor 'scavenger' air, which never "
        "enters the hall: no humidity or particle limit; K. Dunnavant, 'Indirect air-side "
        "economizer cycle', ASHRAE Journal, March 2011). It takes the share of the air-side "
        "heat the outdoor air allows before the chilled-water coils",
    )
    economizer_effectiveness: float = Field(
        0.75, ge=0, le=1,
        description="Temperature effectiveness of the economizer's heat exchanger [-]; "
        "'typically ... 75 %+' for plate exchangers (Spec-Air, indirect cooling heat "
        "exchanger, read 2026-12-01)",
    )
    supply_air_c: float = Field(
        24.0, ge=10, le=40,
        description="Air supplied to the IT [°C]; the hall's return is delta_k warmer. "
        "Assumption within ASHRAE A1's recommended 18-27 °C inlet (reference/facility.md §3.1)",
    )
    economizer_fan_pressure_pa: float = Field(
        250.0, gt=0, le=5000,
        description="Scavenger-air fan pressure through the economizer's exchanger [Pa], at "
        "fan_efficiency, run at the hall's airflow whenever outdoor air is below the return; "
        "assumption",
    )


class DryCooler(StrictModel):
    """Dry coolers (and air-cooled chiller condensers) rejecting heat to outdoor air."""

    approach_k: float = Field(
        10.0, ge=0, le=30,
        description="Leaving water minus entering air [K]; median ~10 K over 6,730 models "
        "(Energies 16(9) 3661, 2023; reference/facility.md §3.5)",
    )
    coil_air_delta_k: float = Field(
        10.0, gt=0, le=40, description="Air temperature rise across the coils [K]; assumption"
    )
    fan_pressure_pa: float = Field(
        150.0, gt=0, le=2000, description="Coil fan pressure [Pa]; assumption"
    )
    fan_efficiency: float = Field(
        0.5, ge=MIN_EFFICIENCY, le=1, description="Coil fan total efficiency [-]; assumption"
    )
    min_fan_speed_frac: float = Field(
        0.3, ge=0.05, le=1,
        description="Lowest fan speed as a share of full speed [-]; the fans follow the load "
        "and the outdoor air hour by hour (cube law); assumption for EC fans "
        "(reference/physics-review.md §2.4, 2026)",
    )
    unit_mw: float = Field(
        1.0, gt=0, le=50,
        description="Heat one dry cooler rejects at the design hour [MW]; the 1,000 kW unit of "
        "the vendor comparison in reference/facility.md §3.5 [S39]. Each bank has as many "
        "units as its design heat needs, plus redundant_units",
    )
    redundant_units: int = Field(
        1, ge=0, le=100,
        description="Units beyond those the design heat needs, per bank [-]; N+1 by default. "
        "The design hour is sized with the redundant units out of service; in the other hours "
        "all units run and share the air (fan power falls with the square of the share, "
        "N units' air through N + R fans)",
    )


class Adiabatic(StrictModel):
    """Evaporative pre-cooling of the dry coolers' inlet air."""

    enabled: bool = True
    effectiveness: float = Field(
        0.8, ge=0, le=1,
        description="Saturation effectiveness, share of the wet-bulb depression removed [-]; "
        "assumption (typical pads 0.7-0.9)",
    )
    switch_on_c: float = Field(
        21.0, ge=-10, le=60,
        description="Dry bulb from which the pads are wetted [°C]; below it the coolers run dry. "
        "'Dry mode ... below a certain set point (e.g., below 70 °F / 21 °C)' (Tipo Heat "
        "Exchangers, hybrid dry cooler guide, 2025); sites use about 20-26 °C "
        "(reference/physics-review.md §2.4)",
    )
    frost_lockout_c: float = Field(
        4.0, ge=-10, le=30,
        description="Dry bulb below which the pads are never wetted, whatever switch_on_c "
        "[°C]: units go dry 'once the ambient temperature begins to approach freezing' and "
        "drain their sumps (Baltimore Aircoil, adiabatic cooling types, read 2026-12-01); "
        "4 °C, where ice forms on wet equipment (the towers' min_water_c source)",
    )
    cycles_of_concentration: float = Field(
        5.0, gt=1, le=50,
        description="Cycles of concentration of the pads' recirculated water [-]: bleed-off is "
        "evaporation / (cycles - 1), 25 % at 5; cycles 3-15 (reference/facility.md §3.5 "
        "[S21]), bleed-off 10-30 % of evaporation (reference/physics-review.md §2.4, 2026)",
    )


#: Names of the published chiller curve sets (``cooling.chiller.curves``).
CURVE_SET_NAMES = tuple(CURVE_SETS)
#: Plausible limits of a curve's temperature ranges [°C]: chilled water above freezing, no
#: condenser fluid beyond the hottest air or tower water a chiller is rated for.
_CURVE_LIMITS_C = (-40.0, 80.0)


def _range_ok(r: list[float]) -> bool:
    return bool(_CURVE_LIMITS_C[0] <= r[0] < r[1] <= _CURVE_LIMITS_C[1])


class EirCurves(StrictModel):
    """A ``Chiller:Electric:EIR`` curve set given as coefficients (EnergyPlus form, °C):
    CAPFT and EIRFT ``c1 + c2 x + c3 x^2 + c4 y + c5 y^2 + c6 x y`` with x the leaving chilled
    water and y the entering condenser fluid, normalised to 1 at the rated point; EIRFPLR
    ``c1 + c2 PLR + c3 PLR^2``, 1 at full load."""

    capft: list[float] = Field(min_length=6, max_length=6,
                               description="Capacity curve coefficients c1..c6 [-]")
    eirft: list[float] = Field(min_length=6, max_length=6,
                               description="EIR curve coefficients c1..c6 [-]")
    eirfplr: list[float] = Field(min_length=3, max_length=3,
                                 description="Part-load EIR curve coefficients c1..c3 [-]")
    water_range_c: list[float] = Field(
        min_length=2, max_length=2,
        description="Valid leaving chilled water [°C]: min, max; inputs are clamped to it",
    )
    condenser_range_c: list[float] = Field(
        min_length=2, max_length=2,
        description="Valid entering condenser fluid [°C]: min, max; inputs are clamped to it",
    )

    rules = (
        *(Rule((f,), _range_ok,
               lambda r: f"the range {r[0]:g} to {r[1]:g} °C must be increasing and within "
               f"{_CURVE_LIMITS_C[0]:g} to {_CURVE_LIMITS_C[1]:g} °C", at=f)
          for f in ("water_range_c", "condenser_range_c")),
        *(Rule((f, "water_range_c", "condenser_range_c"),
               lambda c, x, y: biquadratic_min(c, x, y) > 0,
               lambda c, x, y, f=f: f"{f} must stay positive over its valid range (minimum "
               f"{biquadratic_min(c, x, y):.4g} within {x[0]:g}-{x[1]:g} °C water and "
               f"{y[0]:g}-{y[1]:g} °C condenser fluid)", at=f)
          for f in ("capft", "eirft")),
    )


#: A chiller curve set: a published set by name, or coefficients given (one error line
#: either way, at ``curves`` or at the coefficient field).
CurveSet = Annotated[
    Union[  # noqa: UP007
        Annotated[Literal[CURVE_SET_NAMES], Tag("name")],
        Annotated[EirCurves, Tag("coefficients")],
    ],
    Discriminator(lambda v: "name" if isinstance(v, str) else "coefficients"),
]


class Chiller(StrictModel):
    """Trim air-cooled chillers for the heat the dry coolers cannot reject."""

    model: Literal[CHILLER_MODELS] = Field(
        "carnot",
        description="COP model: carnot (a fraction of the Carnot COP, capped) or eir "
        "(EnergyPlus Chiller:Electric:EIR curves). Default carnot: the published air-cooled "
        "curves are valid for 5-10 °C chilled water only (openstudio-standards ASHRAE 90.1 "
        "set, read 2026-12-01), and EnergyPlus clamps warmer water to 10 °C, which would "
        "price the 18 °C air-side and 35 °C liquid loops as 10 °C water",
    )
    carnot_efficiency_frac: float = Field(
        0.405, ge=MIN_EFFICIENCY, le=1,
        description="Fraction of Carnot COP [-]; gives COP 2.96 (ASHRAE 90.1 path A air-cooled "
        "minimum, 10.1 EER) at the AHRI point 6.67 °C water / 35 °C air with a 10 K approach",
    )
    max_cop: float = Field(
        5.26, gt=0, le=50,
        description="Cap on the Carnot model's COP at small lift [-]; derived: the highest "
        "full-load COP the ASHRAE 90.1 air-cooled curves give within (and, clamped, beyond) "
        "their valid range, rated COP 2.96 / EIRFT(10 °C water, 12.7 °C air) = 2.96 / 0.5631 "
        "(AirCooled_Chiller_2010_PathA_EIRFT, openstudio-standards, read 2026-12-01; "
        "reference/physics-review.md §2.4: the former cap 7.5 let low-lift COP run 42 % above "
        "these curves)",
    )
    rated_cop: float = Field(
        2.96, gt=0, le=50,
        description="EIR model: COP at the curves' rated point [-]; ASHRAE 90.1-2022 Table "
        "6.8.1-3 path A air-cooled minimum, 10.1 EER at the AHRI point 6.67 °C water / 35 °C "
        "air (the Carnot default's calibration point), dated 2022",
    )
    curves: CurveSet = Field(
        "ashrae_90_1_air_cooled",
        description="EIR model: the curve set, by name (ashrae_90_1_air_cooled: ASHRAE 90.1 "
        "Appendix G reference air-cooled chiller, openstudio-standards, read 2026-12-01; "
        "doe2_centrifugal: DOE-2.1E water-cooled centrifugal, EnergyPlus datasets/"
        "Chillers.idf, read 2026-12-01) or as coefficients",
    )
    min_part_load_frac: float = Field(
        0.1, gt=0, le=1,
        description="EIR model: minimum part-load ratio [-], below which the chiller cycles; "
        "0.1 as EnergyPlus' DOE-2 generic chillers (datasets/Chillers.idf, read 2026-12-01)",
    )
    min_unloading_frac: float = Field(
        0.2, ge=0, le=1,
        description="EIR model: minimum unloading ratio [-], below which the chiller "
        "false-loads (EIRFPLR held there); 0.2 as EnergyPlus' DOE-2 generic chillers "
        "(datasets/Chillers.idf, read 2026-12-01)",
    )
    units: int = Field(
        1, ge=1, le=100,
        description="EIR model: identical chillers in each loop's bank [-], staged on as the "
        "load needs and sharing it (EnergyPlus SequentialUniformPLR); assumption: 1, the bank "
        "as one machine, as one autosized EnergyPlus chiller object",
    )

    rules = (
        Rule(("curves", "min_unloading_frac"),
             lambda c, u: _eirfplr_min(c, u) > 0,
             lambda c, u: "eirfplr must stay positive over the part-load ratios it is used at "
             f"({u:g} to 1; minimum {_eirfplr_min(c, u):.4g})", at="curves"),
        # EnergyPlus resets a minimum unloading ratio below the minimum part-load ratio to
        # it; here the pair is refused instead of changed.
        Rule(("min_part_load_frac", "min_unloading_frac"), lambda p, u: np.asarray(u) >= p,
             lambda p, u: f"min_unloading_frac ({u:g}) is below min_part_load_frac ({p:g}): "
             "a chiller false-loads only above the load where it starts cycling",
             at="min_unloading_frac"),
    )

    def curve_set(self) -> dict[str, tuple[float, ...]]:
        """The EIR model's curves and their valid ranges (a named set or the given one)."""
        return eir_curve_set(self.curves)


def eir_curve_set(curves: str | EirCurves) -> dict[str, tuple[float, ...]]:
    """``capft``, ``eirft``, ``eirfplr``, ``water_range_c`` and ``condenser_range_c`` of a
    named curve set or of coefficients given."""
    keys = ("capft", "eirft", "eirfplr", "water_range_c", "condenser_range_c")
    if isinstance(curves, str):
        return {k: tuple(CURVE_SETS[curves][k]) for k in keys}
    return {k: tuple(getattr(curves, k)) for k in keys}


def _eirfplr_min(curves: str | EirCurves, unloading: float) -> float:
    return quadratic_min(eir_curve_set(curves)["eirfplr"], (unloading, 1.0))


class WaterCooledChiller(Chiller):
    """Water-cooled chillers rejecting to cooling towers."""

    model: Literal[CHILLER_MODELS] = Field(
        "carnot",
        description="COP model: carnot or eir (EnergyPlus Chiller:Electric:EIR curves, fed "
        "the tower water as entering condenser water). Default carnot: it stays within -5 to "
        "+23 % of the DOE-2 centrifugal curves over their range (EnergyPlus datasets/"
        "Chillers.idf, read 2026-12-01), which covers 24-35 °C condenser water only, while "
        "the towers deliver down to 4 °C",
    )
    carnot_efficiency_frac: float = Field(
        0.63, ge=MIN_EFFICIENCY, le=1,
        description="Fraction of Carnot COP [-]; derived: ASHRAE 90.1-2022 Table 6.8.1-3 path A "
        "0.56 kW/ton (COP 6.28) for centrifugal chillers of 300 tons and more, at the AHRI "
        "550/590 point, 6.67 °C chilled-water supply and 34.6 °C leaving condenser water "
        "(COP x lift / T_evap = 6.28 x 27.94 / 279.82 = 0.627), dated 2022",
    )
    max_cop: float = Field(
        11.8, gt=0, le=50,
        description="Cap on COP at small lift [-]; EnergyPlus dataset chiller Trane CVHF "
        "2567 kW, COP 11.77 at 4.4 °C chilled / 12.8 °C condenser water (EnergyPlus "
        "datasets/Chillers.idf, read 2026-11), the highest found",
    )
    rated_cop: float = Field(
        6.28, gt=0, le=50,
        description="EIR model: COP at the curves' rated point [-]; ASHRAE 90.1-2022 path A "
        "0.56 kW/ton for centrifugal chillers of 300 tons and more (the Carnot default's "
        "calibration), dated 2022",
    )
    curves: CurveSet = Field(
        "doe2_centrifugal",
        description="EIR model: the curve set, by name (doe2_centrifugal: DOE-2.1E "
        "water-cooled centrifugal, rated 6.67 °C water / 29.4 °C entering condenser water, "
        "EnergyPlus datasets/Chillers.idf, read 2026-12-01; ashrae_90_1_air_cooled) or as "
        "coefficients",
    )


#: Where the tower defaults come from (undated reference, so the reading is dated).
_EPLUS = "EnergyPlus Input-Output Reference, read 2026-11 at NREL/EnergyPlus commit 049bd2e"


class CoolingTower(StrictModel):
    """Open cooling towers, the water-side economizer and the condenser-water pumps."""

    approach_k: float = Field(
        3.9, gt=0, le=20,
        description="Leaving water minus entering wet bulb [K]; 7 °F, the nominal tower rating "
        "95/85/78 °F (CTI/BAC nominal ton, quoted by Pint PR 1484, 2022-03) and CoolingTower "
        "autosizing (" + _EPLUS + "), held at every hour",
    )
    range_k: float = Field(
        5.6, gt=0, le=20,
        description="Water cooling range through the towers [K]; 10 °F, the same nominal rating "
        "(EnergyPlus autosizes 5.5 K)",
    )
    min_water_c: float = Field(
        4.0, ge=0, le=30,
        description="Lowest water the towers are run down to [°C]; freeze protection: ice forms "
        "on a tower at 35-40 °F (2-4 °C) and below (SPX Cooling Technologies, Marley Class F400 "
        "user manual, 'Freezing weather operation', read 2026-12-01)",
    )
    fan_w_per_w: float = Field(
        0.0105, ge=0, le=0.1,
        description="Fan power per watt rejected [W/W]; CoolingTower autosizing 0.0105 ("
        + _EPLUS + "), between the ASHRAE 90.1-2019 minimum (40.2 gpm/hp: 0.0127 per "
        "nameplate W, ~0.012 electric) and Title 24's 2016 standard design (60 gpm/hp: 0.0085)",
    )
    evaporated_frac: float = Field(
        1.0, gt=0, le=1.6,
        description="Heat rejected by evaporation as a share of all of it [-]; 1.0 all latent "
        "(0.41 kg/s per MW); the typical loss factors 0.15-0.27 %/K (" + _EPLUS
        + ") are 0.87-1.57 of that",
    )
    cycles_of_concentration: float = Field(
        3.0, gt=1, le=50,
        description="Cycles of concentration [-]; default 3, typical 3-5 (" + _EPLUS
        + "); blowdown is evaporation / (cycles - 1) less the drift",
    )
    drift_frac: float = Field(
        8e-5, ge=0, le=0.01,
        description="Drift as a share of the circulating water [-]; default 0.008 % ("
        + _EPLUS + "); modern eliminators 0.0005-0.002 % (W. C. Miller, CTI Journal, "
        "undated, read 2026-11)",
    )
    economizer_approach_k: float = Field(
        2.0, ge=0, le=15,
        description="Plate heat exchanger approach, loop water minus tower water [K]; "
        "assumption, above the 2 °F (1.1 K) practical minimum (HVAC&P Products, fall 2017)",
    )
    pump_head_kpa: float = Field(
        210.0, gt=0, le=2000,
        description="Condenser-water pump head [kPa]; derived: ASHRAE 90.1-2019 Appendix G "
        "baseline 19 W/gpm at 0.70 wire-to-water efficiency (EnergyPlus pump 0.78 x motor 0.9)",
    )
    pump_efficiency: float = Field(
        0.70, ge=MIN_EFFICIENCY, le=1,
        description="Condenser-water pump wire-to-water efficiency [-]; Pump:VariableSpeed "
        "defaults 0.78 impeller x 0.9 motor (" + _EPLUS + ")",
    )


class _Plant(StrictModel):
    """What every cooling plant has: the two loops and, optionally, a heat-rejection limit."""

    plant: str  # each plant narrows it to its own name (the union's tag)
    liquid: LiquidLoop = Field(
        default_factory=LiquidLoop,
        description="Facility liquid loop (direct-to-chip); default ASHRAE W32 with a 10 K range",
    )
    air: AirSide = Field(default_factory=AirSide)
    heat_rejection_mw: float | None = Field(
        None, gt=0, description="Installed heat rejection at the design ambient [MW]; "
        "unset = not a constraint",
    )


class DryCoolerPlant(_Plant):
    """Dry coolers with an adiabatic stage and trim air-cooled chillers (the default plant)."""

    plant: Literal["dry_cooler"] = Field(
        "dry_cooler", description="Plant design: dry_cooler or cooling_tower",
    )
    dry_cooler: DryCooler = Field(default_factory=DryCooler)
    adiabatic: Adiabatic = Field(default_factory=Adiabatic)
    chiller: Chiller = Field(default_factory=Chiller)


class CoolingTowerPlant(_Plant):
    """Open cooling towers, a water-side economizer on each loop and water-cooled chillers:
    a generic water-cooled chilled-water plant (ASHRAE 90.1 baseline style)."""

    plant: Literal["cooling_tower"] = Field(description="Plant design: cooling_tower")
    cooling_tower: CoolingTower = Field(default_factory=CoolingTower)
    chiller: WaterCooledChiller = Field(default_factory=WaterCooledChiller)


#: Each plant's section of the schema, by the name ``cooling.plant`` gives.
PLANT_SCHEMAS: dict[str, type[_Plant]] = {
    "dry_cooler": DryCoolerPlant,
    "cooling_tower": CoolingTowerPlant,
}
#: Cooling plants a scenario can choose (``cooling.plant``).
PLANT_NAMES = tuple(PLANT_SCHEMAS)
#: The cooling section: one of the plants, chosen by its ``plant`` field (default dry_cooler).
Cooling = tagged_union(PLANT_SCHEMAS, "plant", "dry_cooler")
