"""The examples in examples/ run as they are shipped, and say what they claim."""

from __future__ import annotations

import re
import runpy

import pytest

from tests.conftest import ROOT

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

EXAMPLE = ROOT / "examples" / "paris.py"


def test_paris_example_has_eleven_numbered_cells():
    cells = re.findall(r"^# %% (\d+)\. ", EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert cells == [str(k) for k in range(1, 12)]


def test_paris_example_runs_and_answers(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Paris 40 MW, Bruyères-le-Châtel (phase 1) | 40.0 MW grid | 250 x gb200-nvl72"
    assert out[1].startswith("feasible: False; facility peak ")
    assert "binding: grid" in out[1]
    assert any(line.startswith("facility peak hour starts 13 Aug 15:00 CEST: ") for line in out)
    assert "MW Europe/Paris True" in out  # the Parquet round trip kept units, zone, values
    budgets = {line.split(":")[0]: line for line in out[-3:]}
    assert list(budgets) == ["design", "percentile", "curtailment"]
    assert budgets["design"].endswith(", 0 h a year over the connection")
    gpus = {name: int(line.split(": ")[1].split(" GPUs")[0].replace(",", ""))
            for name, line in budgets.items()}
    assert gpus["design"] < gpus["percentile"] <= gpus["curtailment"]
