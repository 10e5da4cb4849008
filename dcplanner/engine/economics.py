"""Economics and carbon of a batch: capex, opex, annualized TCO, unit costs, emissions.

Vectorized over scenarios from the flattened parameters, the design point (IT load, GPUs,
compute, the compute fabric's sizing) and the annual simulation (energy, hours, utilization,
carbon); the models are in :mod:`dcplanner.models.economics`.

Every item of the TCO is computed once and named in :data:`CAPEX_ITEMS` and
:data:`OPEX_ITEMS`: the TCO per year is the sum of :func:`costs`' ``tco_<item>_eur``, each
capex item annualized over its lifetime and each opex item for the weather year's length.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.chain import ratio
from dcplanner.engine.params import Arrays
from dcplanner.models.compute import sustained_pflops
from dcplanner.models.economics import (
    capital_recovery_factor,
    energy_cost_eur,
    fabric_capex_usd,
    goodput_frac,
)
from dcplanner.units import HOURS_PER_YEAR, S_PER_DAY, S_PER_H

#: Capex items, each ``<item>_eur`` in :func:`capex` (facility and grid connection over the
#: facility lifetime, the rest over the IT lifetime).
CAPEX_ITEMS = ("facility", "it_hardware", "network", "storage", "spares", "grid_connection")
#: The network capex by part: the compute fabric priced from its sizing, and the frontend,
#: storage and management networks.
NETWORK_PARTS = ("fabric_switches", "fabric_optics", "fabric_cables", "frontend")
#: Opex items, each ``<item>_eur`` per year in :func:`costs`: electricity as energy, network
#: tariff (energy and fixed per-kW parts) and excise, each counted once.
OPEX_ITEMS = ("energy", "grid_tariff", "excise", "maintenance", "it_support", "insurance",
              "local_taxes", "staff")
#: Capex items paid back over the facility lifetime (the others over the IT lifetime).
FACILITY_LIFE_ITEMS = ("facility", "grid_connection")


def energy_price_eur_per_mwh(x: Arrays) -> NDArray:
    """Electricity price per MWh drawn [EUR/MWh]: energy, the network tariff's energy part and
    excise (the fixed per-kW part of the tariff is not in it)."""
    return x["energy_eur_per_mwh"] + x["network_tariff_eur_per_mwh"] + x["excise_eur_per_mwh"]


def capex(x: Arrays, out: Arrays) -> Arrays:
    """Per scenario (S,): capex by item (:data:`CAPEX_ITEMS`, ``<item>_eur``), the network by
    part (``network_<part>_eur``) and the total ``capex_eur`` [EUR]. IT capex is NaN when a
    deployed system has no price, network capex when a deployed fabric has none."""
    count, fx = x["count"], x["eur_per_usd"]
    used = count > 0
    it_eur = np.where(used, count * x["price_usd"], 0.0).sum(1) * fx
    fabric = fabric_capex_usd(out["dep_fabric_switches"], out["dep_fabric_optical_ends"],
                              x["fabric_switch_usd"], x["fabric_transceiver_usd_per_end"],
                              x["fabric_cable_usd_per_link"])
    parts = {f"network_fabric_{k}_eur": np.where(used, v, 0.0).sum(1) * fx
             for k, v in fabric.items()}
    fabric_eur = sum(parts.values())
    parts["network_frontend_eur"] = fabric_eur * x["frontend_network_frac_of_fabric"]
    network_eur = fabric_eur + parts["network_frontend_eur"]
    facility_eur = out["design_it_w"] * x["facility_eur_per_w_it"] * (1 + x["ai_premium_frac"])
    spares_eur = x["spares_frac_of_it"] * (it_eur + network_eur)
    storage_eur = x["storage_frac_of_capex"] * (facility_eur + it_eur + network_eur)
    connection_eur = x["grid_w"] * x["grid_connection_eur_per_w"]
    items = {"facility_eur": facility_eur, "it_hardware_eur": it_eur, "network_eur": network_eur,
             "storage_eur": storage_eur, "spares_eur": spares_eur,
             "grid_connection_eur": connection_eur}
    return {**items, **parts, "capex_eur": sum(items.values())}


def _goodput(x: Arrays, gpus: NDArray) -> NDArray:
    """Goodput share of the delivered GPU-hours: one synchronous job on ``goodput_job_gpus``
    (unset: every GPU of the site; 0: none, no loss) with the scenario's training inputs."""
    job = np.where(np.isnan(x["goodput_job_gpus"]), gpus,
                   np.minimum(np.nan_to_num(x["goodput_job_gpus"]), gpus))
    given = np.isfinite(x["checkpoint_interval_s"])
    write_h = x["checkpoint_write_s"] / S_PER_H
    rate = x["interruption_rate_per_gpu_h"] * job
    frac = goodput_frac(rate, write_h, x["restart_s"] / S_PER_H)
    if given.any():
        fixed = goodput_frac(rate, write_h, x["restart_s"] / S_PER_H,
                             np.where(given, x["checkpoint_interval_s"], 1.0) / S_PER_H)
        frac = np.where(given, fixed, frac)
    return np.where(job > 0, frac, 1.0)


