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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    that a reader never sees a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a result file is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
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


def hourly_csv(hourly: dict, columns: Sequence[tuple[str, str, float]], month: NDArray,
               day: NDArray, hour: NDArray) -> str:
    """One row per hour: the calendar, then ``columns`` (name, hourly key, divisor) of the
    hourly chain (:func:`dcplanner.engine.outputs.hourly_columns`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["month", "day", "hour", *(name for name, _, _ in columns)])
    columns = [np.asarray(hourly[key]) / scale for _, key, scale in columns]
    for k in range(len(month)):
        writer.writerow([int(month[k]), int(day[k]), int(hour[k]),
                         *(f"{col[k]:.6g}" for col in columns)])
    return buffer.getvalue()
