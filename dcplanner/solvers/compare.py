"""Two or more scenarios side by side: the inputs that differ and the key outputs.

The inputs are compared as validated scenarios (defaults filled in), so a ``--set`` variant and
a file that writes the same value out are the same scenario; the outputs are taken from the
records of one engine batch, named and united by their declarations in
:mod:`dcplanner.engine.outputs`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dcplanner.engine.outputs import BY_PATH, Output
from dcplanner.errors import ConfigError, Problem
from dcplanner.scenario import ResolvedScenario, Scenario

#: The outputs compared, in this order (record paths of :data:`~dcplanner.engine.OUTPUTS`);
#: the annual, money and carbon ones only when the year is simulated.
KEY_OUTPUTS = (
    "feasible", "binding_constraint", "gpus", "facility_peak_mw", "grid_headroom_mw",
    "pue_design", "annual.pue", "annual.water_m3", "annual.plant_holds",
    "economics.cost_per_gpu_hour_eur", "economics.tco_eur_per_year", "carbon.total_tco2e",
)
#: Scenario fields that are not inputs of the model (they label it).
NOT_INPUTS = ("name", "description")
class _Absent:
    """The type of :data:`ABSENT`."""

    def __repr__(self) -> str:
        return "ABSENT"


#: Marks a field one scenario does not have (another cooling plant's settings).
ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side.

    Attributes
    ----------
    inputs : tuple of (str, tuple)
        Each differing input field as (dotted path, its value in each scenario, None where a
        scenario has no such field).
    outputs : tuple of (Output, tuple)
        Each key output's declaration and its recorded value in each scenario (None: null).
    """

    inputs: tuple[tuple[str, tuple[Any, ...]], ...]
    outputs: tuple[tuple[Output, tuple[Any, ...]], ...]


#: Fields a scenario must have: a file with none of them is not a scenario.
SCENARIO_KEYS = ("site", "electrical", "deployments")


def check_scenario_data(data: dict, source: str) -> None:
    """Refuse, in one line, a file that is not a scenario at all (a study file, another tool's
    YAML) before its fields are checked one by one.

    Raises
    ------
    ConfigError
        ``data`` has none of :data:`SCENARIO_KEYS`.
    """
    if any(key in data for key in SCENARIO_KEYS):
        return
    study = "base" in data or "sample" in data or "grid" in data
    hint = "a study file: run it with dcplanner study" if study else \
        "dcplanner init writes a template"
    raise ConfigError([Problem(source, "", f"not a scenario: none of {', '.join(SCENARIO_KEYS)}"
                               f"; {hint}")])


def run_records(resolved: Sequence[ResolvedScenario], annual: bool = True) -> list[dict]:
    """Each scenario's result record: the scenarios without phases as one batch, a phased
    scenario's last phase from its own timeline.

    Raises
    ------
    ConfigError
        As :func:`dcplanner.engine.run` (the batch) and
        :func:`dcplanner.solvers.phases.run_phases`.
    """
    from dcplanner.engine import run
    from dcplanner.solvers.phases import run_phases

    plain = [i for i, r in enumerate(resolved) if not r.scenario.phases]
    records: dict[int, dict] = {}
    if plain:
        batch = run([resolved[i] for i in plain], annual=annual).records()
        records.update(zip(plain, batch, strict=True))
    for i, r in enumerate(resolved):
        if r.scenario.phases:
            records[i] = run_phases(r, annual=annual)[1].records()[-1]
    return [records[i] for i in range(len(resolved))]


def flat_fields(data: Any, prefix: str = "") -> dict[str, Any]:
    """A scenario's fields as dotted paths to values (lists by index, empty mappings and lists
    kept as values).

    Examples
    --------
    >>> flat_fields({"site": {"grid_mw": 40}, "deployments": [{"count": 250}], "catalog": {}})
    {'site.grid_mw': 40, 'deployments.0.count': 250, 'catalog': {}}
    """
    if not isinstance(data, dict | list) or not data:
        return {prefix: data}
    items = data.items() if isinstance(data, dict) else enumerate(data)
    flat: dict[str, Any] = {}
    for key, value in items:
        flat.update(flat_fields(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def input_differences(scenarios: Sequence[Scenario]) -> list[tuple[str, tuple[Any, ...]]]:
    """The fields whose values are not the same in every scenario, in the order of the first
    scenario's fields (then of the others').

    Examples
    --------
    >>> from dcplanner.config import load_scenario
    >>> a = load_scenario()
    >>> b = load_scenario(overrides=["site.grid_mw=60"])
    >>> input_differences([a, b])
    [('site.grid_mw', (40.0, 60.0))]
    """
    flats = [flat_fields(s.model_dump(mode="json")) for s in scenarios]
    paths = dict.fromkeys(path for flat in flats for path in flat)
    differ = []
    for path in paths:
        if path.split(".")[0] in NOT_INPUTS:
            continue
        values = tuple(flat.get(path, ABSENT) for flat in flats)
        if len({repr(v) if v is ABSENT else json.dumps(v, sort_keys=True)
                for v in values}) > 1:
            differ.append((path, values))
    return differ


def record_value(record: dict, path: str) -> Any:
    """The value at a dotted record path, None where the record does not hold it."""
    node: Any = record
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def compare(resolved: Sequence[ResolvedScenario], records: Sequence[dict]) -> Comparison:
    """The comparison of scenarios from their results.

    Parameters
    ----------
    resolved : sequence of ResolvedScenario
        The scenarios, as written (before any phase).
    records : sequence of dict
        Each scenario's result record (the JSON of ``dcplanner run``; a phased scenario's last
        phase).
    """
    outputs = []
    for path in KEY_OUTPUTS:
        values = tuple(record_value(r, path) for r in records)
        if all(v is None for v in values):
            continue  # not simulated (no annual run)
        outputs.append((BY_PATH[path], values))
    return Comparison(tuple(input_differences([r.scenario for r in resolved])), tuple(outputs))


def difference(first: Any, other: Any, output: Output) -> float | None:
    """``other - first`` for a numeric output with both values, else None.

    Examples
    --------
    >>> round(difference(43.2, 41.0, BY_PATH["facility_peak_mw"]), 9)
    -2.2
    >>> difference(True, False, BY_PATH["feasible"]) is None
    True
    """
    if output.kind not in ("float", "int") or first is None or other is None:
        return None
    return other - first
