"""Heat reuse in the annual engine: the hourly heat export of each scenario, its KPIs and its
yearly cost-benefit.

What is counted (EN 50600-4-6, energy reuse factor ERF = E_reuse / E_DC):

* **Heat available** is the heat the racks put into the liquid loop each hour
  (``liquid_heat_w``), at the loop's facility-water return temperature. The air side's heat
  (at about 20 °C) and the pumps' heat are not counted.
* The **heat pump** takes ``recovered`` from the loop and delivers ``delivered = recovered +
  electricity`` to the network, never more than the network's demand, its capacity, or what
  the heat available allows (:func:`dcplanner.models.heat_reuse.heat_export`).
* **Boundary** (``heat_reuse.owner``): with a heat pump run by the network, the data centre's
  reused energy is the loop heat it hands over (``recovered``) and the heat pump's electricity
  is not part of its total energy; with a heat pump inside the data centre, its electricity
  adds to the facility energy every hour (so to PUE, CUE and the energy bill) and the reused
  energy is the heat delivered to the network.
* The cooling plant is not credited for the heat taken from the loop: its fans and chillers
  run as if all the heat were rejected (conservative for PUE).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import facility_water, pue, ratio
from dcplanner.engine.economics import energy_price_eur_per_mwh
from dcplanner.engine.params import Arrays, code_of
from dcplanner.models.economics import capital_recovery_factor
from dcplanner.models.heat_reuse import (
    curve_cop,
    degree_hour_demand_w,
    heat_export,
    heat_pump_cop,
)
from dcplanner.units import HOURS_PER_YEAR

#: Hourly keys the export adds to the chain.
HOURLY_KEYS = ("heat_demand_w", "heat_delivered_w", "heat_recovered_w", "heat_pump_w")


def has_network(x: Arrays) -> NDArray:
    """Whether each scenario has a district network (``heat_reuse`` set)."""
    return ~np.isnan(x["heat_supply_c"])


def source_c(x: Arrays) -> NDArray:
    """The facility-water return each scenario's heat pump takes heat from [°C], (S,)."""
    return facility_water(x)["liquid_return_c"]


def cop(x: Arrays) -> NDArray:
    """Each scenario's heating COP between the loop return and the network supply [-], (S,);
    NaN without a network."""
    source, sink = source_c(x), x["heat_supply_c"]
    carnot = heat_pump_cop(source, sink, x["heat_pump_carnot_frac"], x["heat_pump_max_cop"])
    curve = x["heat_pump_model"] == code_of("heat_pump_model", "curve")
    if curve.any():
        from_curve = curve_cop(sink - source, x["heat_pump_curve_lift_k"],
                               x["heat_pump_curve_cop"])
        carnot = np.where(curve, from_curve, carnot)
    return np.where(has_network(x), carnot, np.nan)


def hourly_heat(x: Arrays, chain: Arrays, dry_bulb_c: NDArray,
                demand_file_w: NDArray | None) -> Arrays:
    """The hourly heat export of the scenarios of ``x`` (S, H), and, for heat pumps inside the
    data centre, the facility power and PUE with their electricity.

    Parameters
    ----------
    x : dict of ndarray
        The chunk's inputs (a column shared by the chunk may be of shape (1,)).
    chain : dict of ndarray
        The hourly facility chain (``liquid_heat_w``, ``facility_w``, ``it_w``) [W].
    dry_bulb_c : ndarray
        Outdoor dry bulb, (1, H) or (S, H) [°C].
    demand_file_w : ndarray, optional
        The network's hourly demand read from a file [W], (H,).

    Returns
    -------
    dict of ndarray
        :data:`HOURLY_KEYS` [W] (zeros of shape (1, 1) when no scenario has a network), and
        ``facility_w`` and ``pue`` when a heat pump is inside the boundary.
    """
    n = chain["facility_w"].shape[0]
    network = np.broadcast_to(has_network(x), (n,))
    if not network.any():
        zero = np.zeros((1, 1))
        return dict.fromkeys(HOURLY_KEYS, zero)
    col = {k: np.broadcast_to(x[k], (n,))[:, None] for k in (
        "heat_demand_annual_mwh", "heat_demand_base_frac", "heat_pump_capacity_w")}
    demand = degree_hour_demand_w(dry_bulb_c, np.nan_to_num(col["heat_demand_annual_mwh"]),
                                  np.nan_to_num(col["heat_demand_base_frac"]))
    if demand_file_w is not None:
        from_file = np.broadcast_to(x["heat_demand_kind"], network.shape)[:, None] == code_of(
            "heat_demand_kind", "file")
        demand = np.where(from_file, demand_file_w[None, :], demand)
    demand = np.where(network[:, None], demand, 0.0)
    # A scenario without a network has no demand; any COP of its rows is never used.
    heat_cop = np.where(network, np.broadcast_to(cop(x), (n,)), 2.0)[:, None]
    heat = heat_export(chain["liquid_heat_w"], demand, heat_cop,
                       col["heat_pump_capacity_w"])
    out = {"heat_demand_w": demand, "heat_delivered_w": heat["delivered_w"],
           "heat_recovered_w": heat["recovered_w"], "heat_pump_w": heat["electricity_w"]}
    inside = network & (np.broadcast_to(x["heat_owner"], network.shape)
                        == code_of("heat_owner", "data_centre"))
    if inside.any():
        facility = chain["facility_w"] + np.where(inside[:, None], heat["electricity_w"], 0.0)
        out.update(facility_w=facility, pue=pue(facility, chain["it_w"]))
    return out


