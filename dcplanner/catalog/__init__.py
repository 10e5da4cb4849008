"""Layer 2: the shipped chip, system and fabric catalog, and scenario overrides of it.

The YAML files beside this module hold every default with its source and date. A scenario may
override any field of an entry (``catalog.accelerators.gb200.tdp_w: 1000``) or define a new
entry inline; overridden fields have their source replaced by "scenario override".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import Field

from dcplanner.errors import ConfigError, Problem
from dcplanner.models.compute import PRECISIONS
from dcplanner.validation import SAFE_LOADER, Rule, StrictModel, patch_model, validate

Precision = Literal[PRECISIONS]


class Accelerator(StrictModel):
    """One GPU or accelerator."""

    description: str = ""
    tdp_w: float = Field(gt=0, description="Maximum board power (TDP) [W]")
    idle_w: float = Field(ge=0, description="Draw when idle [W]")
    power_cap_w: float | None = Field(
        None, gt=0, description="Operator power cap [W]; peak draw is min(TDP, cap)"
    )
    tflops: dict[Precision, float] = Field(
        description="Dense (no sparsity) tensor TFLOPS per precision; omit unsupported ones"
    )
    hbm_gb: float = Field(ge=0, description="HBM capacity [GB]")
    hbm_tb_per_s: float = Field(ge=0, description="HBM bandwidth [TB/s]")
    market_usd_per_gpu_hour: float | None = Field(
        None, ge=0.1, le=100, description="Market rental price of one GPU for an hour "
        "[USD/GPU-h], to compare with the site's cost; unset = no price found"
    )
    sources: dict[str, str] = Field(default_factory=dict, description="Source and date per field")

    rules = (
        Rule(("idle_w", "tdp_w"), lambda idle, tdp: np.less_equal(idle, tdp),
             lambda idle, tdp: f"idle_w ({idle:g}) must not exceed tdp_w ({tdp:g})"),
        Rule(tuple(f"tflops.{p}" for p in PRECISIONS),
             lambda *tflops: np.all([np.isnan(t) | (np.asarray(t) >= 0) for t in tflops],
                                    axis=0),
             lambda *tflops: "tflops values must be >= 0"),
    )


class System(StrictModel):
    """A deployable system: an 8-GPU server or a whole rack-scale system."""

    description: str = ""
    accelerator: str = Field(description="Accelerator catalog name")
    gpus_per_system: int = Field(gt=0, description="GPUs per system [-]")
    rated_w: float = Field(gt=0, description="Supply capacity: the most the system's PSUs or "
                           "power shelves deliver; its peak draw must not exceed it [W]")
    host_peak_w: float = Field(ge=0, description="Everything but the GPUs, at peak, at the "
                               "wall [W]")
    host_idle_w: float = Field(ge=0, description="Everything but the GPUs, at idle [W]")
    systems_per_rack: int = Field(gt=0, description="Systems per rack [-]")
    liquid_heat_frac: float = Field(ge=0, le=1, description="Share of heat into liquid [-]")
    fabric: str = Field(description="Compute fabric catalog name")
    compute_ports_per_gpu: float = Field(ge=0, description="Compute-fabric ports per GPU [-]")
    price_usd: float | None = Field(
        None, ge=0, description="Street price of one system [USD]; unset = no estimate found"
    )
    sources: dict[str, str] = Field(default_factory=dict, description="Source and date per field")

    rules = (Rule(("host_idle_w", "host_peak_w"), lambda idle, peak: np.less_equal(idle, peak),
                  lambda idle, peak: f"host_idle_w ({idle:g}) must not exceed host_peak_w "
                  f"({peak:g})"),)


class Fabric(StrictModel):
    """A compute fabric's switch and optics."""

    description: str = ""
    radix: int = Field(ge=2, description="Ports per switch [-]")
    port_gbps: float = Field(gt=0, description="Port speed [Gb/s]")
    switch_w: float = Field(ge=0, description="Switch power with its optics [W]")
    host_transceiver_w_per_port: float = Field(ge=0, description="Endpoint-side optics [W]")
    switch_usd: float | None = Field(
        None, ge=0, description="Price of one switch [USD]; unset = no estimate found"
    )
    transceiver_usd_per_end: float | None = Field(
        None, ge=0, description="Optics price per optical link end, one port at the fabric's "
        "speed [USD]; unset = no estimate found"
    )
    cable_usd_per_link: float | None = Field(
        None, ge=0, description="Fibre cable price per link [USD]; unset = no estimate found"
    )
    sources: dict[str, str] = Field(default_factory=dict, description="Source and date per field")


