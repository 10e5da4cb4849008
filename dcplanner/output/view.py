"""What a command shows, in each format it offers, and the one function that renders it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    """The view as ``table``, ``json`` or ``csv`` text, ending with one newline."""
    if fmt == "json":
        return json.dumps(view.data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        if view.rows is None:
            raise ValueError("this command has no CSV form")
        return csv_text(view.rows())
    if fmt == "table":
        return view.table().rstrip("\n") + "\n"
    raise ValueError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
