"""The examples in examples/ run as they are shipped, and say what they claim."""

from __future__ import annotations

import re
import runpy

import pytest

from tests.conftest import ROOT

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

EXAMPLE = ROOT / "examples" / "paris.py"


def test_paris_example_has_ten_cells():
    cells = re.findall(r"^# %% (\d+)\. ", EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)
    assert cells == [str(k) for k in range(1, 11)]


def test_paris_example_runs_and_answers(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Paris 40 MW, Bruyères-le-Châtel (phase 1) | 40.0 MW grid | 250 x gb200-nvl72"
    assert out[1].startswith("feasible: False; facility peak ")
    assert "binding: grid" in out[1]
    assert any(line.startswith("facility peak hour starts 13 Aug 15:00 CEST: ") for line in out)
    assert out[-1] == "MW Europe/Paris True"  # the Parquet round trip kept units, zone, values
