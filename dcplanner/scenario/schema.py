"""The whole scenario: what a config file holds, one section per module of this package."""

from __future__ import annotations

from itertools import pairwise

from pydantic import Field, model_validator

from dcplanner.catalog import CatalogPatch
from dcplanner.scenario.cooling import Cooling, DryCoolerPlant
from dcplanner.scenario.electrical import Electrical
from dcplanner.scenario.money import Carbon, Economics
from dcplanner.scenario.phases import Phase
from dcplanner.scenario.site import Site, Weather
from dcplanner.scenario.workload import Deployment, Network, Workload
from dcplanner.validation import StrictModel


class Scenario(StrictModel):
    """A data-center scenario: site, power chain, cooling, deployments and workload."""

    name: str = Field(min_length=1)
    description: str = ""
    site: Site
    electrical: Electrical
    cooling: Cooling = Field(default_factory=DryCoolerPlant)
    deployments: list[Deployment] = Field(min_length=1)
    workload: Workload = Field(default_factory=Workload)
    network: Network = Field(default_factory=Network)
    weather: Weather = Field(default_factory=Weather)
    economics: Economics = Field(default_factory=Economics)
    carbon: Carbon = Field(default_factory=Carbon)
    catalog: CatalogPatch = Field(default_factory=CatalogPatch)
    phases: list[Phase] = Field(
        default_factory=list,
        description="Build-out in order: each phase changes the state before it, the first "
        "phase the scenario as written",
    )

    @model_validator(mode="after")
    def _something_deployed(self) -> Scenario:
        if not any(d.count or d.gpus for d in self.deployments):
            raise ValueError("deployments: every deployment is empty; give at least one a "
                             "count or gpus above 0")
        return self

    @model_validator(mode="after")
    def _phases_in_order(self) -> Scenario:
        starts = [p.start for p in self.phases]
        if any(b <= a for a, b in pairwise(starts)):
            raise ValueError("phases: start dates must increase from one phase to the next")
        names = [p.name for p in self.phases]
        if len(set(names)) != len(names):
            raise ValueError("phases: names must be unique")
        return self
