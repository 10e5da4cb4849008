"""Economics and carbon of a batch: capex, opex, annualized TCO, unit costs, emissions.

Vectorized over scenarios from the flattened parameters, the design point (IT load, GPUs,
compute) and the annual simulation (energy, hours, utilization, carbon); the models are in
:mod:`dcplanner.models.economics`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import ratio
from dcplanner.engine.params import Arrays
from dcplanner.models.compute import sustained_pflops
from dcplanner.models.economics import capital_recovery_factor, energy_cost_eur
from dcplanner.units import HOURS_PER_YEAR, S_PER_DAY, S_PER_H


def energy_price_eur_per_mwh(x: Arrays) -> NDArray:
    """All-in electricity price [EUR/MWh]: energy, network tariff and excise."""
    return x["energy_eur_per_mwh"] + x["network_tariff_eur_per_mwh"] + x["excise_eur_per_mwh"]


def capex(x: Arrays, out: Arrays) -> Arrays:
    """Per scenario (S,): facility, IT, network and storage capex and their total [EUR]. IT
    capex is NaN when a deployed system has no price."""
    count = x["count"]
    it_eur = np.where(count > 0, count * x["price_usd"] * x["eur_per_usd"][:, None], 0.0).sum(1)
    facility_eur = out["design_it_w"] * x["facility_eur_per_w_it"] * (1 + x["ai_premium_frac"])
    network_eur = it_eur * x["network_frac_of_it"]
    storage_eur = x["storage_frac_of_capex"] * (facility_eur + it_eur + network_eur)
    return {"facility_eur": facility_eur, "it_eur": it_eur, "network_eur": network_eur,
            "storage_eur": storage_eur,
            "capex_eur": facility_eur + it_eur + network_eur + storage_eur}


def costs(x: Arrays, out: Arrays, annual: Arrays) -> Arrays:
    """Per scenario (S,): capex by part, annualized capex, opex by part, TCO, unit costs and
    carbon [EUR, tCO2e]. IT capex is NaN when a deployed system has no price."""
    count = x["count"]
    cap = capex(x, out)
    facility_eur, it_eur = cap["facility_eur"], cap["it_eur"]
    network_eur, storage_eur, capex_eur = cap["network_eur"], cap["storage_eur"], cap["capex_eur"]
    rate = x["discount_rate_frac"]
    annualized_eur = (facility_eur * capital_recovery_factor(rate, x["facility_lifetime_years"])
                      + (it_eur + network_eur + storage_eur)
                      * capital_recovery_factor(rate, x["it_lifetime_years"]))
    price = energy_price_eur_per_mwh(x)
    energy_eur = energy_cost_eur(annual["facility_mwh"], price)
    maintenance_eur = facility_eur * x["maintenance_frac_per_year"]
    staff_eur = x["staff_fte"] * x["staff_eur_per_fte_year"]
    opex_eur = energy_eur + maintenance_eur + staff_eur
    # Costs are per year of the weather year's length.
    years = annual["hours"] / HOURS_PER_YEAR
    tco_eur = annualized_eur * years + opex_eur
    gpu_hours = out["gpus"] * annual["hours"]
    sustained = sustained_pflops(out["peak_pflops_bf16"], x["mfu_frac"],
                                 annual["utilization_mean_frac"])
    pflop_days = sustained * annual["hours"] * S_PER_H / S_PER_DAY
    embodied_t = (count * x["embodied_tco2e"]).sum(axis=1) / x["it_lifetime_years"] * years
    return {
        "facility_eur": facility_eur, "it_eur": it_eur, "network_eur": network_eur,
        "storage_eur": storage_eur, "capex_eur": capex_eur, "annualized_capex_eur": annualized_eur,
        "energy_eur": energy_eur, "maintenance_eur": maintenance_eur,
        "staff_eur": np.broadcast_to(staff_eur, capex_eur.shape), "opex_eur": opex_eur,
        "tco_eur": tco_eur, "cost_per_gpu_hour_eur": ratio(tco_eur, gpu_hours),
        "cost_per_pflop_day_eur": ratio(tco_eur, pflop_days),
        "energy_share_frac": ratio(energy_eur, tco_eur),
        "operational_tco2e": annual["carbon_tco2e"], "embodied_tco2e": embodied_t,
        "energy_price_eur_per_mwh": price,
        "hours": annual["hours"],
    }
