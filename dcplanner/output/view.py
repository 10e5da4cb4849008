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
    brief: Callable[[], str] | None = None


#: Width of the text tables [characters]: a terminal of 100 columns.
WIDTH = 100
#: A hanging indent further right than this [characters] is not used: the rest of the line
#: would be too narrow.
MAX_HANG = 60


def fit_width(text: str, width: int = WIDTH) -> str:
    """Lines longer than ``width`` wrapped at spaces, continued under the start of their last
    column (the text after the last run of two or more spaces within :data:`MAX_HANG`)."""
    import re
    import textwrap

    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        gaps = [m.end() for m in re.finditer(r"\S( {2,})(?=\S)", line) if m.end() <= MAX_HANG]
        lead = len(line) - len(line.lstrip(" "))
        hang = gaps[-1] if gaps else lead + 2
        first, rest = line[:hang], line[hang:]
        out += textwrap.wrap(rest, width=width, initial_indent=first,
                             subsequent_indent=" " * hang, break_long_words=False,
                             break_on_hyphens=False) or [line]
    return "\n".join(out)


def headline(text: str) -> str:
    """The headline of a text table: its first paragraph, and the next one too when the first
    is only a title (two lines or fewer)."""
    paragraphs = text.strip("\n").split("\n\n")
    take = 2 if len(paragraphs) > 1 and paragraphs[0].count("\n") < 2 else 1
    return "\n\n".join(paragraphs[:take])


def render(view: View, fmt: str, *, brief: bool = False) -> str:
    """The view as ``table``, ``json`` or ``csv`` text, ending with one newline; a table
    within :data:`WIDTH` columns, and with ``brief`` only its headline (the view's own, else
    the table's first paragraph).

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
        brief_text = view.brief or (lambda: headline(view.table()))
        text = brief_text() if brief else view.table()
        return fit_width(text.rstrip("\n")) + "\n"
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
