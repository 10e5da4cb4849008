"""The whole scenario: what a config file holds, one section per module of this package."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from pydantic import Field

from dcplanner.catalog import CatalogPatch
from dcplanner.models.electrical import generator_units
from dcplanner.scenario.cooling import Cooling, DryCoolerPlant
from dcplanner.scenario.electrical import Electrical
from dcplanner.scenario.heat_reuse import SUPPLY_RULE, HeatReuse, Reporting
from dcplanner.scenario.money import Carbon, Economics
from dcplanner.scenario.phases import Phase
from dcplanner.scenario.power import Power
from dcplanner.scenario.site import Site, Weather
from dcplanner.scenario.workload import Deployment, Network, Workload
from dcplanner.validation import Rule, StrictModel


def _something(counts: Any, gpus: Any) -> Any:
    """Whether any deployment has systems or GPUs (counts and GPUs (..., D), NaN unset)."""
    counts, gpus = np.asarray(counts, dtype=float), np.asarray(gpus, dtype=float)
    return np.any((np.nan_to_num(counts) > 0) | (np.nan_to_num(gpus) > 0), axis=-1)


#: Bounds of a scenario's lists: a plan is a few deployments and phases, and each phase is
#: expanded and fitted in turn (the cost of a phased plan grows with its square).
MAX_DEPLOYMENTS = 100
MAX_PHASES = 50


class Scenario(StrictModel):
    """A data-center scenario: site, power chain, cooling, deployments and workload."""

    name: str = Field(min_length=1)
    description: str = ""
    site: Site
    electrical: Electrical
    cooling: Cooling = Field(default_factory=DryCoolerPlant)
    deployments: list[Deployment] = Field(
        min_length=1, max_length=MAX_DEPLOYMENTS,
        description=f"What is deployed, at most {MAX_DEPLOYMENTS} kinds (a site has a few)")
    workload: Workload = Field(default_factory=Workload)
    network: Network = Field(default_factory=Network)
    weather: Weather = Field(default_factory=Weather)
    economics: Economics = Field(default_factory=Economics)
    carbon: Carbon = Field(default_factory=Carbon)
    heat_reuse: HeatReuse | None = Field(
        None, description="A district heating network taking the liquid loop's heat through a "
        "heat pump; unset = none (the heat available is still reported)")
    reporting: Reporting = Field(default_factory=Reporting)
    power: Power = Field(default_factory=Power,
                         description="Sub-hourly swings, smoothing and storage (dcplanner power)")
    catalog: CatalogPatch = Field(default_factory=CatalogPatch)
    phases: list[Phase] = Field(
        default_factory=list, max_length=MAX_PHASES,
        description="Build-out in order: each phase changes the state before it, the first "
        f"phase the scenario as written; at most {MAX_PHASES}",
    )

    rules = (
        Rule(("deployments[].count", "deployments[].gpus"), lambda c, g: _something(c, g),
             lambda c, g: "every deployment is empty; give at least one a count or gpus above 0",
             at="deployments"),
        Rule(("phases",), lambda phases: all(b.start > a.start for a, b in pairwise(phases)),
             lambda phases: "start dates must increase from one phase to the next", at="phases"),
        Rule(("phases",), lambda phases: len({p.name for p in phases}) == len(phases),
             lambda phases: "names must be unique", at="phases"),
        Rule(("cooling.adiabatic.switch_on_c", "site.design_ambient_c",
              "cooling.adiabatic.enabled"),
             lambda on, ambient, enabled: np.isnan(on) | np.logical_not(enabled == True)  # noqa: E712
             | (on <= ambient),
             lambda on, ambient, enabled: f"switch_on_c = {on:g} °C is above the design "
             f"ambient site.design_ambient_c = {ambient:g} °C: the pads would never wet at the "
             "design hour; lower it or set enabled: false", at="cooling.adiabatic.switch_on_c"),
        SUPPLY_RULE,
        Rule(("electrical.generators.units", "electrical.generators.redundant_units",
              "electrical.generators.unit_mva", "electrical.power_factor", "site.grid_mw"),
             lambda n, r, mva, pf, grid: np.isnan(n) | (
                 np.asarray(generator_units(grid, mva, pf, r, np.nan)) <= n),
             lambda n, r, mva, pf, grid: f"units = {n:g} with redundant_units = {r:g} does not "
             f"cover the site.grid_mw = {grid:g} MW grid connection with sets of {mva:g} MVA: "
             f"at least {generator_units(grid, mva, pf, r, np.nan):g} sets",
             at="electrical.generators.units"),
    )
