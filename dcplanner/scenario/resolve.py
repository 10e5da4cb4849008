"""Resolution: a scenario's catalog overrides applied and every catalog name looked up."""

from __future__ import annotations

from dataclasses import dataclass

from dcplanner.catalog import Accelerator, Catalog, Fabric, System, builtin, unknown_name
from dcplanner.errors import ConfigError, Problem
from dcplanner.models.network import MAX_TIERS, fat_tree_capacity
from dcplanner.scenario.schema import Scenario


@dataclass(frozen=True)
class ResolvedDeployment:
    """A deployment with its catalog entries looked up and its system count fixed."""

    label: str
    system_name: str
    system: System
    accelerator: Accelerator
    fabric_name: str
    fabric: Fabric
    count: int

    @property
    def gpus(self) -> int:
        return self.count * self.system.gpus_per_system

    @property
    def racks(self) -> int:
        return -(-self.count // self.system.systems_per_rack)


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its catalog overrides applied and every name resolved."""

    scenario: Scenario
    catalog: Catalog
    deployments: tuple[ResolvedDeployment, ...]
    #: What resolution decided for the user, one line each: a ``gpus:`` deployment rounded
    #: up to whole systems.
    notes: tuple[str, ...] = ()


def resolve(scenario: Scenario, base: Catalog | None = None) -> ResolvedScenario:
    """Apply the scenario's catalog overrides to ``base`` (default: the built-in catalog; a
    base that already holds them is unchanged by them) and resolve deployments.

    Raises
    ------
    ConfigError
        Every unknown catalog name (listing the available ones) and every fabric too small
        for its deployment. A ``gpus:`` count that is not a whole number of systems is rounded
        up to whole systems, and a note says so.
    """
    catalog = (base or builtin()).merged(scenario.catalog)
    problems = []
    resolved = []
    notes: list[str] = []
    for i, dep in enumerate(scenario.deployments):
        system = catalog.systems.get(dep.system)
        if system is None:
            problems.append(unknown_name(("deployments", i, "system"), dep.system, "systems",
                                         catalog))
            continue
        fabric_name = dep.fabric or system.fabric
        if fabric_name not in catalog.fabrics:
            problems.append(unknown_name(("deployments", i, "fabric"), fabric_name, "fabrics",
                                         catalog))
            continue
        count = dep.count
        if count is None:
            per = system.gpus_per_system
            count = -(-dep.gpus // per)  # whole systems, rounded up
            if count * per != dep.gpus:
                notes.append(f"deployments.{i}.gpus: {dep.gpus:,} GPUs rounded up to {count:,} "
                             f"{dep.system} systems ({count * per:,} GPUs, {per} each)")
        fabric = catalog.fabrics[fabric_name]
        endpoints = count * system.gpus_per_system * system.compute_ports_per_gpu
        capacity = float(fat_tree_capacity(fabric.radix))
        if endpoints > capacity:
            problems.append(Problem(
                "", f"deployments.{i}.count",
                f"{endpoints:,.0f} fabric endpoints ({count:,} x {system.gpus_per_system} GPUs "
                f"x {system.compute_ports_per_gpu:g} ports); a fat tree of {fabric_name}'s "
                f"{fabric.radix}-port switches connects at most {capacity:,.0f} in "
                f"{MAX_TIERS} tiers: split the deployment or choose a larger-radix fabric",
            ))
            continue
        resolved.append(ResolvedDeployment(
            label=dep.name or dep.system, system_name=dep.system, system=system,
            accelerator=catalog.accelerators[system.accelerator], fabric_name=fabric_name,
            fabric=catalog.fabrics[fabric_name], count=count,
        ))
    for name in scenario.carbon.embodied_tco2e_per_system:
        if name not in catalog.systems:
            problems.append(unknown_name(("carbon", "embodied_tco2e_per_system", name), name,
                                         "systems", catalog))
    if problems:
        raise ConfigError(problems)
    return ResolvedScenario(scenario, catalog, tuple(resolved), tuple(notes))
