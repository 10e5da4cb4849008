"""Shared fixtures: the shipped scenarios and a helper to build scenario variants."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from dcplanner.config import apply_override, builtin_scenario_text
from dcplanner.scenario import Scenario, resolve

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"


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
