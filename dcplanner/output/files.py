"""Writing results: atomic files, CSV, the hourly export."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dcplanner.units import L_PER_M3, S_PER_H, W_PER_MW

FORMATS = ("table", "json", "csv")


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


#: Columns of ``--hourly-output``: name, key in the hourly arrays, divisor.
HOURLY_COLUMNS = (
    ("dry_bulb_c", "dry_bulb_c", 1.0),
    ("wet_bulb_c", "wet_bulb_c", 1.0),
    ("dew_point_c", "dew_point_c", 1.0),
    ("utilization_frac", "utilization_frac", 1.0),
    ("it_mw", "it_w", W_PER_MW),
    ("facility_mw", "facility_w", W_PER_MW),
    ("pue", "pue", 1.0),
    ("distribution_loss_mw", "distribution_loss_w", W_PER_MW),
    ("ups_loss_mw", "ups_loss_w", W_PER_MW),
    ("transformer_loss_mw", "transformer_loss_w", W_PER_MW),
    ("misc_mw", "misc_w", W_PER_MW),
    ("cooling_mw", "cooling_cooling_w", W_PER_MW),
    ("chillers_mw", "cooling_chiller_w", W_PER_MW),
    ("pumps_mw", "cooling_pump_w", W_PER_MW),
    ("air_fans_mw", "cooling_air_fan_w", W_PER_MW),
    ("dry_cooler_fans_mw", "cooling_dry_cooler_fan_w", W_PER_MW),
    ("liquid_free_cooling_frac", "cooling_liquid_free_frac", 1.0),
    ("air_free_cooling_frac", "cooling_air_free_frac", 1.0),
    ("heat_rejected_mw", "cooling_heat_rejected_w", W_PER_MW),
    ("water_m3_per_h", "cooling_water_kg_per_s", L_PER_M3 / S_PER_H),
)


def hourly_csv(hourly: dict, month, day, hour) -> str:
    """One row per hour: the calendar, the weather and every power of the chain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["month", "day", "hour", *(name for name, _, _ in HOURLY_COLUMNS)])
    columns = [np.asarray(hourly[key]) / scale for _, key, scale in HOURLY_COLUMNS]
    for k in range(len(month)):
        writer.writerow([int(month[k]), int(day[k]), int(hour[k]),
                         *(f"{col[k]:.6g}" for col in columns)])
    return buffer.getvalue()