def costs(x: Arrays, out: Arrays, annual: Arrays) -> Arrays:
    """Per scenario (S,): capex by item, annualized capex, opex by item, TCO and its parts
    (``tco_<item>_eur``), unit costs per installed, sold and delivered GPU-hour, the market
    comparison and carbon [EUR, tCO2e]. IT capex is NaN when a deployed system has no price."""
    count = x["count"]
    cap = capex(x, out)
    rate = x["discount_rate_frac"]
    crf_facility = capital_recovery_factor(rate, x["facility_lifetime_years"])
    crf_it = capital_recovery_factor(rate, x["it_lifetime_years"])
    # Costs are per year of the weather year's length.
    years = annual["hours"] / HOURS_PER_YEAR
    mwh = annual["facility_mwh"]
    insured = (cap["facility_eur"] + cap["it_hardware_eur"] + cap["network_eur"]
               + cap["storage_eur"] + cap["spares_eur"])
    opex = {
        "energy_eur": energy_cost_eur(mwh, x["energy_eur_per_mwh"]),
        "grid_tariff_eur": energy_cost_eur(mwh, x["network_tariff_eur_per_mwh"])
        + x["grid_w"] * x["network_tariff_eur_per_w_year"] * years,
        "excise_eur": energy_cost_eur(mwh, x["excise_eur_per_mwh"]),
        "maintenance_eur": cap["facility_eur"] * x["maintenance_frac_per_year"] * years,
        "it_support_eur": (cap["it_hardware_eur"] + cap["network_eur"])
        * x["it_support_frac_per_year"] * years,
        "insurance_eur": insured * x["insurance_frac_per_year"] * years,
        "local_taxes_eur": cap["facility_eur"] * x["local_tax_frac_per_year"] * years,
        "staff_eur": x["staff_fte"] * x["staff_eur_per_fte_year"] * years,
    }
    opex_eur = sum(opex.values())
    tco_parts = {f"tco_{item}_eur": cap[f"{item}_eur"] * years
                 * (crf_facility if item in FACILITY_LIFE_ITEMS else crf_it)
                 for item in CAPEX_ITEMS}
    annualized_eur = sum(tco_parts.values()) / years
    tco_parts.update({f"tco_{item}_eur": opex[f"{item}_eur"] for item in OPEX_ITEMS})
    tco_eur = sum(tco_parts.values())
    electricity_eur = opex["energy_eur"] + opex["grid_tariff_eur"] + opex["excise_eur"]

    gpus = out["gpus"]
    gpu_hours = gpus * annual["hours"]
    sold_hours = gpu_hours * x["sold_frac"]
    goodput = _goodput(x, gpus)
    delivered_hours = sold_hours * goodput
    per_sold = ratio(tco_eur, sold_hours)
    market_usd = np.where(count > 0, out["dep_gpus"] * x["market_usd_per_gpu_hour"], 0.0)
    market = ratio(market_usd.sum(1), gpus) * x["eur_per_usd"]
    sustained = sustained_pflops(out["peak_pflops_bf16"], x["mfu_frac"],
                                 annual["utilization_mean_frac"])
    pflop_days = sustained * annual["hours"] * S_PER_H / S_PER_DAY
    embodied_t = (count * x["embodied_tco2e"]).sum(axis=1) / x["it_lifetime_years"] * years
    return {
        **cap, "annualized_capex_eur": annualized_eur, **opex, "opex_eur": opex_eur,
        **tco_parts, "tco_eur": tco_eur, "electricity_eur": electricity_eur,
        "cost_per_gpu_hour_eur": ratio(tco_eur, gpu_hours),
        "cost_per_sold_gpu_hour_eur": per_sold,
        "cost_per_delivered_gpu_hour_eur": ratio(tco_eur, delivered_hours),
        "sold_gpu_hours": sold_hours, "delivered_gpu_hours": delivered_hours,
        "goodput_frac": goodput,
        "market_eur_per_gpu_hour": market,
        "margin_eur_per_gpu_hour": market - per_sold,
        "margin_frac": ratio(market - per_sold, market),
        "cost_per_pflop_day_eur": ratio(tco_eur, pflop_days),
        "energy_share_frac": ratio(electricity_eur, tco_eur),
        "operational_tco2e": annual["carbon_tco2e"], "embodied_tco2e": embodied_t,
        "energy_price_eur_per_mwh": energy_price_eur_per_mwh(x),
        "hours": annual["hours"],
    }
