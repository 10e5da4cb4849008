"""Building and evaluating a study's cases, chunk by chunk.

A case is the base scenario with the study's values applied. Only the top-level sections a
case changes are validated again (with the same pydantic models as a scenario file); the rest
was validated once with the base. A case that makes its scenario invalid becomes a row with
its reason and empty outputs, and the study goes on. Valid cases run through the engine as one
batch per chunk.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

import numpy as np

from dcplanner.catalog import KINDS, Catalog, CatalogPatch
from dcplanner.config import apply_override, prepare_data
from dcplanner.engine import flatten, run
from dcplanner.engine.hourly import scenario_hours
from dcplanner.errors import ConfigError, Problem
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.solvers.fit import largest_counts, with_deployment
from dcplanner.study.design import Design
from dcplanner.study.spec import StudySpec
from dcplanner.validation import StrictModel, validate

#: Sections whose change needs the whole scenario validated (cross-section rules).
WHOLE = {"name", "description", "deployments", "phases", "cooling"}


class CaseBuilder:
    """The base scenario of a study, and the scenario of each case."""

    def __init__(self, spec: StudySpec, base_data: dict, folder: Path | None):
        self.folder = folder
        data = copy.deepcopy(base_data)
        for path, value in spec.set.items():
            apply_override(data, path, copy.deepcopy(value))
        prepare_data(data, folder)
        self.data = data
        self.base = validate(Scenario, data, (), "")
        if self.base.phases:
            raise ConfigError([Problem("", "base.phases", "a study varies one site: give a "
                                       "base without phases")])
        self.resolved = resolve(self.base)

    def scenario(self, overrides: dict[str, Any]) -> ResolvedScenario:
        """The resolved scenario of one case; :class:`ConfigError` if the values make it
        invalid."""
        keys = {path.partition(".")[0] for path in overrides}
        if any(key in WHOLE or key not in Scenario.model_fields for key in keys):
            data = copy.deepcopy(self.data)
            for path, value in overrides.items():
                apply_override(data, path, copy.deepcopy(value))
            prepare_data(data, self.folder)
            return resolve(validate(Scenario, data), self.resolved.catalog)
        groups: dict[tuple[str, ...], list[tuple[list[str], Any]]] = {}
        entries: dict[tuple[str, str], list[tuple[list[str], Any]]] = {}
        for path, value in overrides.items():
            parts = path.split(".")
            if self._catalog_entry(parts):  # a field of an existing catalog entry
                entries.setdefault((parts[1], parts[2]), []).append((parts[3:], value))
                continue
            owner = _owner(path) or (parts[0],)
            groups.setdefault(owner, []).append((parts[len(owner):], value))
        scenario = self.base
        for owner, items in groups.items():
            scenario = _with_model(scenario, owner, self._validated(owner, items))
        catalog = self.resolved.catalog
        if entries:
            scenario, catalog = self._with_entries(scenario, catalog, entries)
        whole_catalog = any(owner[0] == "catalog" for owner in groups)
        return resolve(scenario, catalog, merged=not whole_catalog)

    def _catalog_entry(self, parts: list[str]) -> bool:
        return (len(parts) >= 4 and parts[0] == "catalog" and parts[1] in KINDS
                and parts[2] in self.resolved.catalog.kind(parts[1]))

    def _with_entries(self, scenario: Scenario, catalog: Catalog,
                      entries: dict[tuple[str, str], list[tuple[list[str], Any]]]
                      ) -> tuple[Scenario, Catalog]:
        """The case's catalog entries validated as patches, put in the scenario's catalog
        patch, and merged onto the base's merged catalog (only those entries change)."""
        patches: dict[str, dict[str, StrictModel]] = {kind: {} for kind in KINDS}
        for (kind, name), items in entries.items():
            raw = self.data.get("catalog", {}).get(kind, {}).get(name, {})
            for rest, value in items:
                raw = _with_value(raw, rest, value)
            patches[kind][name] = validate(_patch_model(kind), raw, ("catalog", kind, name))
        patch = scenario.catalog
        updated = patch.model_copy(update={kind: {**getattr(patch, kind), **changed}
                                           for kind, changed in patches.items() if changed})
        scenario = scenario.model_copy(update={"catalog": updated})
        return scenario, catalog.merged(CatalogPatch.model_construct(**patches))

    def _validated(self, owner: tuple[str, ...], items: list[tuple[list[str], Any]]
                   ) -> StrictModel:
        """The model at ``owner`` rebuilt from the base data with the case's values."""
        raw: Any = self.data
        for part in owner:
            raw = raw.get(part, {}) if isinstance(raw, dict) else {}
        for rest, value in items:
            raw = _with_value(raw, rest, value)
        textual = any(isinstance(value, str | dict | list) or not rest for rest, value in items)
        if owner[0] in FILE_SECTIONS and textual:  # shorthands and file paths, as in a file
            holder: dict = {}
            node = holder
            for part in owner[:-1]:
                node = node.setdefault(part, {})
            node[owner[-1]] = copy.deepcopy(raw)
            prepare_data(holder, self.folder)
            raw = holder
            for part in owner:
                raw = raw[part]
        return validate(_model_at(owner), raw, owner)


