"""Heat reuse and reporting sections: a district heating network fed by a heat pump on the liquid
loop's return, and the facts of the site the EU and national reporting rules ask about."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import Field

from dcplanner.units import ZERO_C_IN_K
from dcplanner.validation import MAX_SITE_MW, MIN_EFFICIENCY, Rule, StrictModel

#: Who owns the heat pump, which sets the boundary the KPIs count at (see HeatReuse.owner).
OWNERS = ("network", "data_centre")
#: How the network's hourly demand is given (see Demand.kind).
DEMAND_KINDS = ("degree_hours", "file")
#: Heat pump COP models (see HeatPump.model).
COP_MODELS = ("carnot", "curve")
#: Largest hourly heat demand read from a file [MW]: the site bound.
MAX_DEMAND_MW = MAX_SITE_MW
#: Smallest heat price taken as EUR/MWh [EUR/MWh]: below it the value is almost surely in
#: EUR/kWh (district heat sells at tens of EUR/MWh, 0.02-0.2 EUR/kWh).
MIN_HEAT_PRICE_EUR_PER_MWH = 1.0
#: Smallest heat pump cost taken as EUR/MW [EUR/MW]: below it the value is almost surely per
#: kW (large heat pumps cost hundreds of thousands of euros per MW, hundreds per kW).
MIN_HEAT_PUMP_EUR_PER_MW = 10_000.0


class HeatPump(StrictModel):
    """The heat pump lifting the loop's return water to the network's supply temperature."""

    model: Literal[COP_MODELS] = Field(
        "carnot", description="COP model: carnot (a fraction of the Carnot COP between the "
        "loop return and the network supply, capped at max_cop) or curve (a manufacturer's COP "
        "against lift, lift_k and cop)")
    carnot_efficiency_frac: float = Field(
        0.46, ge=MIN_EFFICIENCY, le=1,
        description="Fraction of the Carnot heating COP [-]; derived: a water-source heat pump "
        "at 0 °C source delivers 65 °C at COP 2.4 against a Carnot limit of 338.15 / 65 = 5.20 "
        "(2.4 / 5.20 = 0.46; Wikipedia 'Heat pump', table 'COP variation with output "
        "temperature', read 2026-12)")
    max_cop: float = Field(
        5.0, gt=1, le=50,
        description="Cap on the heating COP at small lift [-]; 5, the top of the COP 3-5 "
        "reported for heat pumps upgrading 25-40 °C data-centre heat to 60-90 °C district "
        "heating (Danfoss 2023 via hvac.best, May 2026)")
    lift_k: list[float] | None = Field(
        None, min_length=2, max_length=50,
        description="model curve: lifts of the manufacturer's points [K], increasing")
    cop: list[float] | None = Field(
        None, min_length=2, max_length=50,
        description="model curve: heating COP at each lift [-], > 1 and at most the Carnot COP "
        "at the network's supply temperature")
    capacity_mw: float | None = Field(
        None, gt=0, le=MAX_SITE_MW,
        description="Heat output capacity [MW heat]; unset = sized on the year's peak heat "
        "sold")
    eur_per_mw: float = Field(
        500_000.0, ge=0, le=1e8,
        description="Heat pump cost per MW of heat output [EUR/MW]; about EUR 500,000 per MW "
        "for industrial heat-pump equipment, buildings and other infrastructure excluded "
        "(Everllence via the BBC, reported by dagens.com, 2025)")

    rules = (
        Rule(("model", "lift_k", "cop"),
             lambda m, lift, cop: (m == "curve") == isinstance(cop, list)
             and isinstance(lift, list) == isinstance(cop, list),
             lambda m, lift, cop: "give lift_k and cop exactly when model is curve"),
        Rule(("lift_k", "cop"),
             lambda lift, cop: not isinstance(cop, list) or len(lift) == len(cop),
             lambda lift, cop: f"lift_k has {len(lift)} points and cop {len(cop)}: give one "
             "COP per lift", at="cop"),
        Rule(("lift_k",), lambda lift: not isinstance(lift, list) or bool(
            np.all(np.diff(lift) > 0) and lift[0] >= 0),
             lambda lift: "lifts must be >= 0 K and increase", at="lift_k"),
        Rule(("cop",), lambda cop: not isinstance(cop, list) or min(cop) > 1,
             lambda cop: f"a heating COP must exceed 1 (got {min(cop):g})", at="cop"),
        Rule(("eur_per_mw",), lambda v: np.equal(v, 0) | np.greater_equal(
            v, MIN_HEAT_PUMP_EUR_PER_MW),
             lambda v: f"{v:g} EUR/MW is below {MIN_HEAT_PUMP_EUR_PER_MW:,.0f}: the value looks "
             "like EUR/kW; give EUR per MW of heat (x1000)", at="eur_per_mw"),
    )


class Demand(StrictModel):
    """The district network's hourly heat demand that the data centre may serve."""

    kind: Literal[DEMAND_KINDS] = Field(
        "degree_hours", description="degree_hours: annual_mwh spread over the weather year's "
        "heating degree-hours (Eurostat rule, 18 °C base below 15 °C) plus a flat share; file: "
        "hourly MW from a CSV file")
    annual_mwh: float | None = Field(
        None, ge=0, le=1e9,
        description="kind degree_hours: the network's heat demand over the year open to the "
        "data centre [MWh]; 0 = no demand")
    base_frac: float = Field(
        0.2, ge=0, le=1,
        description="kind degree_hours: weather-independent share of it (hot water, network "
        "losses) [-]; assumption")
    file: str | None = Field(
        None, description="kind file: CSV with the network's heat demand [MW] for each hour of "
        "the weather year (>= 0), optionally under a header line; relative to the scenario file")

    rules = (
        Rule(("kind", "file"), lambda k, f: (k == "file") == isinstance(f, str),
             lambda k, f: "give file exactly when kind is file"),
        Rule(("kind", "annual_mwh"), lambda k, a: (k == "file") | ~np.isnan(np.asarray(a, float)),
             lambda k, a: "kind degree_hours needs annual_mwh (the network's demand over the "
             "year, MWh)", at="annual_mwh"),
    )