def heat_kpis(out: Arrays, x: Arrays) -> Arrays:
    """Annual heat-reuse and reporting KPIs (S,) from the year's reductions ``out``.

    ERF = reused energy / facility energy [-] (EN 50600-4-6): 0 without a network; REF =
    renewable energy / facility energy [-] (EN 50600-4-3), the contracted share; CUE = CO2e of
    the facility's energy / IT energy [kgCO2e/kWh] (EN 50600-4-8, The Green Grid).
    """
    network = np.broadcast_to(has_network(x), out["it_mwh"].shape)
    inside = network & (np.broadcast_to(x["heat_owner"], network.shape)
                        == code_of("heat_owner", "data_centre"))
    reused = np.where(inside, out["heat_delivered_mwh"], out["heat_recovered_mwh"])
    renewable = np.broadcast_to(x["renewable_frac"], network.shape) * out["facility_mwh"]
    # tCO2e / MWh = kgCO2e / kWh.
    return {
        "heat_reused_mwh": reused,
        "erf": ratio(reused, out["facility_mwh"]),
        "renewable_mwh": renewable,
        "ref": ratio(renewable, out["facility_mwh"]),
        "cue_kg_per_kwh": ratio(out["carbon_tco2e"], out["it_mwh"]),
        "heat_cop": np.broadcast_to(cop(x), network.shape),
        "pue_without_heat_pump": ratio(out["facility_mwh"] - np.where(
            inside, out["heat_pump_mwh"], 0.0), out["it_mwh"]),
    }


def cost_benefit(x: Arrays, annual: Arrays) -> Arrays:
    """The yearly cost-benefit of the heat export (S,) [EUR, EUR/year], NaN without a network.

    The whole chain, whoever owns the heat pump: revenue = heat delivered x heat price; costs =
    the heat pump's electricity at the site's all-in price, the capex (heat pump per MW of
    capacity, or of the year's peak heat delivered when no capacity is set, plus the
    connection) annualized at the site's discount rate over its lifetime, and maintenance.
    With a heat pump inside the data centre its electricity is also in the site's energy bill
    (economics.opex_eur.energy): this figure stands alone, for the waste-heat cost-benefit
    analysis, and is not to be added to the TCO.
    """
    network = has_network(x)
    capacity_w = np.where(np.isnan(x["heat_pump_capacity_w"]), annual["heat_delivered_peak_w"],
                          x["heat_pump_capacity_w"])
    capex = capacity_w * x["heat_pump_eur_per_w"] + x["heat_connection_eur"]
    annualized = capex * capital_recovery_factor(x["discount_rate_frac"],
                                                 x["heat_lifetime_years"])
    maintenance = capex * x["heat_maintenance_frac_per_year"]
    years = annual["hours"] / HOURS_PER_YEAR
    electricity = annual["heat_pump_mwh"] * energy_price_eur_per_mwh(x)
    revenue = annual["heat_delivered_mwh"] * x["heat_price_eur_per_mwh"]
    net = revenue - electricity - (annualized * years + maintenance * years)
    values = {"capacity_w": capacity_w, "capex_eur": capex, "annualized_capex_eur": annualized,
              "maintenance_eur": maintenance * years, "electricity_eur": electricity,
              "revenue_eur": revenue, "net_benefit_eur": net,
              "cost_eur_per_mwh": ratio(electricity + (annualized + maintenance) * years,
                                        annual["heat_delivered_mwh"])}
    return {k: np.where(network, v, np.nan) for k, v in values.items()}


__all__ = ["HOURLY_KEYS", "cop", "cost_benefit", "has_network", "heat_kpis", "hourly_heat",
           "source_c"]
