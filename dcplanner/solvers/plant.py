"""The plant follows the grid: UPS, transformers and generators of a larger grid connection.

A scenario's electrical plant is built for its grid connection. When a question changes the
connection from outside the scenario (``--grid-mw``, ``--set site.grid_mw=...`` in ``fit``
and ``optimize``, ``site.grid_mw`` varied or set by a study) and the connection grows, the
plant grows with it by one rule, :data:`RULE`:

- the UPS keeps its topology, feed and module size; its module count becomes the fewest
  (allowed by the topology) whose usable capacity is the scenario's usable capacity times
  the ratio of the connections (15 catcher blocks of 3 MW, 42 MW usable at 40 MW, become 36
  blocks, 105 MW usable, at 100 MW; ``configs/paris-100mw.yaml`` builds 35);
- a transformer rating that is set grows in the same ratio (50 -> 125 MVA, as in
  ``configs/paris-100mw.yaml``); an unset one is the connection already;
- the standby generators follow the connection by themselves when their count is unset (the
  default: N+1 covering it); a count that is set must cover the new connection, or the
  scenario is refused naming ``electrical.generators.units``.

A plant part the question sizes itself (``--set electrical.ups.modules=40``, :data:`SIZING`)
is kept, and
so is the whole plant with ``--keep-plant``; a smaller connection keeps the plant as built,
which cannot bind before it. What was scaled, and what was not, is said in the notes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from dcplanner.config import Loaded, Override, apply_override, load, parse_override
from dcplanner.engine.params import Arrays
from dcplanner.models.electrical import (
    TOPOLOGIES,
    modules_for_usable,
    usable_capacity_frac,
)
from dcplanner.scenario import ResolvedScenario, resolve
from dcplanner.scenario.schema import Scenario
from dcplanner.units import W_PER_MW
from dcplanner.validation import validate

#: The rule, in words (notes, README).
RULE = "usable UPS capacity and transformer rating in proportion to the grid connection"
#: The plant's parts, the scenario sections that hold them, and the engine columns.
PARTS = {"ups": "electrical.ups", "transformer": "electrical.transformer"}


#: The fields that size each part: a question that sets one of them (or the part's whole
#: section, or the electrical section) designs that part itself.
SIZING = {"ups": ("modules", "module_mw", "topology", "feed"),
          "transformer": ("rated_mva",)}


def given_parts(paths: Collection[str]) -> set[str]:
    """The plant parts a set of overridden dotted paths sizes itself (:data:`SIZING`; an
    efficiency preset or the pumps on the UPS leave the UPS to follow the grid)."""
    out = set()
    for part, section in PARTS.items():
        sizing = {"electrical", section, *(f"{section}.{f}" for f in SIZING[part])}
        if any(p in sizing for p in paths):
            out.add(part)
    return out


def grown_plant(x: Arrays, base_grid_w: np.ndarray | float,
                kept: Collection[str] = ()) -> Arrays:
    """The batch with its plant grown by :data:`RULE` where ``grid_w`` exceeds the connection
    the plant was built for (``base_grid_w``, one per row or for all); the parts in ``kept``
    stay as they are.

    Parameters
    ----------
    x : dict of ndarray
        Flattened scenarios with their (new) grid connection and the plant as written.
    base_grid_w : ndarray or float
        The grid connection each row's plant was built for [W].
    kept : collection of str
        Parts of :data:`PARTS` not to scale.
    """
    grid_w = x["grid_w"]
    ratio = np.maximum(grid_w / np.asarray(base_grid_w, dtype=float), 1.0)
    grow = ratio > 1.0
    if not grow.any():
        return x
    out = dict(x)
    if "ups" not in kept:
        usable_w = x["ups_module_w"] * x["ups_modules"] * usable_capacity_frac(
            x["ups_topology"], x["ups_modules"])
        needed = modules_for_usable(x["ups_topology"], x["ups_module_w"], usable_w * ratio)
        out["ups_modules"] = np.where(grow, np.maximum(x["ups_modules"], needed),
                                      x["ups_modules"])
    if "transformer" not in kept:
        out["transformer_rated_w"] = np.where(grow, x["transformer_rated_w"] * ratio,
                                              x["transformer_rated_w"])
    return out


def plant_changes(scenario: Scenario, base_grid_mw: float, kept: Collection[str] = ()
                  ) -> tuple[dict[str, Any], list[str]]:
    """The plant fields :data:`RULE` changes for the scenario's grid connection, its plant
    built for ``base_grid_mw`` (dotted path -> value), and notes saying what changed and what
    was kept."""
    grid_mw = scenario.site.grid_mw
    if not grid_mw > base_grid_mw:
        return {}, []
    e = scenario.electrical
    ups, transformer = e.ups, e.transformer
    code = TOPOLOGIES.index(ups.topology)
    ratio = grid_mw / base_grid_mw

    def usable_mw(modules: int) -> float:
        return modules * ups.module_mw * float(usable_capacity_frac(code, modules))

    changes: dict[str, Any] = {}
    notes = []
    if "ups" not in kept:
        modules = max(ups.modules, int(modules_for_usable(
            code, ups.module_mw * W_PER_MW, usable_mw(ups.modules) * ratio * W_PER_MW)))
        if modules != ups.modules:
            changes["electrical.ups.modules"] = modules
            notes.append(f"electrical.ups.modules {ups.modules} -> {modules} "
                         f"({usable_mw(ups.modules):,.2f} -> {usable_mw(modules):,.2f} MW "
                         "usable)")
    if "transformer" not in kept and transformer.rated_mva is not None:
        rated = transformer.rated_mva * ratio
        changes["electrical.transformer.rated_mva"] = rated
        notes.append(f"electrical.transformer.rated_mva {transformer.rated_mva:g} -> {rated:g}")
    lines = []
    if notes:
        lines.append(f"plant scaled with the grid connection {base_grid_mw:g} -> {grid_mw:g} MW "
                     f"({RULE}): " + "; ".join(notes))
    kept_here = [PARTS[p] for p in PARTS if p in kept]
    if kept_here:
        lines.append(f"NOT scaled with the {grid_mw:g} MW grid connection: "
                     f"{', '.join(kept_here)}, as the question sets "
                     f"{'it' if len(kept_here) == 1 else 'them'}")
    return changes, lines


def follow_grid(resolved: ResolvedScenario, base_grid_mw: float,
                kept: Collection[str] = ()) -> tuple[ResolvedScenario, list[str]]:
    """The scenario with its plant grown by :data:`RULE` for its grid connection, built for
    ``base_grid_mw``, and notes saying what changed and what was kept."""
    changes, lines = plant_changes(resolved.scenario, base_grid_mw, kept)
    if not changes:
        return resolved, lines
    data = resolved.scenario.model_dump()
    for path, value in changes.items():
        apply_override(data, path, value)
    return resolve(validate(Scenario, data), resolved.catalog), lines


def _path(item: Override) -> str:
    text = item[0] if isinstance(item, tuple) else item
    return parse_override(text)[0]


def load_with_grid(config: str | Path | None, overrides: Sequence[Override],
                   grid_overrides: Sequence[Override] = (), *, keep_plant: bool = False
                   ) -> tuple[Loaded, list[str]]:
    """Load a scenario with ``overrides`` and then ``grid_overrides`` (the site options of a
    command), its plant following a grid connection changed by either (:func:`follow_grid`):
    the :class:`~dcplanner.config.Loaded` scenario (its ``resolved`` the plant so grown, its
    source and origins for the errors found later) and notes on the plant.

    With ``keep_plant`` the plant is the scenario's as written, and a note says so loudly.
    """
    everything = [*overrides, *grid_overrides]
    loaded = load(config, everything)
    paths = {path for path, _ in loaded.origins}
    if "site.grid_mw" not in paths:
        return loaded, []
    base = load(config, [o for o in everything if _path(o) != "site.grid_mw"]).resolved
    base_mw, grid_mw = base.scenario.site.grid_mw, loaded.resolved.scenario.site.grid_mw
    if not grid_mw > base_mw:
        return loaded, []
    if keep_plant:
        return loaded, [
            "plant NOT scaled with the grid connection (--keep-plant): "
            f"{', '.join(PARTS.values())} are those of the {base_mw:g} MW site, not of a "
            f"{grid_mw:g} MW one"]
    resolved, notes = follow_grid(loaded.resolved, base_mw, given_parts(paths))
    return replace(loaded, resolved=resolved), notes
