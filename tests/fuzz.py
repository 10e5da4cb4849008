"""A seeded mutation fuzzer: mutated scenario, study and weather files through every command.

Each case takes one of the shipped configs or studies (or a small EPW weather file beside a
scenario), mutates it (a value replaced by an extreme or wrong-typed one, a key removed or
added, a line duplicated, the text truncated, deep nesting, an alias bomb, a NUL byte, a lone
surrogate), runs one command on it in-process with Click's test runner and checks the outcome:

- no traceback (an exception other than the exit of a command) and exit code 0, 1 or 2;
- exit 1 prints one ``error: ...`` line per problem on stderr and nothing else;
- exit 0 writes only finite numbers: JSON that a strict parser reads (no NaN, no Infinity),
  and no ``nan`` or ``inf`` cell in text, CSV or a study's files;
- no case runs longer than ``--timeout`` seconds (a hang).

The same seed gives the same cases. ``tests/test_fuzz.py`` runs a few hundred in the suite;
a long run (see README, "Robustness")::

    python -m tests.fuzz --cases 10000 --seed 1 --jobs 2
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))
STUDIES = sorted((ROOT / "configs" / "studies").glob("*.yaml"))
#: Studies in the fuzzer run at most this many cases (larger ones must be refused quickly).
STUDY_CASE_LIMIT = 2000
#: Address-space limit of a fuzzing process [bytes]: a memory bomb fails, not the machine.
MEMORY_LIMIT_BYTES = 6 * 2**30

#: Values a mutation puts in place of a leaf: extremes, wrong types, odd text.
VALUES: list[Any] = [
    0, -1, 1, 2, 0.5, -0.5, 1e308, -1e308, 5e-324, 1e-300, 10**400, -(10**400), 2**63,
    float("nan"), float("inf"), float("-inf"), True, False, None, "", "x", "nan", "inf",
    "1e999", "-0", "0x10", "W32", "gb200-nvl72", "dgx-b200", "h100", "../../etc/passwd",
    "a\x00b", "\ud800", "é" * 3, "x" * 200_000, [], [1, 2], [None], {}, {"a": 1},
    [{"supply_c": 1e9, "return_c": -1e9}], "2N", "catcher", "N+1", "fp8", "bf16",
]
NUMBER_SCALES = [0, -1, 1e-9, 1e-3, 0.1, 0.99, 1.01, 10, 1e3, 1e6, 1e12, 1e300]

COMMANDS = ["run", "run-text", "run-csv", "validate", "fit", "optimize", "train", "weather",
            "study", "set", "catalog", "report"]
OPTION_VALUES = ["nan", "inf", "-inf", "-1", "0", "1e308", "1e-320", "abc", "", "1" * 400,
                 "100", "40", "0.5", "1e400"]


class Hang(BaseException):
    """A case that ran past its time limit (BaseException: the test runner must not catch
    it as the command's own error)."""


# --- mutations ----------------------------------------------------------------------------

def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a node of a parsed document (mappings by key, lists by index)."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _new_value(rng: random.Random, old: Any) -> Any:
    if isinstance(old, int | float) and not isinstance(old, bool) and rng.random() < 0.7:
        value = old * rng.choice(NUMBER_SCALES)
        return int(value) if isinstance(old, int) and rng.random() < 0.5 else value
    return copy.deepcopy(rng.choice(VALUES))


def mutate_data(rng: random.Random, data: Any) -> Any:
    """One to three structural mutations of a parsed document."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        paths = _paths(data)[1:] or [()]
        path = rng.choice(paths)
        if not path:
            return rng.choice(VALUES)
        parent, key = _get(data, path[:-1]), path[-1]
        op = rng.random()
        if op < 0.6:
            parent[key] = _new_value(rng, parent[key])
        elif op < 0.7:
            del parent[key]
        elif op < 0.8 and isinstance(parent, dict):
            parent[rng.choice(["extra", "x", "count", "name", "file"])] = rng.choice(VALUES)
        elif op < 0.9 and isinstance(parent[key], list | dict):
            # a section given where a value goes, or a list of many copies
            parent[key] = [copy.deepcopy(parent[key])] * rng.choice([2, 50, 2000])
        else:
            value = parent[key]
            parent[key] = str(value) if not isinstance(value, str) else [value]
    return data


def _dump(rng: random.Random, data: Any, suffix: str) -> str:
    if suffix == ".json":
        return json.dumps(data, allow_nan=True, default=str)
    return yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, sort_keys=False)


def mutate_text(rng: random.Random, text: str, suffix: str) -> str:
    """A mutation of the text itself."""
    lines = text.splitlines(keepends=True)
    op = rng.randrange(9)
    if op == 0 and lines:  # a duplicated line: a duplicate key
        k = rng.randrange(len(lines))
        lines.insert(k, lines[k])
        return "".join(lines)
    if op == 1:  # truncated
        return text[: rng.randrange(len(text) + 1)]
    if op == 2:  # a random character (NUL, control, non-ASCII, quote, bracket)
        k = rng.randrange(len(text) + 1)
        return text[:k] + rng.choice(["\x00", "\x07", "\t", "\ufeff", "'", '"', "[", "{", ":",
                                      "&a", "*a", "!!python/object:os.system", "é"]) + text[k:]
    if op == 3:  # deep nesting
        depth = rng.choice([100, 600, 1000, 5000])
        deep = "[" * depth + "]" * depth
        if suffix == ".json":
            return text.rstrip().rstrip("}") + f', "extra": {deep}}}'
        return text + f"\nextra: {deep}\n"
    if op == 4:  # an alias bomb
        bomb = "bomb:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"  {chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
            for i in range(8))
        return text + "\n" + bomb
    if op == 5:  # a huge key or value line
        return text + f"\nname: {'y' * rng.choice([1000, 2_000_000])}\n"
    if op == 6:  # binary junk
        return "".join(chr(rng.randrange(1, 0x2FF)) for _ in range(rng.randrange(1, 200)))
    if op == 7:  # a YAML tag
        return text + "\nextra: !!python/object/apply:os.system ['true']\n"
    # op 8: an integer beyond the float range
    return text + f"\nsite:\n  grid_mw: {'9' * rng.choice([309, 5000])}\n"


def epw_text(rng: random.Random) -> str:
    """A small EPW file (a mild year), sometimes with bad values, dates or lines."""
    from tests.conftest import EPW_HEADER, epw_rows

    rows = epw_rows(year=rng.choice([2021, 2021, 2020, 1800, 9999]))
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        k = rng.randrange(len(rows))
        fields = rows[k].split(",")
        column = rng.choice([0, 1, 2, 3, 6, 7, 8, 9])
        fields[column] = rng.choice(["nan", "inf", "-300", "999", "1e400", "", "x", "13",
                                     "32", "0", "-1", "25", "99.9"])
        rows[k] = ",".join(fields[: rng.choice([len(fields), len(fields), 5])])
    if rng.random() < 0.2:
        del rows[rng.randrange(len(rows))]
    return "\n".join(EPW_HEADER + rows) + "\n"


# --- one case -------------------------------------------------------------------------------

def make_case(rng: random.Random, folder: Path) -> tuple[str, list[str], Path]:
    """Write the mutated input files into ``folder``; the command and its arguments."""
    command = rng.choice(COMMANDS)
    for source in CONFIGS:
        shutil.copy(source, folder / source.name)
    (folder / "studies").mkdir()
    for source in STUDIES:
        shutil.copy(source, folder / "studies" / source.name)
    if command == "study":
        target = folder / "studies" / rng.choice(STUDIES).name
    else:
        target = folder / rng.choice(CONFIGS).name
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    suffix = ".yaml"
    kind = rng.random()
    if kind < 0.15 and command != "study":  # the weather file is what is mutated
        (folder / "w.epw").write_text(epw_text(rng), encoding="utf-8")
        data["weather"] = "w.epw"
        text = _dump(rng, data, suffix)
    elif kind < 0.75:
        suffix = rng.choice([".yaml", ".yaml", ".json"])
        text = _dump(rng, mutate_data(rng, data), suffix)
    else:
        suffix = rng.choice([".yaml", ".yaml", ".json"])
        text = mutate_text(rng, text if suffix == ".yaml" else _dump(rng, data, suffix), suffix)
    path = target.with_suffix(suffix)
    target.unlink()
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return command, arguments(rng, command, path, folder), path


def arguments(rng: random.Random, command: str, path: Path, folder: Path) -> list[str]:
    value = rng.choice(OPTION_VALUES)
    scenario = [str(path)]
    if command == "run":
        return ["run", *scenario, "--format", "json"]
    if command == "run-text":
        return ["run", *scenario] + (["--heatwave"] if rng.random() < 0.5 else [])
    if command == "run-csv":
        return ["run", *scenario, "--format", "csv", "--hourly-output", str(folder / "h.csv")]
    if command == "validate":
        return ["validate", *scenario]
    if command == "fit":
        extra = rng.choice([[], ["--grid-mw", value], ["--system", "gb300-nvl72"],
                            ["--system", "nope"], ["--gpus", value]])
        return ["fit", *scenario, "--format", "json", *extra]
    if command == "optimize":
        extra = rng.choice([[], ["--candidates", "gb200-nvl72,dgx-b200"],
                            ["--capex-budget-eur", value], ["--objective", "fp8"]])
        return ["optimize", *scenario, "--format", "json", *extra]
    if command == "train":
        return ["train", *scenario, "--format", "json", "--params", value,
                "--tokens", rng.choice(OPTION_VALUES)]
    if command == "weather":
        return ["weather", *scenario, "--format", "json"]
    if command == "study":
        return ["study", str(path), "--out", str(folder / "out")]
    if command == "set":
        fields = ["site.grid_mw", "deployments.0.count", "deployments.0.system",
                  "cooling.liquid.supply_c", "electrical.ups.curve", "weather.shift_k",
                  "electrical.transformer.rated_mva", "workload.mfu_frac", "catalog.x.y",
                  "deployments.7.count", "cooling.plant", "site", "nope.deeper"]
        return ["run", "--format", "json", "--set",
                f"{rng.choice(fields)}={rng.choice([*OPTION_VALUES, '[1,2]', '{a: 1}'])}"]
    if command == "catalog":
        return ["catalog", "show", rng.choice(["gb200-nvl72", "nope", ""]),
                "--config", *scenario]
    return ["report", *scenario, "--out", str(folder / "r.html")]


_NON_FINITE = re.compile(r"(?<![\w.])-?(nan|inf|infinity)(?![\w.])", re.IGNORECASE)


def _shown(text: str, given: str) -> str | None:
    """The first ``nan`` or ``inf`` word of an output that the input does not hold itself (a
    value echoed as text, a scenario named "nan", is the user's, not a number computed)."""
    echoed = {m.group(0).lower() for m in _NON_FINITE.finditer(given)}
    return next((m.group(0) for m in _NON_FINITE.finditer(text)
                 if m.group(0).lower() not in echoed), None)


def _strict_json(text: str) -> None:
    def refuse(token: str) -> None:
        raise ValueError(f"non-finite number {token} in JSON")

    json.loads(text, parse_constant=refuse)


def _written_files(folder: Path) -> list[Path]:
    out = []
    for name in ("h.csv", "r.html"):
        if (folder / name).exists():
            out.append(folder / name)
    study = folder / "out"
    if study.is_dir():
        out += [p for p in study.iterdir() if p.is_file()]
    return out


def check(args: list[str], exit_code: int, stdout: str, stderr: str,
          exception: BaseException | None, folder: Path, given: str = "") -> list[str]:
    """What is wrong with one outcome (empty: nothing). ``given`` is the input text: a word
    such as ``nan`` that it holds may be echoed as text (a scenario named "nan")."""
    if exception is not None and not isinstance(exception, SystemExit):
        return [f"traceback {type(exception).__name__}: {str(exception)[:200]}"]
    findings = []
    if exit_code not in (0, 1, 2):
        findings.append(f"exit code {exit_code}")
    if "Traceback" in stderr:
        findings.append("traceback text on stderr")
    if exit_code == 1:
        lines = stderr.splitlines()
        if not lines or not all(line.startswith("error: ") for line in lines):
            findings.append(f"exit 1 without one-line errors: {stderr[:200]!r}")
    if exit_code == 0:
        if "--format" in args and args[args.index("--format") + 1] == "json":
            try:
                _strict_json(stdout)
            except ValueError as error:
                findings.append(f"invalid JSON output: {str(error)[:120]}")
        elif _shown(stdout, given):
            findings.append(f"non-finite in output: {_shown(stdout, given)}")
        for path in _written_files(folder):
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".json":
                try:
                    _strict_json(text)
                except ValueError as error:
                    findings.append(f"invalid JSON in {path.name}: {str(error)[:120]}")
            elif path.suffix == ".csv" and _shown(text, given):
                findings.append(f"non-finite in {path.name}")
    return findings


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang()


def run_case(seed: int, index: int, timeout_s: float) -> dict:
    """Make and run case ``index`` of ``seed``; its outcome and findings."""
    from click.testing import CliRunner

    from dcplanner.cli import main
    from dcplanner.study import runner

    runner.LARGE_STUDY_CASES = STUDY_CASE_LIMIT
    rng = random.Random(f"{seed}:{index}")
    folder = Path(tempfile.mkdtemp(prefix="dcplanner-fuzz-"))
    old = signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    try:
        command, args, path = make_case(rng, folder)
        given = path.read_text(encoding="utf-8", errors="replace")
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            result = CliRunner().invoke(main, args, catch_exceptions=True)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        findings = check(args, result.exit_code, result.stdout, result.stderr,
                         result.exception, folder, given)
        where = ""
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            tb = traceback.extract_tb(result.exc_info[2])
            where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        outcome = {"exit": result.exit_code, "stderr": result.stderr[:300]}
    except Hang:
        command, args, findings, where = "?", [], [f"hang (over {timeout_s:g} s)"], ""
        outcome = {"exit": None, "stderr": ""}
    finally:
        signal.signal(signal.SIGALRM, old)
        shutil.rmtree(folder, ignore_errors=True)
    return {"index": index, "command": command, "args": [a[:80] for a in args],
            "findings": findings, "where": where,
            "seconds": round(time.perf_counter() - started, 3), **outcome}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def _one(task: tuple[int, int, float]) -> dict:
    return run_case(*task)


def fuzz(cases: int, seed: int, jobs: int = 1, timeout_s: float = 60.0) -> dict:
    """Run ``cases`` fuzz cases of ``seed`` on ``jobs`` processes; a summary."""
    tasks = [(seed, i, timeout_s) for i in range(cases)]
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_limit_memory, maxtasksperchild=50) as pool:
        results = list(pool.imap_unordered(_one, tasks, chunksize=4))
    results.sort(key=lambda r: r["index"])
    bad = [r for r in results if r["findings"]]
    kinds = Counter(f.split(":")[0] for r in bad for f in r["findings"])
    return {
        "cases": cases, "seed": seed, "seconds": round(time.perf_counter() - started, 1),
        "exit_codes": dict(Counter(str(r["exit"]) for r in results)),
        "commands": dict(Counter(r["command"] for r in results)),
        "tracebacks": sum(any(f.startswith("traceback") for f in r["findings"]) for r in bad),
        "hangs": sum(any(f.startswith("hang") for f in r["findings"]) for r in bad),
        "non_finite": sum(any("non-finite" in f for f in r["findings"]) for r in bad),
        "findings": dict(kinds), "bad": bad,
    }


def crashes(kills: int, seed: int) -> int:
    """``kills`` kill -9s of a study at random moments (see
    :func:`tests.test_study_integrity.crash_and_resume`); 0 if its rows are byte-identical to
    a clean run's and no worker outlived a kill."""
    from tests.test_study_integrity import crash_and_resume

    folder = Path(tempfile.mkdtemp(prefix="dcplanner-crash-"))
    started = time.perf_counter()
    try:
        crashed, clean = crash_and_resume(folder, kills, seed)
    except AssertionError as error:
        print(f"{kills} kills (seed {seed}): FAILED: {error}")
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    same = crashed == clean
    print(f"{kills} kills (seed {seed}) in {time.perf_counter() - started:.1f} s: rows "
          f"{'byte-identical to' if same else 'DIFFERENT from'} a clean run "
          f"({len(clean.splitlines()) - 1:,} cases), no worker outlived a kill")
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=float, default=60.0, help="per case [s]")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--crashes", type=int, default=0, metavar="N",
                        help="instead: kill -9 a 2-worker study N times at random moments, "
                        "resuming each time, and compare its rows with a clean run's")
    options = parser.parse_args(argv)
    if options.crashes:
        return crashes(options.crashes, options.seed)
    summary = fuzz(options.cases, options.seed, options.jobs, options.timeout)
    if options.json:
        print(json.dumps(summary, indent=1, default=str))
    else:
        print(f"{summary['cases']} cases (seed {summary['seed']}) in {summary['seconds']} s: "
              f"{summary['tracebacks']} tracebacks, {summary['hangs']} hangs, "
              f"{summary['non_finite']} non-finite outputs, exit codes {summary['exit_codes']}")
        for r in summary["bad"]:
            print(f"  #{r['index']} {' '.join(r['args'])[:160]}\n      {r['findings']} "
                  f"{r['where']}")
    return 0 if not summary["bad"] else 1


if __name__ == "__main__":
    sys.exit(main())
