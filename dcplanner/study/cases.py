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
from pathlib import Path
from typing import Any

import numpy as np

from dcplanner.config import apply_override, prepare_data
from dcplanner.engine import flatten, run_detailed
from dcplanner.errors import ConfigError, Problem
from dcplanner.fit import largest_counts, with_deployment
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.study.design import Design
from dcplanner.study.spec import StudySpec
from dcplanner.validation import StrictModel, validate
from dcplanner.workload import scenario_hours

#: Sections whose change needs the whole scenario validated (cross-section rules).
WHOLE = {"name", "description", "deployments", "phases"}


def pick(record: dict, key: str) -> Any:
    """The value at a dotted key of a record (``annual.pue``, ``deployments.0.gpus``)."""
    node: Any = record
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


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
        sections: dict[str, list[tuple[str, Any]]] = {}
        for path, value in overrides.items():
            key, _, rest = path.partition(".")
            sections.setdefault(key, []).append((rest, value))
        if any(key in WHOLE or key not in Scenario.model_fields for key in sections):
            data = copy.deepcopy(self.data)
            for path, value in overrides.items():
                apply_override(data, path, copy.deepcopy(value))
            prepare_data(data, self.folder)
            scenario = validate(Scenario, data)
        else:
            changed = {key: self._section(key, items) for key, items in sections.items()}
            scenario = self.base.model_copy(update=changed)
        return resolve(scenario, self.resolved.catalog, merged="catalog" not in sections)

    def _section(self, key: str, items: list[tuple[str, Any]]) -> StrictModel:
        raw = copy.deepcopy(self.data.get(key, {}))
        for rest, value in items:
            if rest:
                apply_override(raw, rest, copy.deepcopy(value))
            else:
                raw = copy.deepcopy(value)
        holder = {key: raw}
        prepare_data(holder, self.folder)
        model = Scenario.model_fields[key].annotation
        return validate(model, holder[key], (key,))


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
        records, _ = run_detailed(resolved, annual=spec.annual)
        fits = _fit_outputs(resolved, spec) if spec.fit else [{}] * len(valid)
        for (i, _), record, fitted in zip(valid, records, fits, strict=True):
            rows[i].update({key: pick(record, key) for key in spec.outputs})
            rows[i].update(fitted)
    return [rows[i] for i in cases]
