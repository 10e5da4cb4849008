"""A study's columns: typed arrays with the cases that have no value, to CSV and Parquet.

Every column of the cases (the case number, the varied inputs, the outputs, the fit, the
error) is a :class:`Column`: its values as one numpy array of its kind and a mask of the cases
without a value (an invalid case, a limit that is not set). CSV cells, the analysis' numbers
and categories, and typed Parquet columns all come from it, without a Python object per cell
for numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.params import object_array

if TYPE_CHECKING:
    import pyarrow as pa

Kind = Literal["float", "int", "bool", "text", "json"]
NUMBERS = ("float", "int", "bool")


def cell(value: object) -> str:
    """One CSV cell of a Python value: empty for None, a float as its shortest repr, a list or
    mapping as compact JSON with sorted keys."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of the cases: ``values`` (float64, int64, bool or object) and ``missing``."""

    kind: Kind
    values: NDArray
    missing: NDArray

    @classmethod
    def empty(cls, kind: Kind, n: int) -> Column:
        dtype = {"float": float, "int": np.int64, "bool": bool}.get(kind, object)
        return cls(kind, np.zeros(n, dtype=dtype), np.ones(n, dtype=bool))

    @classmethod
    def of(cls, kind: Kind, values: NDArray, nullable: bool = True) -> Column:
        """A column from engine values in their recorded unit (NaN: no value where
        ``nullable``, and always for integers)."""
        values = np.asarray(values)
        if kind in ("text", "json"):
            out = object_array(values.tolist())
            return cls(kind, out, np.array([v is None for v in out.tolist()], dtype=bool))
        if kind == "bool":
            return cls(kind, values.astype(bool), np.zeros(values.size, dtype=bool))
        numbers = values.astype(float)
        nan = np.isnan(numbers)
        if kind == "int":
            return cls(kind, np.where(nan, 0, numbers).astype(np.int64), nan)
        return cls(kind, numbers, nan if nullable else np.zeros(values.size, dtype=bool))

    @classmethod
    def of_design(cls, values: NDArray) -> Column:
        """A varied input's column (the design's values: numbers, or any YAML value)."""
        kind = {"i": "int", "u": "int", "f": "float"}.get(values.dtype.kind, "json")
        if kind == "json":
            return cls.of("json", values)
        return cls(kind, values.astype(np.int64 if kind == "int" else float),
                   np.zeros(values.size, dtype=bool))

    def put(self, positions: NDArray, other: Column) -> None:
        """Set the cases at ``positions`` from ``other`` (of the same kind)."""
        self.values[positions] = other.values
        self.missing[positions] = other.missing

    def cells(self) -> list[str]:
        """The CSV cells, "" where there is no value."""
        if self.kind == "float":
            out = list(map(repr, self.values.tolist()))
        elif self.kind == "int":
            out = list(map(str, self.values.tolist()))
        elif self.kind == "bool":
            out = np.where(self.values, "True", "False").tolist()
        else:
            values = self.values.tolist()
            out = values if all(type(v) is str for v in values) else [cell(v) for v in values]
        for k in np.flatnonzero(self.missing).tolist():
            out[k] = ""
        return out

    def numbers(self) -> NDArray:
        """Floats (NaN where there is no value); booleans as 0 or 1."""
        out = self.values.astype(float)
        out[self.missing] = np.nan
        return out

    def categories(self) -> NDArray:
        """The cells as an object array, for counting text values."""
        return object_array(self.cells())

    def analysed(self) -> NDArray:
        """What the analysis reads: numbers for a numeric kind, else the categories."""
        return self.numbers() if self.kind in NUMBERS else self.categories()


def concat(columns: Sequence[Column]) -> Column:
    """Columns of one kind, one after the other."""
    return Column(columns[0].kind, np.concatenate([c.values for c in columns]),
                  np.concatenate([c.missing for c in columns]))


def from_cells(kind: Kind, cells: Sequence[str]) -> Column:
    """A column read back from its CSV cells (a chunk finished before a resume); text and
    JSON stay as their cell text, which is what the analysis reads of them."""
    cells = list(cells)
    missing = np.array([c == "" for c in cells], dtype=bool)
    if kind == "bool":
        values = np.array([c == "True" for c in cells], dtype=bool)
    elif kind in ("float", "int"):
        values = np.array([c if c else "nan" for c in cells], dtype=float)
        if kind == "int":
            values = np.where(missing, 0, values).astype(np.int64)
    else:
        values = object_array(cells)
    return Column(kind, values, missing)


def arrow(column: Column) -> pa.Array:
    """A typed Arrow array with nulls where there is no value, built from buffers (so that
    pyarrow does not import pandas to inspect a numpy array)."""
    import pyarrow as pa

    n = column.values.size
    valid = pa.py_buffer(np.packbits(~column.missing, bitorder="little"))
    if column.kind == "float":
        return pa.Array.from_buffers(pa.float64(), n, [valid, pa.py_buffer(column.values)])
    if column.kind == "int":
        return pa.Array.from_buffers(pa.int64(), n, [valid, pa.py_buffer(column.values)])
    if column.kind == "bool":
        bits = pa.py_buffer(np.packbits(column.values, bitorder="little"))
        return pa.Array.from_buffers(pa.bool_(), n, [valid, bits])
    data = [c.encode("utf-8") for c in column.cells()]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.large_string(), n,
                                 [valid, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])
