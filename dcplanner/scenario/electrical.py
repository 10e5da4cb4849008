"""Electrical section: distribution, UPS and its redundancy, transformer."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from dcplanner.models.electrical import TOPOLOGIES, TOPOLOGY_MODULES
from dcplanner.validation import MAX_SITE_MW, MIN_EFFICIENCY, MIN_SITE_MW, Rule, StrictModel

Topology = Literal[TOPOLOGIES]


def modules_fit(modules: Any, topology: Any) -> Any:
    """Whether a module count suits a topology (its minimum and multiple); broadcasts."""
    minimum = np.vectorize(lambda t: TOPOLOGY_MODULES[t][0], otypes=[float])(topology)
    multiple = np.vectorize(lambda t: TOPOLOGY_MODULES[t][1], otypes=[float])(topology)
    return (np.asarray(modules) >= minimum) & (np.asarray(modules) % multiple == 0)


def _module_rule(topology: str) -> str:
    minimum, multiple = TOPOLOGY_MODULES[topology]
    return f"at least {minimum}" + (f", a multiple of {multiple}" if multiple > 1 else "")


def _loss_frac(load_frac: Any, efficiency: Any) -> NDArray:
    """UPS loss per rated output at each point of a curve, ``L (1 / eta - 1)`` [-]."""
    load, eta = np.asarray(load_frac, dtype=float), np.asarray(efficiency, dtype=float)
    return load * (1.0 / eta - 1.0)


class UpsEfficiencyCurve(StrictModel):
    """UPS efficiency against per-module load fraction, linear between points."""

    load_frac: list[float] = Field(
        [0.1, 0.25, 0.5, 0.75, 1.0], min_length=2, description="Increasing load fractions [-]"
    )
    efficiency: list[float] = Field(
        [0.86, 0.93, 0.96, 0.965, 0.965], min_length=2,
        description="Efficiency at each load fraction [-]. Default: double conversion; shape from "
        "Schneider WP113 (no-load loss dominates at light load; ~85 % at 20-25 % load per Riello), "
        "level within LBNL 2024's 90-99 % for hyperscale/AI (reference/facility.md §2.2). "
        "Eco mode: 0.98-0.99",
    )

    rules = (
        Rule(("load_frac", "efficiency"), lambda x, e: len(x) == len(e),
             lambda x, e: "load_frac and efficiency must have the same number of points"),
        Rule(("load_frac",), lambda x: bool(np.all(np.diff(x) > 0)),
             lambda x: "load_frac must be strictly increasing"),
        Rule(("load_frac",), lambda x: bool(np.all((np.asarray(x) > 0) & (np.asarray(x) <= 2))),
             lambda x: "load_frac points must lie in (0, 2]"),
        Rule(("efficiency",),
             lambda e: bool(np.all((np.asarray(e) > 0) & (np.asarray(e) <= 1))),
             lambda e: "efficiency points must lie in (0, 1]"),
        Rule(("load_frac", "efficiency"),
             lambda x, e: bool(np.all(np.diff(_loss_frac(x, e)) >= 0)),
             lambda x, e: "losses must not fall as the load rises (loss per rated output "
             f"{', '.join(f'{v:.4f}' for v in _loss_frac(x, e))} at load_frac "
             f"{', '.join(f'{v:g}' for v in x)}): no UPS loses less at a higher load, and "
             "such a curve rewards overloading it"),
    )


class Ups(StrictModel):
    """Installed UPS capacity and its redundancy topology."""

    topology: Topology = Field(description="Redundancy: N, N+1, catcher, 4N/3, 3N/2 or 2N")
    module_mw: float = Field(ge=MIN_SITE_MW, le=MAX_SITE_MW,
                             description="Capacity of one UPS module or block [MW]")
    modules: int = Field(gt=0, description="Modules or blocks installed [-]")
    efficiency_curve: UpsEfficiencyCurve = Field(default_factory=UpsEfficiencyCurve)

    rules = (Rule(("modules", "topology"), lambda m, t: modules_fit(m, t), lambda m, t:
                  f"modules = {m} does not fit topology {t}: {_module_rule(t)}"),)


class Transformer(StrictModel):
    """Equivalent transformer stage between the grid and the site."""

    rated_mva: float | None = Field(
        None, ge=MIN_SITE_MW, le=MAX_SITE_MW,
        description="Installed rating [MVA]; default: the grid connection"
    )
    no_load_loss_frac: float = Field(
        0.001, ge=0, le=0.1,
        description="No-load loss P0 / rating [-]; assumption of the order of EU 548/2014 Tier 2 "
        "limits (values not retrieved, reference/facility.md §2.1)",
    )
    load_loss_frac: float = Field(
        0.009, ge=0, le=0.1,
        description="Load loss Pk at rated load / rating [-]; assumption, as no_load_loss_frac",
    )


class Electrical(StrictModel):
    """Power chain from the grid to the IT load."""

    distribution_efficiency: float = Field(
        0.99, ge=MIN_EFFICIENCY, le=1,
        description="Busway/PDU efficiency after the UPS [-]; large data centers lose 0-2 % "
        "(Lei & Masanet 2022, reference/facility.md §2.2)",
    )
    ups: Ups
    power_factor: float = Field(
        0.95, ge=0.5, le=1,
        description="The site's power factor, real over apparent power [-], for transformer "
        "loading and losses; 0.95: the floor 80 PLUS Platinum and Titanium set for server "
        "power supplies at 20-100 % load (CLEAResult 80 PLUS program), the IT being most of "
        "the load",
    )
    transformer: Transformer = Field(default_factory=Transformer)
