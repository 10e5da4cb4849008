"""The seeded mutation fuzzer (tests/fuzz.py) on a fixed seed: no traceback, no hang, no
number that is not finite, every error one line, exit codes 0, 1 or 2."""

from __future__ import annotations

import random

from tests.fuzz import CONFIGS, STUDIES, check, fuzz, mutate_data

CASES = 400


def test_fuzzed_inputs_break_nothing():
    summary = fuzz(CASES, seed=0, jobs=2, timeout_s=120)
    bad = "\n".join(f"#{r['index']} {' '.join(r['args'])}: {r['findings']} {r['where']}"
                    for r in summary["bad"])
    assert not summary["bad"], f"{len(summary['bad'])} of {CASES} cases:\n{bad}"
    assert set(summary["exit_codes"]) <= {"0", "1", "2"}
    # the fuzzer reaches every command and both outcomes
    assert {"run", "study", "fit", "train", "weather", "set"} <= set(summary["commands"])
    assert summary["exit_codes"].get("0", 0) > CASES // 20
    assert summary["exit_codes"].get("1", 0) > CASES // 4


def test_the_checker_catches_what_it_is_for(tmp_path):
    assert check(["run", "--format", "json"], 0, '{"a": NaN}', "", None, tmp_path)
    assert check(["run"], 0, "PUE inf", "", None, tmp_path)
    assert not check(["run"], 0, "Study 'nan'", "", None, tmp_path, given="name: nan")
    assert check(["run"], 1, "", "Traceback (most recent call last):\n", None, tmp_path)
    assert check(["run"], 1, "", "warning: x\nerror: y\n", None, tmp_path)
    assert check(["run"], 0, "", "", ValueError("x"), tmp_path)[0].startswith("traceback")
    assert check(["run"], 3, "", "", None, tmp_path) == ["exit code 3"]
    assert not check(["run"], 1, "", "error: f.yaml: site.grid_mw: bad\n", None, tmp_path)


def test_mutations_are_seeded_and_reach_the_shipped_files():
    assert CONFIGS and STUDIES
    import yaml

    data = yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8"))
    a = mutate_data(random.Random(1), yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8")))
    b = mutate_data(random.Random(1), yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8")))
    assert a == b != data
