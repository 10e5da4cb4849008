"""Electrical section: distribution, UPS and its redundancy, transformer, standby generators."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from dcplanner.models.electrical import (
    FEEDS,
    PRESET_LOAD_FRAC,
    TOPOLOGIES,
    TOPOLOGY_MODULES,
    UPS_PRESETS,
)
from dcplanner.validation import MAX_SITE_MW, MIN_EFFICIENCY, MIN_SITE_MW, Rule, StrictModel

Topology = Literal[TOPOLOGIES]
Feed = Literal[FEEDS]
UpsPreset = Literal[tuple(UPS_PRESETS)]
#: The UPS efficiency preset when neither a preset nor a curve is given.
DEFAULT_UPS_PRESET = "double_conversion"
#: Most generating sets held in reserve [-]: beyond 2N of a large site, a typing error.
MAX_REDUNDANT_GENSETS = 1000


def modules_fit(modules: Any, topology: Any) -> Any:
    """Whether a module count suits a topology (its minimum and multiple); broadcasts."""
    minimum = np.vectorize(lambda t: TOPOLOGY_MODULES[t][0], otypes=[float])(topology)
    multiple = np.vectorize(lambda t: TOPOLOGY_MODULES[t][1], otypes=[float])(topology)
    return (np.asarray(modules) >= minimum) & (np.asarray(modules) % multiple == 0)


def _module_rule(topology: str) -> str:
    minimum, multiple = TOPOLOGY_MODULES[topology]
    return f"at least {minimum}" + (f", a multiple of {multiple}" if multiple > 1 else "")


def _unset(value: Any) -> bool:
    """Whether a rule's value is an unset field (None, which rules see as NaN)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def _loss_frac(load_frac: Any, efficiency: Any) -> NDArray:
    """UPS loss per rated output at each point of a curve, ``L (1 / eta - 1)`` [-]."""
    load, eta = np.asarray(load_frac, dtype=float), np.asarray(efficiency, dtype=float)
    return load * (1.0 / eta - 1.0)


class UpsEfficiencyCurve(StrictModel):
    """UPS efficiency against per-module load fraction, linear between points."""

    load_frac: list[float] = Field(
        list(PRESET_LOAD_FRAC), min_length=2, description="Increasing load fractions [-]"
    )
    efficiency: list[float] = Field(
        list(UPS_PRESETS[DEFAULT_UPS_PRESET]), min_length=2,
        description="Efficiency at each load fraction [-]. Default: the double_conversion "
        "preset (see Ups.efficiency_preset)",
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
    """Installed UPS capacity, its redundancy topology, feed and efficiency."""

    topology: Topology = Field(description="Redundancy: N, N+1, catcher, 4N/3, 3N/2 or 2N")
    module_mw: float = Field(ge=MIN_SITE_MW, le=MAX_SITE_MW,
                             description="Capacity of one UPS module or block [MW]")
    modules: int = Field(gt=0, description="Modules or blocks installed per UPS system [-]")
    feed: Feed = Field(
        "single",
        description="single: one UPS system; A/B: two UPS systems, each built as this one "
        "(topology, modules), feeding the A and B sides of IT power shelves with N+N supplies "
        "(GB200 NVL72): each side carries half the load, at most 50 %, and the whole of it "
        "when the other fails (reference/facility.md §2.2 [S15], §2.3 [S16]; "
        "physics-review.md §2.4). topology N with an A/B feed is classic 2N",
    )
    efficiency_preset: UpsPreset | None = Field(
        None,
        description="Efficiency curve at 10/25/50/75/100 % module load, unless "
        "efficiency_curve is given (default double_conversion). legacy_double_conversion: "
        "86/93/96/96.5/96.5 %, Schneider WP113 shape, ~85 % at 20-25 % load (Riello UPS), "
        "dcplanner's curve before Dec 2026; double_conversion: that shape with its losses "
        "scaled to 97 % at full load, current large transformerless UPS (97-97.5 %, "
        "physics-review.md §2.4; Galaxy VS 'up to 97 %' as quoted by a reseller, read Dec "
        "2026); "
        "eco_mode: a third of double conversion's losses (Schneider Galaxy VX manual "
        "990-5452: eConversion 'reduces the electricity absorbed by the UPS by a factor "
        "three'), about 99 % (98-99 % on datasheets, facility.md §2.2 [S18])",
    )
    efficiency_curve: UpsEfficiencyCurve | None = Field(
        None, description="An explicit efficiency curve instead of a preset")
    pumps_on_ups: bool = Field(
        True,
        description="Feed the cooling plant's pumps (chip-side and facility loops, air-side "
        "water) through the UPS, so that coolant flows through the generator-start gap: "
        "their power then counts against the UPS capacity and carries its losses. Default "
        "true: direct-to-chip liquid cooling needs flow without a break, so CDU pumps are part "
        "of the backup-power design (physics-review.md §2.4; Parker Sporlan in The Data "
        "Center Engineer, 'How CDU location can change UPS count', read Dec 2026)",
    )

    rules = (Rule(("modules", "topology"), lambda m, t: modules_fit(m, t), lambda m, t:
                  f"modules = {m} does not fit topology {t}: {_module_rule(t)}"),
             Rule(("efficiency_preset", "efficiency_curve"),
                  lambda p, c: _unset(p) or _unset(c),
                  lambda p, c: f"efficiency_preset = {p} and an efficiency_curve are both "
                  "given: give one (efficiency_preset: null to use the curve)",
                  at="efficiency_preset"))

    @property
    def preset(self) -> str | None:
        """The preset in use (None: an explicit curve)."""
        if self.efficiency_curve is not None:
            return None
        return self.efficiency_preset or DEFAULT_UPS_PRESET

    @property
    def curve(self) -> UpsEfficiencyCurve:
        """The efficiency curve in use: the explicit one, or the preset's."""
        if self.efficiency_curve is not None:
            return self.efficiency_curve
        return UpsEfficiencyCurve(load_frac=list(PRESET_LOAD_FRAC),
                                  efficiency=list(UPS_PRESETS[self.preset]))


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


class Generators(StrictModel):
    """Standby generating sets: how many, their rating and their block heaters."""

    unit_mva: float = Field(
        3.0, ge=0.01, le=100,
        description="Rating of one generating set [MVA]; its active power is this times the "
        "lower of 0.8 (the ISO 8528-1 rated power factor) and the site's power factor. "
        "Default 3.0: the 2.5-3 MVA sets of large data centres (physics-review.md §6)",
    )
    units: int | None = Field(
        None, gt=0, le=100_000,
        description="Sets installed [-]; default: N + redundant_units, with N the fewest "
        "sets whose active power covers the grid connection (18 for the 40 MW Paris site)",
    )
    redundant_units: int = Field(
        1, ge=0, le=MAX_REDUNDANT_GENSETS,
        description="Sets held in reserve beyond those that carry the grid connection [-]; "
        "default 1: N+1 (physics-review.md §6)",
    )
    block_heater_kw: float = Field(
        7.5, ge=0, le=100,
        description="Electric jacket-water heater of one set, drawn all year [kW]; 7.5: the "
        "middle of the 5-10 kW per set of physics-review.md §2.4. NFPA 110 wants standby "
        "sets able to take load within 10 s, so preheaters run continuously except when the "
        "set runs (Plant Engineering, 'Preheating for savings'); counted at full power every "
        "hour, an upper bound in summer",
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
    generators: Generators = Field(default_factory=Generators)