KINDS: dict[str, type[StrictModel]] = {
    "accelerators": Accelerator,
    "systems": System,
    "fabrics": Fabric,
}

AcceleratorPatch = patch_model(Accelerator)
SystemPatch = patch_model(System)
FabricPatch = patch_model(Fabric)


class CatalogPatch(StrictModel):
    """Scenario-level overrides and additions to the built-in catalog."""

    accelerators: dict[str, AcceleratorPatch] = Field(default_factory=dict)  # type: ignore[valid-type]
    systems: dict[str, SystemPatch] = Field(default_factory=dict)  # type: ignore[valid-type]
    fabrics: dict[str, FabricPatch] = Field(default_factory=dict)  # type: ignore[valid-type]


@dataclass(frozen=True)
class Catalog:
    """Named catalog entries of each kind."""

    accelerators: dict[str, Accelerator]
    systems: dict[str, System]
    fabrics: dict[str, Fabric]

    def kind(self, kind: str) -> dict[str, Any]:
        return getattr(self, kind)

    def find(self, name: str) -> tuple[str, StrictModel]:
        """The kind and entry called ``name``; :class:`ConfigError` listing all names if none."""
        for kind in KINDS:
            entry = self.kind(kind).get(name)
            if entry is not None:
                return kind, entry
        everything = ", ".join(n for k in KINDS for n in self.kind(k))
        raise ConfigError([Problem("catalog", name, f"no such entry; available: {everything}")])

    def merged(self, patch: CatalogPatch) -> Catalog:
        """This catalog with a scenario's overrides and new entries; checks every reference."""
        problems: list[Problem] = []
        kinds: dict[str, dict[str, Any]] = {}
        for kind, model in KINDS.items():
            entries = dict(self.kind(kind))
            for name, fields in getattr(patch, kind).items():
                given = fields.model_dump(exclude_none=True)
                merged = merge_entry(_fields(entries[name]), given) if name in entries \
                    else given
                try:
                    entries[name] = validate(model, merged, prefix=("catalog", kind, name))
                except ConfigError as error:
                    problems.extend(error.problems)
            kinds[kind] = entries
        catalog = Catalog(**kinds)
        new_entries = any(name not in self.kind(kind)
                          for kind in KINDS for name in getattr(patch, kind))
        if patch.systems or new_entries:  # other overrides cannot break a reference
            problems.extend(catalog.reference_problems())
        if problems:
            raise ConfigError(problems)
        return catalog

    def reference_problems(self) -> list[Problem]:
        """Systems naming an accelerator or fabric that does not exist."""
        problems = []
        for name, system in self.systems.items():
            for field, kind in (("accelerator", "accelerators"), ("fabric", "fabrics")):
                target = getattr(system, field)
                if target not in self.kind(kind):
                    problems.append(unknown_name(("catalog", "systems", name, field), target,
                                                 kind, self))
        return problems


def _fields(entry: StrictModel) -> dict[str, Any]:
    """An entry's fields, shallow (merge_entry copies what it changes; faster than a dump)."""
    return {name: getattr(entry, name) for name in type(entry).model_fields}


def merge_entry(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry with overrides: mappings (tflops) merge key by key, and each overridden
    field's source becomes "scenario override" unless the override gives its own."""
    merged = dict(base)
    for key, value in given.items():
        both_maps = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = {**base[key], **value} if both_maps else value
    merged["sources"] = {
        **base.get("sources", {}),
        **{key: "scenario override" for key in given if key != "sources"},
        **given.get("sources", {}),
    }
    return merged


def unknown_name(path: tuple, name: str, kind: str, catalog: Catalog) -> Problem:
    """Problem for a catalog name that does not exist, listing the available ones."""
    available = ", ".join(sorted(catalog.kind(kind)))
    singular = kind[:-1]
    return Problem("", ".".join(map(str, path)),
                   f"unknown {singular} '{name}'; available: {available}")


@cache
def builtin() -> Catalog:
    """The catalog shipped with dcplanner (package data, validated once)."""
    kinds = {}
    for kind, model in KINDS.items():
        text = resources.files(__package__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=SAFE_LOADER) or {}
        kinds[kind] = {
            name: validate(model, data, prefix=(name,), source=f"catalog/{kind}.yaml")
            for name, data in raw.items()
        }
    return Catalog(**kinds)
