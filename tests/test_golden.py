"""Golden outputs: what the shipped configs, commands and studies print stays what it was.

Every case below is a command whose output is committed under ``tests/golden/``. A refactor
keeps each one identical (numbers within a relative 1e-12, everything else exactly); a
deliberate model change regenerates them in the same commit, and the commit message says which
numbers moved and why. Regenerate with::

    python tests/test_golden.py --update
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
REL = 1e-12

#: name -> command line (after ``dcplanner``), run from the repository root.
COMMANDS = {
    "run-builtin.json": "run --format json",
    "run-builtin.txt": "run",
    "run-paris-40mw.json": "run configs/paris-40mw.yaml --format json",
    "run-paris-100mw.json": "run configs/paris-100mw.yaml --format json",
    "run-paris-100mw.txt": "run configs/paris-100mw.yaml",
    "run-h100-superpod.json": "run configs/h100-superpod.yaml --format json",
    "run-paris-40mw-cooling-tower.json": "run configs/paris-40mw-cooling-tower.yaml --format json",
    "run-paris-40mw-cooling-tower.txt": "run configs/paris-40mw-cooling-tower.yaml",
    "run-h100-superpod.csv": "run configs/h100-superpod.yaml --format csv",
    "run-paris-40mw-district-heat.json": "run configs/paris-40mw-district-heat.yaml "
                                         "--format json",
    "run-paris-40mw-district-heat.txt": "run configs/paris-40mw-district-heat.yaml",
    "eed-builtin.json": "eed --format json",
    "eed-paris-40mw-district-heat.csv": "eed configs/paris-40mw-district-heat.yaml --format csv",
    "eed-district-heat-de.json": "eed configs/paris-40mw-district-heat.yaml "
                                 "--set reporting.country=DE --format json",
    "run-heatwave-operating.json": "run --heatwave --shift-k 1.0 "
                                   "--set workload.provisioning_basis=operating "
                                   "--set workload.profile=inference --format json",
    "fit-gb200.json": "fit --system gb200-nvl72 --format json",
    "fit-gb300-100mw.json": "fit --system gb300-nvl72 --grid-mw 100 --format json",
    "fit-gb300-keep.json": "fit --system gb300-nvl72 --keep-existing --grid-mw 60 "
                           "--format json",
    "fit-needs-18000.json": "fit --system gb200-nvl72 --gpus 18000 --format json",
    "fit-gb200-percentile.json": "fit --system gb200-nvl72 --policy percentile --format json",
    "fit-gb200-curtailment-2h.json": "fit --system gb200-nvl72 --policy curtailment "
                                     "--set power.curtailment.max_event_h=2 --ups-reserve "
                                     "--format json",
    "optimize-100mw.json": "optimize --grid-mw 100 --set electrical.ups.modules=40 "
                           "--format json",
    "optimize-budget.json": "optimize --grid-mw 100 --set electrical.ups.modules=40 "
                            "--capex-budget-eur 1.5e9 --objective fp8 --format json",
    "train-405b.json": "train --params 405e9 --tokens 15.6e12 --format json",
    "train-moe-fp8.json": "train --params 671e9 --active-params 37e9 --tokens 14.8e12 "
                          "--precision fp8 --format json",
    "weather.json": "weather --shift-k 1.0 --heatwave --format json",
}
#: name -> study file whose cases.csv and summary.json are kept.
STUDIES = {
    "study-chip-grid": "configs/studies/paris-chip-cooling-redundancy.yaml",
    "study-monte-carlo": "configs/studies/paris-monte-carlo.yaml",
}
HOURLY = ("hourly-builtin.csv.gz", "run --heatwave --hourly-output {path}")


def _invoke(args: list[str]) -> str:
    from dcplanner.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def produce(name: str, tmp: Path) -> str:
    """The text of golden case ``name`` as the code prints it now."""
    if name in COMMANDS:
        return _invoke(shlex.split(COMMANDS[name]))
    if name == HOURLY[0]:
        path = tmp / "hours.csv"
        _invoke(shlex.split(HOURLY[1].format(path=path)))
        return path.read_text(encoding="utf-8")
    study, part = name.rsplit(".", 1)[0].rsplit("--", 1)
    out = tmp / study
    if not (out / "manifest.json").exists():
        _invoke(["study", STUDIES[study], "--out", str(out)])
    return (out / part.replace("_", ".")).read_text(encoding="utf-8")


NAMES = [*COMMANDS, HOURLY[0],
         *(f"{s}--{part}.txt" for s in STUDIES for part in ("cases_csv", "summary_json"))]


def _read(name: str) -> str:
    path = GOLDEN / name
    if name.endswith(".gz"):
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _close(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL, abs_tol=1e-300)
    return a == b


def diff_json(old: object, new: object, path: str = "") -> list[str]:
    """Where two JSON documents differ: keys in order, numbers within REL."""
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new):
            return [f"{path or '.'}: keys {list(old)} != {list(new)}"]
        return [d for k in old for d in diff_json(old[k], new[k], f"{path}.{k}")]
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} items != {len(new)}"]
        return [d for k, (a, b) in enumerate(zip(old, new, strict=True))
                for d in diff_json(a, b, f"{path}.{k}")]
    return [] if _close(old, new) else [f"{path}: {old!r} != {new!r}"]


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text


def diff_text(old: str, new: str) -> list[str]:
    """Line by line; numbers in a line (split on spaces and commas) within REL."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    if len(old_lines) != len(new_lines):
        return [f"{len(old_lines)} lines != {len(new_lines)}"]
    out = []
    for k, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)):
        if a == b:
            continue
        ca = next(csv.reader(io.StringIO(a))) if "," in a else a.split()
        cb = next(csv.reader(io.StringIO(b))) if "," in b else b.split()
        if len(ca) != len(cb) or not all(_close(_number(x), _number(y))
                                         for x, y in zip(ca, cb, strict=True)):
            out.append(f"line {k + 1}: {a!r} != {b!r}")
    return out