#: Sections that hold file paths or shorthands (see dcplanner.config.prepare_data).
FILE_SECTIONS = {"weather", "workload", "carbon"}


@lru_cache(maxsize=8)
def _patch_model(kind: str) -> type[StrictModel]:
    """The patch model of a catalog kind (the value type of ``CatalogPatch.<kind>``)."""
    return get_args(CatalogPatch.model_fields[kind].annotation)[1]


@lru_cache(maxsize=256)
def _owner(path: str) -> tuple[str, ...] | None:
    """The fields leading to the model that must be validated again when ``path`` changes:
    the shallowest model on the path with its own validators, else the innermost; None when
    the path crosses a list or mapping (its top-level section is validated instead)."""
    parts = path.split(".")
    model: Any = Scenario
    chain: list[tuple[str, Any]] = []
    for part in parts[:-1]:
        field = getattr(model, "model_fields", {}).get(part)
        inner = _plain_model(field.annotation) if field else None
        if inner is None:
            return None
        chain.append((part, inner))
        model = inner
    if not chain:
        return None
    for depth, (_, m) in enumerate(chain):
        if m.__pydantic_decorators__.model_validators:
            return tuple(p for p, _ in chain[: depth + 1])
    return tuple(p for p, _ in chain)


def _plain_model(annotation: Any) -> type[StrictModel] | None:
    """``M`` for an annotation ``M`` or ``M | None``; None for lists, mappings and values."""
    candidates = [annotation, *getattr(annotation, "__args__", ())]
    for c in candidates:
        if isinstance(c, type) and issubclass(c, StrictModel):
            return c
    return None


@lru_cache(maxsize=256)
def _model_at(owner: tuple[str, ...]) -> type[StrictModel]:
    model: Any = Scenario
    for part in owner:
        model = _plain_model(model.model_fields[part].annotation)
    return model


def _with_model(scenario: Scenario, owner: tuple[str, ...], value: StrictModel) -> Scenario:
    """``scenario`` with the model at ``owner`` replaced (parents copied, not validated: they
    hold no validators of their own, see :func:`_owner`)."""
    if len(owner) == 1:
        return scenario.model_copy(update={owner[0]: value})
    parent = getattr(scenario, owner[0])
    return scenario.model_copy(update={owner[0]: _with_model(parent, owner[1:], value)})


def _with_value(node: Any, parts: list[str], value: Any) -> Any:
    """A copy of ``node`` with ``value`` at the path ``parts``, sharing what it does not
    change (the base data is never modified)."""
    if not parts:
        return copy.deepcopy(value) if isinstance(value, dict | list) else value
    head, rest = parts[0], parts[1:]
    if isinstance(node, list):
        if not head.isdigit() or int(head) >= len(node):
            raise ConfigError([Problem("", head, f"no list item {head!r}; indices 0 to "
                                       f"{len(node) - 1}")])
        copied = list(node)
        copied[int(head)] = _with_value(node[int(head)], rest, value)
        return copied
    copied = dict(node) if isinstance(node, dict) else {}
    copied[head] = _with_value(copied.get(head, {}), rest, value)
    return copied


def _fit_outputs(resolved: list[ResolvedScenario], spec: StudySpec) -> list[dict]:
    """``fit.count`` and ``fit.gpus`` of each case, all cases fitted as one batch."""
    trials = []
    for r in resolved:
        system = spec.fit.system or r.deployments[0].system_name
        trials.append(with_deployment(r, system, 1, keep_existing=spec.fit.keep_existing))
    columns = np.array([len(t.deployments) - 1 for t in trials])
    counts = largest_counts(flatten(trials), columns)
    return [{"fit.system": t.deployments[-1].system_name,
             "fit.count": int(c) if c >= 0 else None,
             "fit.gpus": int(c) * t.deployments[-1].system.gpus_per_system if c >= 0 else None}
            for t, c in zip(trials, counts, strict=True)]


def evaluate_cases(builder: CaseBuilder, spec: StudySpec, design: Design,
                   cases: Sequence[int]) -> list[dict]:
    """One row per case: ``case``, the varied inputs, the outputs and ``error`` (empty when the
    case ran)."""
    rows: dict[int, dict] = {}
    valid: list[tuple[int, ResolvedScenario]] = []
    for i in cases:
        inputs = design.overrides(i)
        rows[i] = {"case": i, **inputs}
        try:
            r = builder.scenario(inputs)
            if spec.annual:
                scenario_hours(r.scenario)
            valid.append((i, r))
        except ConfigError as error:
            rows[i]["error"] = "; ".join(error.lines())
    if valid:
        resolved = [r for _, r in valid]
        result = run(resolved, annual=spec.annual)
        columns = {key: result.values(key) for key in spec.outputs}
        fits = _fit_outputs(resolved, spec) if spec.fit else [{}] * len(valid)
        for k, ((i, _), fitted) in enumerate(zip(valid, fits, strict=True)):
            rows[i].update({key: columns[key][k] for key in spec.outputs})
            rows[i].update(fitted)
    return [rows[i] for i in cases]
