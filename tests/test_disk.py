"""A full or read-only disk is a one-line error, and nothing is left half-written: the old
file stays whole, no temporary file remains, a study keeps its finished chunks. The disks are
small tmpfs mounts, so these tests run as root (in CI) and are skipped otherwise."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dcplanner.study import StudyError, load_study, run_study
from tests.test_study_integrity import _write

pytestmark = pytest.mark.skipif(os.geteuid() != 0 if hasattr(os, "geteuid") else True,
                                reason="mounting a tmpfs needs root")


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs, unmounted after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder: Path) -> None:
    """Fill the disk."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_a_full_disk_is_one_line_and_leaves_the_old_file_whole(cli, small_disk):
    target = small_disk / "run.json"
    target.write_text("old\n", encoding="utf-8")
    _fill(small_disk)
    result = cli("run", "--format", "json", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"error: --output {target}: cannot write: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "run.json"]


def test_a_study_on_a_full_disk_says_so_and_resumes_when_there_is_room(tmp_path, small_disk):
    job = load_study(_write(tmp_path, n=64, chunk=4))
    _fill(small_disk)
    os.truncate(small_disk / "filler", (small_disk / "filler").stat().st_size - 12 * 1024)
    with pytest.raises(StudyError, match=r"out: .*: cannot write.*No space left on device"):
        run_study(job, small_disk / "out")
    kept = sorted((small_disk / "out" / "chunks").glob("chunk-*.csv"))
    (small_disk / "filler").unlink()
    manifest = run_study(job, small_disk / "out", resume=True)
    assert manifest["status"] == "complete" and not [
        n for n in manifest["notes"] if n.startswith("chunk ")]  # the kept chunks were whole
    assert len(kept) < 16
    run_study(job, tmp_path / "clean")
    assert (small_disk / "out" / "cases.csv").read_bytes() == \
        (tmp_path / "clean" / "cases.csv").read_bytes()


def test_a_read_only_disk_is_one_line_before_any_work(cli, small_disk, tmp_path):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = cli("run", "-o", str(small_disk / "x.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --output {small_disk / 'x.txt'}: cannot write: ")
    study = _write(tmp_path)
    result = cli("study", str(study), "-o", str(small_disk / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (f"error: --output: {small_disk / 'out'}: cannot "
                                              "write there: Read-only file system")
