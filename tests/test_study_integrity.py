"""A study's folder can be trusted: one study at a time, verified chunks on resume, workers
that die with the study, nothing half-written, and sizes refused before any case is built."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dcplanner.study import StudyError, load_study, run_study
from dcplanner.study import design as design_module
from dcplanner.study.chunks import chunk_problem, write_chunk
from dcplanner.study.runner import folder_lock
from tests.conftest import ROOT

STUDY = """
name: integrity
sample:
  method: lhs
  n: {n}
  seed: 3
  parameters:
    workload.operating_power_frac: {{dist: uniform, low: 0.7, high: 0.9}}
    weather.shift_k: {{dist: normal, mean: 0, sd: 1}}
set: {{workload.provisioning_basis: operating}}
outputs: [facility_peak_mw, annual.pue]
chunk_size: {chunk}
"""


def _write(folder: Path, n: int = 12, chunk: int = 4) -> Path:
    path = folder / "study.yaml"
    path.write_text(STUDY.format(n=n, chunk=chunk), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> str:
    """cases.csv of an uninterrupted run of the small study."""
    folder = tmp_path_factory.mktemp("clean")
    run_study(load_study(_write(folder)), folder / "out")
    return (folder / "out" / "cases.csv").read_text(encoding="utf-8")


def test_a_second_study_on_a_folder_in_use_is_refused(tmp_path):
    job = load_study(_write(tmp_path))
    (tmp_path / "out").mkdir()
    with folder_lock(tmp_path / "out"), \
            pytest.raises(StudyError, match=rf"out: {tmp_path / 'out'} is in use by another "
                          rf"study \(process {os.getpid()}\)"):
        run_study(job, tmp_path / "out")
    run_study(job, tmp_path / "out")  # released: the same folder runs once it is free


@pytest.mark.parametrize("damage, reason", [
    (lambda chunks: chunks[1].write_text("", encoding="utf-8"), "no chunk header"),
    (lambda chunks: chunks[1].write_bytes(chunks[0].read_bytes()), "holds chunk 0, cases 0-3"),
    (lambda chunks: chunks[2].write_text(chunks[2].read_text(encoding="utf-8")[:-40],
                                         encoding="utf-8"), "do not match its checksum"),
    (lambda chunks: chunks[0].write_text("\n".join(
        line.replace("0.", "1.", 1) if i == 1 else line
        for i, line in enumerate(chunks[0].read_text(encoding="utf-8").split("\n"))),
        encoding="utf-8"), "do not match its checksum"),
], ids=["empty", "copied", "truncated", "edited"])
def test_resume_recomputes_a_damaged_chunk_and_gives_the_same_rows(tmp_path, clean, damage,
                                                                   reason):
    job = load_study(_write(tmp_path))
    run_study(job, tmp_path / "out")
    chunks = sorted((tmp_path / "out" / "chunks").iterdir())
    damage(chunks)
    manifest = run_study(job, tmp_path / "out", resume=True)
    assert (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8") == clean
    assert any(note.startswith("chunk ") and reason in note for note in manifest["notes"])
    assert all(chunk_problem(path, k, range(4 * k, 4 * k + 4))[0] is None
               for k, path in enumerate(chunks))


def test_a_chunk_with_a_valid_header_and_checksum_over_other_cases_is_refused(tmp_path):
    path = tmp_path / "chunk-000001.csv"
    write_chunk(path, 1, range(4, 6), "4,a\n6,b\n")  # a row that is not case 5
    assert chunk_problem(path, 1, range(4, 6))[0] == "its rows are not its cases, in order"
    write_chunk(path, 1, range(4, 6), "4,a\n5,b\n")
    assert chunk_problem(path, 1, range(4, 6)) == (None, "4,a\n5,b\n")
    assert chunk_problem(path, 1, range(4, 7))[0] == ("holds chunk 1, cases 4-5, where chunk "
                                                      "1 is cases 4-6")


def test_a_study_too_large_is_refused_from_its_shape_before_anything_is_built(tmp_path,
                                                                             monkeypatch):
    def never(spec):
        raise AssertionError("the design was built")

    monkeypatch.setattr(design_module, "build_design", never)
    monkeypatch.setattr("dcplanner.study.runner.build_design", never)
    path = tmp_path / "big.yaml"
    values = list(range(1, 1001))
    path.write_text(f"name: big\nannual: false\noutputs: [gpus]\ngrid:\n"
                    f"  deployments.0.count: {values}\n  site.grid_mw: {values}\n"
                    f"  electrical.ups.modules: {values[:10]}\n", encoding="utf-8")
    with pytest.raises(StudyError, match=r"allow_large: 10,000,000 cases"):
        load_study(path)  # build_design raises if it is called: nothing was built


def test_a_sobol_study_counts_its_saltelli_rows(tmp_path):
    from dcplanner.study.spec import parse_study

    spec = parse_study("name: s\nsample: {method: sobol, n: 8, seed: 1, parameters: "
                       "{weather.shift_k: {dist: uniform, low: 0, high: 1}, "
                       "workload.mfu_frac: {dist: uniform, low: 0.3, high: 0.5}}}\n"
                       "outputs: [facility_peak_mw]\n", ".yaml", "s")
    assert design_module.case_count(spec) == design_module.build_design(spec).count == 32


# --- crashes: kill -9 and SIGTERM of a study on a process pool ------------------------------

CRASH_STUDY = dict(n=1024, chunk=32)


def _processes_of(marker: str) -> list[int]:
    """Process ids whose command line holds ``marker`` (the study and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _gone(marker: str, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _processes_of(marker):
            return True
        time.sleep(0.1)
    return False


def _study(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dcplanner", "study", str(path), "--out",
                             str(out), "--workers", "2", *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def crash_and_resume(folder: Path, kills: int, seed: int) -> tuple[str, str]:
    """Start the crash study, kill -9 it at a random moment ``kills`` times (resuming each
    time), then finish it; its cases.csv, and a clean run's."""
    rng = random.Random(seed)
    path = _write(folder, **CRASH_STUDY)
    clean_out, out = folder / "clean", folder / "crashed"
    run_study(load_study(path), clean_out)
    for k in range(kills):
        process = _study(path, out, *(["--resume"] if k else []))
        time.sleep(rng.uniform(0.3, 2.5))
        process.kill()
        process.wait()
        assert _gone(str(out)), f"workers outlived the study killed at kill {k + 1}"
        if not (out / "manifest.json").exists():  # killed before it started: start again
            continue
    finished = _study(path, out, *(["--resume"] if (out / "manifest.json").exists() else []))
    _, stderr = finished.communicate(timeout=600)
    assert finished.returncode == 0, stderr.decode()
    return ((out / "cases.csv").read_text(encoding="utf-8"),
            (clean_out / "cases.csv").read_text(encoding="utf-8"))


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_kill_9_at_random_points_then_resume_gives_byte_identical_rows(tmp_path):
    crashed, clean = crash_and_resume(tmp_path, kills=3, seed=11)
    assert crashed == clean


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_sigterm_stops_the_study_and_its_workers_and_says_how_to_resume(tmp_path):
    path = _write(tmp_path, **CRASH_STUDY)
    process = _study(path, tmp_path / "out")
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out" / "chunks").glob("chunk-*.csv")):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "interrupted: finished chunks are kept" in stderr.decode()
    assert _gone(str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "running"


def test_a_chunk_whose_cells_hold_line_breaks_is_verified_as_written(tmp_path):
    path = tmp_path / "chunk-000000.csv"
    body = '0,"a\r\nb",1.5\n1,"c\u2028d",2.5\n'
    write_chunk(path, 0, range(0, 2), body)
    assert chunk_problem(path, 0, range(0, 2)) == (None, body)


@pytest.mark.skipif(sys.platform != "linux", reason="the forkserver start method is POSIX")
def test_workers_started_by_a_fork_server_run_the_study(tmp_path):
    # Python 3.14 makes forkserver the default on Linux: a worker's parent is then the fork
    # server, not the study, and must not be taken for a dead study.
    path = _write(tmp_path, n=64, chunk=8)
    code = ("import multiprocessing, sys; multiprocessing.set_start_method('forkserver'); "
            "from dcplanner.cli import main; sys.argv = ['dcplanner', 'study', sys.argv[1], "
            "'--out', sys.argv[2], '--workers', '2']; main()")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    run_study(load_study(path), tmp_path / "clean")
    assert (tmp_path / "out" / "cases.csv").read_bytes() == \
        (tmp_path / "clean" / "cases.csv").read_bytes()