def _carnot_ok(supply_c: Any, lift: Any, cop: Any) -> Any:
    """Whether every point of a COP curve is at most the Carnot COP at the supply [°C]
    (broadcasts over a column of supply temperatures; True without a curve)."""
    if not isinstance(cop, list):
        return True
    sink_k = np.asarray(supply_c, float)[..., None] + ZERO_C_IN_K
    dt, c = np.asarray(lift, float), np.asarray(cop, float)
    with np.errstate(divide="ignore"):
        carnot = np.where(dt > 0, sink_k / np.where(dt > 0, dt, 1.0), np.inf)
    return np.all(c <= carnot, axis=-1)


def _carnot_message(supply_c: Any, lift: Any, cop: Any) -> str:
    sink_k = float(supply_c) + ZERO_C_IN_K
    dt, c = next((dt, c) for dt, c in zip(lift, cop, strict=False)
                 if dt > 0 and c > sink_k / dt)
    return (f"COP {c:g} at a lift of {dt:g} K is above the Carnot COP {sink_k / dt:.2f} at a "
            f"{supply_c:g} °C supply: no heat pump can reach it")


class HeatReuse(StrictModel):
    """A district heating network taking the liquid loop's heat through a heat pump."""

    supply_c: float = Field(
        65.0, ge=0, le=150,
        description="Network supply temperature the heat pump delivers [°C]; 65 °C, as Equinix "
        "PA10 (Saint-Denis) raises its 28 °C heat for the local network (usine-digitale.fr, "
        "physics-review.md §5)")
    owner: Literal[OWNERS] = Field(
        "network",
        description="Who runs the heat pump, which sets the KPI boundary (EN 50600-4-6): "
        "network = the data centre hands over loop-return heat, which is its reused energy, and "
        "the heat pump's electricity is outside its total energy; data_centre = the heat pump "
        "is inside the boundary: its electricity adds to the facility energy (PUE, CUE) and "
        "the heat delivered to the network is the reused energy")
    heat_pump: HeatPump = Field(default_factory=HeatPump)
    demand: Demand
    heat_price_eur_per_mwh: float = Field(
        40.0, ge=0, le=1000,
        description="Price the network pays for the heat delivered [EUR/MWh]; assumption: half "
        "the EUR 80/MWh excl. tax average selling price of French heat networks in 2021 "
        "(Amorce/Fedene, batiweb.com Dec 2022), the network keeping the rest for distribution")
    connection_eur: float = Field(
        0.0, ge=0, le=1e10,
        description="Pipe to the network and substation [EUR]; site-specific, none by default "
        "(set from the network operator's quote)")
    lifetime_years: float = Field(
        20.0, gt=0, le=100, description="Depreciation of the heat pump and connection [years]; "
        "assumption (the facility lifetime)")
    maintenance_frac_per_year: float = Field(
        0.02, ge=0, le=1, description="Yearly maintenance as a share of the heat capex [-]; "
        "assumption (the facility figure)")

    rules = (
        Rule(("supply_c", "heat_pump.lift_k", "heat_pump.cop"),
             lambda s, lift, cop: _carnot_ok(s, lift, cop),
             lambda s, lift, cop: _carnot_message(s, lift, cop), at="heat_pump.cop"),
        Rule(("heat_price_eur_per_mwh",), lambda p: np.equal(p, 0) | np.greater_equal(
            p, MIN_HEAT_PRICE_EUR_PER_MWH),
             lambda p: f"{p:g} EUR/MWh is below {MIN_HEAT_PRICE_EUR_PER_MWH:g}: the value looks "
             "like EUR/kWh; give EUR per MWh (x1000)", at="heat_price_eur_per_mwh"),
    )


