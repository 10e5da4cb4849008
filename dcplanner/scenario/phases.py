"""Phases section: the ordered steps of a site's build-out."""

from __future__ import annotations

from datetime import date

import numpy as np
from pydantic import Field

from dcplanner.validation import MAX_SITE_MW, MIN_SITE_MW, Rule, StrictModel


class PhaseDeployment(StrictModel):
    """Systems a phase adds: a count, a number of GPUs, or as many as fit."""

    system: str = Field(description="System catalog name, e.g. gb300-nvl72")
    count: int | None = Field(None, ge=0, description="Number of systems [-]")
    gpus: int | None = Field(None, ge=0, description="Number of GPUs [-], whole systems")
    fill: bool = Field(False, description="As many as the phase's site holds (capacity fit)")
    fabric: str | None = Field(None, description="Compute fabric; default: the system's")
    name: str = Field("", description="Label in reports, and for retiring it later")

    rules = (Rule(("count", "gpus", "fill"),
                  lambda c, g, f: (not np.isnan(c)) + (not np.isnan(g)) + f == 1,
                  lambda c, g, f: "give exactly one of count, gpus or fill: true"),)


class Retirement(StrictModel):
    """Systems a phase takes out of service."""

    name: str = Field(description="Label of a deployment: its name, or its system if unnamed")
    count: int | None = Field(None, gt=0, description="Systems retired [-]; unset = all")


class Phase(StrictModel):
    """One step of a site's build-out, applied to the state the phase before it left."""

    name: str = Field(min_length=1)
    start: date = Field(description="Date the phase enters service (YYYY-MM-DD)")
    grid_mw: float | None = Field(None, ge=MIN_SITE_MW, le=MAX_SITE_MW,
                                  description="New grid connection [MW]")
    add: list[PhaseDeployment] = Field(default_factory=list)
    retire: list[Retirement] = Field(default_factory=list)
    ups_modules_added: int = Field(0, ge=0, description="UPS modules (of the site's size) "
                                   "added [-]")
    transformer_mva_added: float = Field(0.0, ge=0, description="Transformer rating added [MVA]")
    heat_rejection_mw_added: float = Field(0.0, ge=0,
                                           description="Heat rejection added [MW]")
    max_racks_added: int = Field(0, ge=0, description="White-space racks added [-]")

    rules = (Rule(("add",), lambda add: sum(d.fill for d in add) <= 1,
                  lambda add: "at most one deployment per phase may fill"),)
