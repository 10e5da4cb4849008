"""A study's cases as engine inputs, evaluated chunk by chunk at the engine's speed.

A case is the base scenario with the study's values applied shallowest first (a section
before a field inside it), exactly as the same values given to ``dcplanner run --set`` in that
order. Its values take one of two routes:

- **Columns.** A number at a path the engine declares (:mod:`dcplanner.engine.params`): a
  scenario field, a field of a catalog entry (every deployment using the entry), or a
  deployment's count. It replaces that input of the flattened batch, for the whole column of
  cases at once. The schema's own bounds (``Field(gt=..., le=...)``, whole numbers for
  integer fields, finite numbers) and every rule (:class:`~dcplanner.validation.Rule`) that
  reads the field are checked on the column too.
- **Variants.** Any other value (a system name, a topology, a whole section, a flag)
  changes how the scenario is built: each distinct combination of such values is validated
  and resolved once, as a *variant*, and its cases share it.

A case that a check rejects, or that the column route cannot place (its variant lacks the
section or the catalog entry), is built the full way, one case, so that its one-line reason
is pydantic's own, word for word; an invalid case becomes a row with that reason and empty
outputs, and the study goes on.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types as at
import numpy as np
from numpy.typing import NDArray

from dcplanner.catalog import KINDS
from dcplanner.config import apply_override, prepare_data
from dcplanner.engine import Arrays, evaluate_batch, flatten
from dcplanner.engine.hourly import ScenarioHours, scenario_hours
from dcplanner.engine.outputs import find
from dcplanner.engine.params import Param, object_array, param_at, rows, stack, with_column
from dcplanner.errors import ConfigError, Problem
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.solvers.fit import largest_counts, largest_counts_judged, with_deployment
from dcplanner.solvers.plant import follow_grid, given_parts, grown_plant, plant_changes
from dcplanner.solvers.power import study as power_study
from dcplanner.solvers.provision import Policy, judge, policy
from dcplanner.solvers.training import run_columns
from dcplanner.study.columns import Column
from dcplanner.study.design import Design, plain
from dcplanner.study.spec import FIT_KINDS, TRAIN_UNITS, StudySpec
from dcplanner.units import W_PER_MW
from dcplanner.validation import StrictModel, rule_value, validate

#: The deployment input that tells which catalog entry of a kind each deployment uses (and
#: the deployment path below which the entry's fields are declared).
ENTRY_COLUMNS = {"accelerators": "accelerator", "systems": "system", "fabrics": "fabric"}


def _grid_of(data: dict) -> float | None:
    """The grid connection a scenario mapping writes [MW] (None: none, or not a number)."""
    try:
        return float(data["site"]["grid_mw"])
    except (KeyError, TypeError, ValueError):
        return None


def depth_order(paths: Sequence[str]) -> list[str]:
    """Paths shallowest first (stable): a section is applied before a field inside it."""
    return sorted(paths, key=lambda p: p.count("."))


class CaseBuilder:
    """The base scenario of a study, and any case built the full way."""

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
        #: The plant parts the study sets or varies itself: they do not follow the grid.
        self.kept = given_parts([*spec.set, *spec.varied])
        #: What following a grid connection raised by ``set`` changed in the base.
        self.plant_notes: list[str] = []
        written_mw = _grid_of(base_data)
        if "site.grid_mw" in spec.set and written_mw is not None:
            changes, self.plant_notes = plant_changes(self.base, written_mw, self.kept)
            for path, value in changes.items():
                apply_override(data, path, value)
            if changes:
                self.base = validate(Scenario, data, (), "")
        self.resolved = resolve(self.base)

    def data_of(self, overrides: dict[str, Any]) -> dict:
        """The scenario mapping of one case: the base with the overrides applied shallowest
        first, as overrides of a run apply them."""
        data = copy.deepcopy(self.data)
        for path in depth_order(list(overrides)):
            apply_override(data, path, copy.deepcopy(overrides[path]))
        prepare_data(data, self.folder)
        return data

    def scenario(self, overrides: dict[str, Any]) -> ResolvedScenario:
        """The resolved scenario of one case (the whole scenario validated);
        :class:`ConfigError` if the values make it invalid."""
        return resolve(validate(Scenario, self.data_of(overrides)))


@dataclass(frozen=True)
class Varied:
    """A varied path that replaces an engine input of the batch.

    ``where`` is ``scenario`` (a field at ``path``), ``catalog`` (a field of the entry
    ``name`` of catalog ``kind``, at ``field`` below it) or ``deployment`` (the count of
    deployment ``index``).
    """

    path: str
    param: Param
    where: str
    kind: str = ""
    name: str = ""
    field: str = ""
    index: int = -1

    @property
    def owner(self) -> str:
        """The path of the model the field belongs to (its rules' prefix)."""
        if self.where == "catalog":
            return f"catalog.{self.kind}.{self.name}"
        if self.where == "deployment":
            return f"deployments.{self.index}"
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def leaf(self) -> str:
        """The field's path below its owner."""
        return self.field if self.where == "catalog" else self.path.rsplit(".", 1)[-1]


def as_column(path: str, values: NDArray) -> Varied | None:
    """The engine input a varied path replaces, or None when it must build variants (not a
    number, or not an input the engine declares as one)."""
    if values.dtype == object or values.dtype == bool:
        return None
    parts = path.split(".")
    if parts[0] == "catalog" and len(parts) >= 4 and parts[1] in KINDS:
        field = ".".join(parts[3:])
        p = param_at(f"{ENTRY_COLUMNS[parts[1]]}.{field}", deployment=True)
        column = Varied(path, p, "catalog", parts[1], parts[2], field) if p else None
    elif len(parts) == 3 and parts[0] == "deployments" and parts[1].isdigit():
        p = param_at(parts[2], deployment=True)
        column = Varied(path, p, "deployment", index=int(parts[1])) if p else None
    else:
        p = param_at(path)
        column = Varied(path, p, "scenario") if p else None
    if column is None or column.param.kind != "number" or column.param.structural:
        return None
    return column


def _owner_of(r: ResolvedScenario, column: Varied) -> Any:
    """The model instance a column's field belongs to in a variant, or None (a section the
    variant lacks, another plant's section, a catalog entry it does not have)."""
    node = _holder(r, column.owner)
    return node if isinstance(node, StrictModel) else None


def _written(data: dict, path: str) -> bool:
    """Whether a scenario mapping writes out the section at dotted ``path`` ('' is the
    scenario itself)."""
    node: Any = data
    for part in path.split(".") if path else ():
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and isinstance(node.get(part), dict | list):
            node = node[part]
        else:
            return False
    return True


def _bounds_ok(model: type[StrictModel], leaf: str, values: NDArray) -> NDArray:
    """Whether each value satisfies the field's own constraints (bounds, whole number for an
    integer field, finite)."""
    info = model.model_fields.get(leaf)
    ok = np.isfinite(values)
    if info is None:
        return ok & False
    for m in info.metadata:
        if isinstance(m, at.Gt):
            ok &= values > m.gt
        elif isinstance(m, at.Ge):
            ok &= values >= m.ge
        elif isinstance(m, at.Lt):
            ok &= values < m.lt
        elif isinstance(m, at.Le):
            ok &= values <= m.le
    annotation = info.annotation
    if annotation is int or int in getattr(annotation, "__args__", ()):
        ok &= np.asarray(values) == np.round(values)
    return ok


class CaseTable:
    """Every case of a study as engine inputs: variants, columns and their checks."""

    def __init__(self, builder: CaseBuilder, spec: StudySpec, design: Design):
        self.builder, self.spec, self.design = builder, spec, design
        varied = {p: as_column(p, np.asarray(design.columns[p])) for p in design.paths}
        #: The varied paths that replace engine inputs, and those that build variants.
        self.inputs = [c for c in varied.values() if c is not None]
        self.structural = [p for p, c in varied.items() if c is None]
        #: A varied grid connection grows the plant built for the base's (solvers.plant).
        self.follows = "site.grid_mw" in design.paths
        self._variants()

    # -- variants ---------------------------------------------------------------------------

    def _variants(self) -> None:
        """Each distinct combination of the structural values, built once."""
        n = self.design.count
        if not self.structural:
            keys = np.zeros(n, dtype=int)
            combos = [{}]
        else:
            text = [[json.dumps(plain(v), sort_keys=True, default=str)
                     for v in self.design.columns[p].tolist()] for p in self.structural]
            seen: dict[tuple, int] = {}
            keys = np.empty(n, dtype=int)
            combos = []
            for i, key in enumerate(zip(*text, strict=True)):
                if key not in seen:
                    seen[key] = len(combos)
                    combos.append({p: plain(self.design.columns[p][i])
                                   for p in self.structural})
                keys[i] = seen[key]
        self.variant_of = keys
        self.variants: list[ResolvedScenario | None] = []
        self.hours: list[ScenarioHours | None] = []
        #: Per variant, its scenario mapping (which sections it writes out).
        self.data: list[dict | None] = []
        for combo in combos:
            try:
                data = self.builder.data_of(combo)
                r = resolve(validate(Scenario, data))
                h = scenario_hours(r.scenario) if self.spec.annual else None
            except ConfigError:
                data = r = h = None  # its cases are built the full way, each with its reason
            self.data.append(data)
            self.variants.append(r)
            self.hours.append(h)
        good = [r for r in self.variants if r is not None]
        self.x = flatten(good) if good else None
        position = np.cumsum([r is not None for r in self.variants]) - 1
        self.row_of = np.where([r is not None for r in self.variants], position, -1)
        if self.spec.fit and good:
            trials = [self.trial(r) for r in good]
            self.trial_x = flatten(trials)
            self.trial_column = np.array([len(t.deployments) - 1 for t in trials])

    def trial(self, r: ResolvedScenario) -> ResolvedScenario:
        """A case with one system of the fitted kind added (or replacing its deployments)."""
        system = self.spec.fit.system or r.deployments[0].system_name
        return with_deployment(r, system, 1, keep_existing=self.spec.fit.keep_existing)

    # -- columns ----------------------------------------------------------------------------

    def _placed(self, variants: NDArray) -> dict[str, NDArray]:
        """Per column, whether each case's variant has the field's owner, written out in its
        scenario mapping: a field set inside a section the mapping leaves to its default
        makes an override write a section of that one field, which the full route builds (and
        may reject for its missing fields)."""
        out = {}
        for c in self.inputs:
            has = np.array([r is not None and _owner_of(r, c) is not None
                            and (c.where != "scenario" or _written(d, c.owner))
                            for r, d in zip(self.variants, self.data, strict=True)])
            out[c.path] = has[variants]
        return out

    def _checked(self, cases: NDArray, variants: NDArray) -> NDArray:
        """Whether each case passes the column route's checks (bounds and rules)."""
        ok = np.ones(cases.size, dtype=bool)
        varied = {c.path: np.asarray(self.design.columns[c.path][cases], dtype=float)
                  for c in self.inputs}
        for c in self.inputs:
            classes = self._classes(c.owner)
            for cls in {k for k in classes if k is not None}:
                sel = np.array([k is cls for k in classes])[variants]
                ok &= ~sel | _bounds_ok(cls, c.leaf, varied[c.path])
        # The rules of every model a varied field lies in: its owner and the models above it
        # (a catalog entry's or a deployment's, then the scenario's). A rule that reads no
        # varied field is skipped: the variant passed it.
        holders = {""} | {c.owner for c in self.inputs}
        holders |= {".".join(c.owner.split(".")[:k]) for c in self.inputs
                    if c.where == "scenario" for k in range(1, c.owner.count(".") + 1)}
        for owner in holders:
            classes = self._classes(owner)
            for cls in {k for k in classes if k is not None}:
                sel = np.flatnonzero(np.array([k is cls for k in classes])[variants])
                for rule in cls.rules:
                    full = [f"{owner}.{f}" if owner else f for f in rule.fields]
                    if not sel.size or not any(_reads(f, varied) for f in full):
                        continue  # unchanged from the variant, which passed it
                    values = [self._values(f, owner, field, varied, variants)[sel]
                              for f, field in zip(full, rule.fields, strict=True)]
                    ok[sel] &= np.broadcast_to(np.asarray(rule.ok(*values), dtype=bool),
                                               sel.shape)
        return ok

    def _classes(self, owner: str) -> list[type | None]:
        """The model class at ``owner`` in each variant (None: no model there)."""
        nodes = [_holder(r, owner) if r is not None else None for r in self.variants]
        return [type(n) if isinstance(n, StrictModel) else None for n in nodes]

    def _values(self, full: str, owner: str, field: str, varied: dict[str, NDArray],
                variants: NDArray) -> Any:
        """The values of a rule's field for each case: the varied column, else the variant's."""
        if full in varied:
            return varied[full]
        if "[]" in full:  # deployments[].count: (S, D), with any varied count in place
            head, rest = full.split("[].", 1)
            per = [[rule_value(d, rest) for d in getattr(r.scenario, head)] if r else []
                   for r in self.variants]
            width = max(len(p) for p in per)
            table = np.array([[*p, *[np.nan] * (width - len(p))] for p in per],
                             dtype=float)[variants]
            for j in range(width):
                if f"{head}.{j}.{rest}" in varied:
                    table[:, j] = varied[f"{head}.{j}.{rest}"]
            return table
        constant = [rule_value(_holder(r, owner), field) if r else np.nan
                    for r in self.variants]
        try:
            return np.asarray(constant, dtype=float)[variants]
        except (TypeError, ValueError):
            return object_array(constant)[variants]

    def _with_columns(self, x: Arrays, cases: NDArray, *, trial: bool = False) -> Arrays:
        """``x`` with every column's values in place (for a fit's trial batch, deployment
        counts only where the trial keeps the case's deployments)."""
        for c in self.inputs:
            values = np.asarray(self.design.columns[c.path][cases], dtype=float)
            if c.where == "scenario":
                x = with_column(x, c.path, values)
            elif c.where == "catalog":
                x = with_column(x, c.param.path, values,
                                deployment=x[ENTRY_COLUMNS[c.kind]] == c.name)
            elif not trial or self.spec.fit.keep_existing:
                x = with_column(x, c.param.path, values, deployment=c.index)
        return x

    def _plant(self, x: Arrays) -> Arrays:
        """The batch with its plant grown where a case's grid connection exceeds the base's
        (:func:`dcplanner.solvers.plant.grown_plant`; the parts the study sets or varies
        itself are kept)."""
        if not self.follows:
            return x
        return grown_plant(x, self.builder.base.site.grid_mw * W_PER_MW, self.builder.kept)

    # -- a chunk ----------------------------------------------------------------------------

    def overrides(self, i: int) -> dict[str, Any]:
        return self.design.overrides(i)

    def evaluate(self, cases: Sequence[int]) -> tuple[dict[str, Column], list[str]]:
        """The outputs (and fit) of ``cases`` by name, in case order (missing where a case has
        none), and each case's error ("" when it ran)."""
        cases = np.asarray(cases, dtype=int)
        n = cases.size
        variants = self.variant_of[cases]
        row = self.row_of[variants]
        full = row < 0
        placed = self._placed(variants)
        for c in self.inputs:
            full |= ~placed[c.path]
        full |= ~self._checked(cases, variants)
        errors = [""] * n
        built: dict[int, tuple[ResolvedScenario, ScenarioHours | None]] = {}
        for k in np.flatnonzero(full).tolist():
            try:
                r = self.builder.scenario(self.overrides(int(cases[k])))
                built[k] = (r, scenario_hours(r.scenario) if self.spec.annual else None)
            except ConfigError as error:
                errors[k] = "; ".join(error.lines())
        quick = np.flatnonzero(~full)
        order = np.array([*quick.tolist(), *built], dtype=int)
        outputs = {key: Column.empty(find(key)[0].kind, n) for key in self.spec.outputs}
        if self.spec.fit:
            outputs.update({key: Column.empty(kind, n) for key, kind in FIT_KINDS.items()})
        if self.spec.train:
            outputs.update({key: Column.empty("float", n) for key in TRAIN_UNITS})
        outputs.update({key: Column.empty("float", n) for key in self.spec.power_columns})
        if not order.size:
            return outputs, errors
        batches = []
        if quick.size:
            batches.append(self._with_columns(rows(self.x, row[quick]), cases[quick]))
        if built:
            batches.append(flatten([r for r, _ in built.values()]))
        x = self._plant(stack(batches))
        hours = None
        if self.spec.annual:
            hours = [self.hours[v] for v in variants[quick]] + [h for _, h in built.values()]
        result = evaluate_batch(x, hours)
        # A case whose numbers are not finite is an invalid case, as in `run`: no outputs.
        bad = result.invalid(self.spec.outputs)
        refused = np.array([found is not None for found in bad], dtype=bool)
        for j, found in enumerate(bad):
            if found:
                errors[int(order[j])] = ": ".join(filter(None, found))
        for key in self.spec.outputs:
            o, index = find(key)
            column = Column.of(o.kind, result[key], o.nullable)
            if index is not None and o.section == "deployments":  # a case with fewer
                column.missing[index >= result.deployments()] = True
            column.missing[refused] = True
            outputs[key].put(order, column)
        if self.spec.fit:
            self._fit(cases, quick, row, built, order, outputs)
            for key in FIT_KINDS:
                outputs[key].missing[order[refused]] = True
        if self.spec.train:
            t = self.spec.train
            run = run_columns(result, params=t.params, tokens=t.tokens,
                              active_params=t.active_params, mfu_frac=t.mfu_frac,
                              precision=t.precision)
            for key in TRAIN_UNITS:
                column = Column.of("float", run[key.removeprefix("train.")])
                column.missing[refused] = True
                outputs[key].put(order, column)
        if self.spec.power:
            self._power(cases, built, order[~refused], outputs, errors)
        return outputs, errors

    def _power(self, cases: NDArray, built: dict, order: NDArray,
               outputs: dict[str, Column], errors: list[str]) -> None:
        """The ``power.*`` figures of the cases at ``order`` (positions in the chunk): the
        sub-hourly power study (:func:`dcplanner.solvers.power.study`) of each case's own
        scenario, as ``dcplanner power --set`` with the case's values gives it (its plant
        grown with a varied grid connection, as the study's other outputs). Cases are studied
        together where they share a step and duration (a scenario traces the same alone or
        in a batch); a case the power study refuses gets its reason and no outputs."""
        scenarios: dict[int, ResolvedScenario] = {}
        for k in order.tolist():
            if k in built:
                r = built[k][0]
            else:
                variant = self.variants[self.variant_of[cases[k]]]
                r = variant if not self.inputs else self.builder.scenario(
                    self.overrides(int(cases[k])))
            if self.follows:
                r, _ = follow_grid(r, self.builder.base.site.grid_mw, self.builder.kept)
            scenarios[k] = r
        groups: dict[tuple[float, float], list[int]] = {}
        for k, r in scenarios.items():
            groups.setdefault((r.scenario.power.step_s, r.scenario.power.duration_s),
                              []).append(k)
        keys = [key.removeprefix("power.") for key in self.spec.power_columns]
        for members in groups.values():
            try:
                parts = [(members, power_study([scenarios[k] for k in members],
                                               keep_trace=False))]
            except ConfigError:  # find the cases it refuses, each with its reason
                parts = []
                for k in members:
                    try:
                        parts.append(([k], power_study([scenarios[k]], keep_trace=False)))
                    except ConfigError as error:
                        errors[k] = "; ".join(error.lines())
                        for column in outputs.values():
                            column.missing[k] = True
            for where, result in parts:
                at = np.asarray(where, dtype=int)
                for key in keys:
                    outputs[f"power.{key}"].put(at, Column.of("float", result.figures[key]))

    def _fit(self, cases: NDArray, quick: NDArray, row: NDArray, built: dict,
             order: NDArray, outputs: dict[str, Column]) -> None:
        """``fit.system``, ``fit.count`` and ``fit.gpus`` of each case, fitted as one batch."""
        batches, columns = [], []
        if quick.size:
            batches.append(self._with_columns(rows(self.trial_x, row[quick]), cases[quick],
                                              trial=True))
            columns.append(self.trial_column[row[quick]])
        if built:
            trials = [self.trial(r) for r, _ in built.values()]
            batches.append(flatten(trials))
            columns.append(np.array([len(t.deployments) - 1 for t in trials]))
        x = self._plant(stack(batches))
        columns = np.concatenate(columns)
        f = self.spec.fit
        if f.policy == "design" and not f.ups_reserve:
            counts = largest_counts(x, columns).astype(float)
        else:
            sites = [self.variants[v] for v in self.variant_of[cases[quick]]] + \
                [r for r, _ in built.values()]
            counts = self._judged_counts(x, columns, sites)
        every = np.arange(columns.size)
        counts[counts < 0] = np.nan  # more than the bracket holds: no answer
        outputs["fit.system"].put(order, Column.of("text", x["system"][every, columns]))
        outputs["fit.count"].put(order, Column.of("int", counts))
        outputs["fit.gpus"].put(order, Column.of("int", counts
                                                 * x["gpus_per_system"][every, columns]))


    def _judged_counts(self, x: Arrays, columns: NDArray,
                       sites: Sequence[ResolvedScenario]) -> NDArray:
        """The fit of each row of ``x`` under the study's provisioning policy, with the budgets
        and weather year of its case's scenario (``sites``): rows that share both are
        bracketed together."""
        f = self.spec.fit
        groups: dict[tuple, list[int]] = {}
        judges: dict[tuple, tuple[Policy, ScenarioHours | None]] = {}
        for i, r in enumerate(sites):
            p = policy(r, f.policy, ups_reserve=f.ups_reserve)
            hours = scenario_hours(r.scenario) if p.budgeted else None
            key = (p, None if hours is None else hours.group_key)
            groups.setdefault(key, []).append(i)
            judges.setdefault(key, (p, hours))
        counts = np.empty(len(sites))
        for key, members in groups.items():
            at_rows = np.asarray(members)
            p, hours = judges[key]
            counts[at_rows] = largest_counts_judged(rows(x, at_rows), columns[at_rows],
                                                    lambda b, p=p, h=hours: judge(b, p, h), p)
        return counts


def _reads(field: str, varied: dict[str, NDArray]) -> bool:
    """Whether a rule's field is one of the varied columns (a list field: any of its items)."""
    if "[]" not in field:
        return field in varied
    head, rest = field.split("[].", 1)
    return any(p.startswith(f"{head}.") and p.endswith(f".{rest}") for p in varied)


def _holder(r: ResolvedScenario, owner: str) -> Any:
    """The object at dotted ``owner`` in a variant (a catalog entry for ``catalog.kind.name``),
    or None where the variant has none there."""
    if owner.startswith("catalog."):
        _, kind, name = owner.split(".", 2)
        return r.catalog.kind(kind).get(name)
    node: Any = r.scenario
    for part in owner.split(".") if owner else ():
        if part.isdigit():
            node = node[int(part)] if int(part) < len(node) else None
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node