#: Countries whose national rules the threshold check knows (see Reporting.country).
COUNTRIES = ("FR", "DE", "other-EU")


class Reporting(StrictModel):
    """What the reporting rules ask that the physics does not give."""

    country: Literal[COUNTRIES] = Field(
        "FR", description="Country of the site, for the national rules of the threshold check "
        "(FR: Décret 2025-1382; DE: EnEfG; other-EU: the EU rules only)")
    renewable_frac: float = Field(
        0.0, ge=0, le=1,
        description="Share of the facility's energy covered by renewable contracts or on-site "
        "generation (guarantees of origin, PPAs) [-], the REF of EN 50600-4-3; 0 by default: no "
        "contract assumed, and the grid's own mix does not count")
    commissioning_year: int = Field(
        2026, ge=1990, le=2100,
        description="Year the site starts operating; decides whether EnEfG's thresholds for "
        "new data centres (operating from 1 Jul 2026) apply; 2026 = a new site")
    commissioning_month: int = Field(
        7, ge=1, le=12, description="Month the site starts operating [1-12]")


def source_c(return_c: Any, side: Any, cdu_approach_k: Any) -> Any:
    """The facility-water return [°C] the heat pump takes heat from (a loop given on the chip
    side returns the CDU approach warmer than its facility water)."""
    chip = np.asarray(side) == "chip"
    return np.asarray(return_c, float) - np.where(chip, np.asarray(cdu_approach_k, float), 0.0)


def _supply_above(supply: Any, ret: Any, side: Any, approach: Any) -> Any:
    return np.isnan(np.asarray(supply, float)) | (
        np.asarray(supply, float) > source_c(ret, side, approach))


#: The scenario-wide rule: a heat pump lifts heat, so the network's supply must be warmer than
#: the loop return it takes heat from.
SUPPLY_RULE = Rule(
    ("heat_reuse.supply_c", "cooling.liquid.return_c", "cooling.liquid.side",
     "cooling.liquid.cdu_approach_k"),
    _supply_above,
    lambda s, r, side, a: f"supply_c = {s:g} °C is not above the loop's facility-water return "
    f"{float(source_c(r, side, a)):g} °C (cooling.liquid.return_c): a heat pump lifts heat to a "
    "warmer supply; raise supply_c or lower the return", at="heat_reuse.supply_c")