def diff_csv(old: str, new: str) -> list[str]:
    """Column by column, by name (the column order is a layout, not a value)."""
    a, b = (list(csv.reader(io.StringIO(t))) for t in (old, new))
    if sorted(a[0]) != sorted(b[0]) or len(a) != len(b):
        return [f"columns {a[0]} ({len(a)} rows) != {b[0]} ({len(b)} rows)"]
    where = {name: k for k, name in enumerate(b[0])}
    out = []
    for k, name in enumerate(a[0]):
        for row, (ra, rb) in enumerate(zip(a[1:], b[1:], strict=True), start=2):
            x, y = ra[k], rb[where[name]]
            if x != y and not _close(_number(x), _number(y)):
                out.append(f"line {row}, {name}: {x!r} != {y!r}")
    return out


def differences(name: str, old: str, new: str) -> list[str]:
    if name.endswith(".json") or name.endswith("summary_json.txt"):
        return diff_json(json.loads(old), json.loads(new))
    if name.endswith(".csv.gz") or name.endswith("cases_csv.txt"):
        return diff_csv(old, new)
    return diff_text(old, new)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("golden")


@pytest.mark.parametrize("name", NAMES)
def test_output_is_golden(name, workdir, monkeypatch):
    monkeypatch.chdir(ROOT)
    problems = differences(name, _read(name), produce(name, workdir))
    assert not problems, f"{name}: " + "\n".join(problems[:20])


def update() -> None:
    import os
    import tempfile

    os.chdir(ROOT)
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in NAMES:
            text = produce(name, Path(tmp))
            path = GOLDEN / name
            if name.endswith(".gz"):
                path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
            else:
                path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden.py --update")
    sys.path.insert(0, str(ROOT))
    update()
