"""Shared fixtures: the shipped scenarios and a helper to build scenario variants."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dcplanner.config import apply_override, builtin_scenario_text
from dcplanner.engine import run
from dcplanner.scenario import Scenario, resolve

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"


@pytest.fixture
def cli():
    """``cli("run", "--format", "json")``: the click command run in process (CliRunner)."""
    from click.testing import CliRunner

    from dcplanner.cli import main

    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


@pytest.fixture
def paris_data() -> dict:
    """The built-in Paris 40 MW scenario as a plain mapping (a fresh copy per test)."""
    return yaml.safe_load(builtin_scenario_text())


def scenario_from(data: dict, **changes):
    """Resolve a scenario mapping after overrides given as ``a__0__b=value`` (= ``a.0.b``)."""
    data = copy.deepcopy(data)
    for key, value in changes.items():
        apply_override(data, key.replace("__", "."), value)
    return resolve(Scenario.model_validate(data))


EPW_HEADER = ["LOCATION,Test Site,,FRA,synthetic,000000,48.6,2.3,1.0,78.0"] + [
    f"HEADER {i}" for i in range(2, 9)
]


def epw_rows(year=2021, leap=False, dry=None, dew=None, rh=None):
    """EPW data rows; ``dry``, ``dew`` and ``rh`` map the hour index to a value."""
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    rows = []
    i = 0
    for month, n in enumerate(days, start=1):
        for day in range(1, n + 1):
            for hour in range(1, 25):
                t = 10.0 + 5 * np.sin(i / 24 * 2 * np.pi) if dry is None else dry(i)
                d = 5.0 if dew is None else dew(i)
                h = 70 if rh is None else rh(i)
                rows.append(f"{year},{month},{day},{hour},60,?9?9,{t:.1f},{d:.1f},{h},101325,"
                            + ",".join(["0"] * 25))
                i += 1
    return rows


def write_epw(folder: Path, rows: list[str], name: str = "w.epw") -> Path:
    path = folder / name
    path.write_text("\n".join(EPW_HEADER + rows) + "\n", encoding="utf-8")
    return path


def records(scenarios, **kwargs) -> list[dict]:
    """The result records of a batch run (``dcplanner.run(...).records()``)."""
    return run(scenarios, **kwargs).records()
