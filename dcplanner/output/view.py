"""What a command shows, in each format it offers, and the one function that renders it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dcplanner.engine.outputs import not_finite
from dcplanner.errors import DcplannerError
from dcplanner.output.files import csv_text

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class View:
    """A command's result: ``data`` for the JSON format, ``table`` for the text table and
    ``rows`` (dicts of dotted keys) for CSV where the command offers it."""

    data: Any
    table: Callable[[], str]
    rows: Callable[[], list[dict]] | None = None


def render(view: View, fmt: str) -> str:
    """The view as ``table``, ``json`` or ``csv`` text, ending with one newline.

    Raises
    ------
    DcplannerError
        A number of the view is not finite: nothing is rendered (JSON would be invalid).
    """
    where = _non_finite(view.data)
    if where is not None:
        raise DcplannerError(not_finite(where))
    if fmt == "json":
        return json.dumps(view.data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        if view.rows is None:
            raise ValueError("this command has no CSV form")
        return csv_text(view.rows())
    if fmt == "table":
        return view.table().rstrip("\n") + "\n"
    raise ValueError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")


def _non_finite(data: Any, path: str = "") -> str | None:
    """The dotted path of the first float in ``data`` that is not finite, or None."""
    if isinstance(data, float):
        return None if math.isfinite(data) else path
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list | tuple) else ()
    for key, value in items:
        where = _non_finite(value, f"{path}.{key}" if path else str(key))
        if where is not None:
            return where
    return None
