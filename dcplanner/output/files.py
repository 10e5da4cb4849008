"""Writing results: atomic files, CSV, the hourly export."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dcplanner.errors import DcplannerError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temporary(path: str | Path) -> tuple[int, Path, Path]:
    """A new temporary file beside the file ``path`` will be (beside its target when
    ``path`` is a symbolic link, which is written through, not replaced): its descriptor, its
    path and the final path."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    return fd, Path(tmp), path


def commit(tmp: Path, path: Path) -> None:
    """Make the written temporary file ``tmp`` the file ``path``: on disk before the rename
    (so that a crash leaves the old file or the new one, never an empty one), readable as
    any result file (mkstemp makes it private), and the rename itself on disk."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename
    (:func:`commit`), so that a reader never sees a half-written file."""
    fd, tmp, path = temporary(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def csv_text(rows: Sequence[dict]) -> str:
    """Rows as CSV under a header of every key, in first-seen order (missing cells empty)."""
    fields = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def flat_row(record: dict | list, prefix: str = "") -> dict[str, object]:
    """A record flattened to dotted keys (lists by index), for CSV rows."""
    row: dict[str, object] = {}
    items = record.items() if isinstance(record, dict) else enumerate(record)
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, dict | list):
            row.update(flat_row(value, f"{name}."))
        elif isinstance(value, np.generic):
            row[name] = value.item()
        else:
            row[name] = value
    return row


#: Calendar year that labels a typical weather year's hours (the Python API's default), and
#: the leap year used when the weather year has 29 February.
HOURLY_YEAR, HOURLY_LEAP_YEAR = 2025, 2024


def hour_starts(month: NDArray, day: NDArray, hour: NDArray,
                offset_h: float | None) -> list[str]:
    """ISO 8601 starts of the hours of a weather year (``hour`` 1-24 ends at that hour, local
    standard time), in :data:`HOURLY_YEAR` (:data:`HOURLY_LEAP_YEAR` when the year has 29
    February), at the weather's fixed UTC offset ``offset_h`` [h] (none written when the
    weather gives none): ``2025-07-25T14:00+01:00``."""
    month, day, hour = (np.asarray(v, dtype=int) for v in (month, day, hour))
    year = HOURLY_LEAP_YEAR if np.any((month == 2) & (day == 29)) else HOURLY_YEAR
    first = np.datetime64(f"{year}-01-01", "M")
    dates = (first + (month - 1).astype("timedelta64[M]")).astype("datetime64[D]") \
        + (day - 1).astype("timedelta64[D]")
    starts = np.datetime_as_string(dates + (hour - 1).astype("timedelta64[h]"), unit="m")
    if offset_h is None:
        return starts.tolist()
    minutes = round(offset_h * 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return [f"{s}{sign}{minutes // 60:02d}:{minutes % 60:02d}" for s in starts.tolist()]


def hourly_csv(hourly: dict, columns: Sequence[tuple[str, str, float]], month: NDArray,
               day: NDArray, hour: NDArray, *, time: Sequence[str] | None = None,
               phase: str | None = None, header: bool = True) -> str:
    """One row per hour: the ISO 8601 start of the hour (``time``, when given; see
    :func:`hour_starts`), the phase's name (when given), the calendar, then ``columns``
    (name, hourly key, divisor) of the hourly chain
    (:func:`dcplanner.engine.outputs.hourly_columns`); without ``header``, the rows only (a
    further phase of the same file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lead = [*(["time"] if time is not None else []), *(["phase"] if phase is not None else [])]
    if header:
        writer.writerow([*lead, "month", "day", "hour", *(name for name, _, _ in columns)])
    names = [name for name, _, _ in columns]
    columns = [np.asarray(hourly[key]) / scale for _, key, scale in columns]
    for name, column in zip(names, columns, strict=True):
        bad = ~np.isfinite(column)
        if bad.any():
            k = int(np.argmax(bad))
            raise DcplannerError(f"hourly {name} of {int(month[k])}-{int(day[k])} hour "
                                 f"{int(hour[k])} is not a finite number: an input lies beyond "
                                 "what the model computes with; nothing was written")
    for k in range(len(month)):
        cells = [*([time[k]] if time is not None else []), *([phase] if phase is not None else [])]
        writer.writerow([*cells, int(month[k]), int(day[k]), int(hour[k]),
                         *(f"{col[k]:.6g}" for col in columns)])
    return buffer.getvalue()
