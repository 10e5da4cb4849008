"""Chunk files: the rows of a study's finished chunks, each with the cases it holds and a
checksum, so that a resumed study trusts only chunks that are whole and its own.

A chunk file is one header line, then the chunk's CSV rows (no column names)::

    # dcplanner chunk 3: cases 18-23, 6 rows, sha256 5f1c...

It is written atomically (a temporary file, fsync, then a rename). On resume, a chunk file is
used only if its header names the chunk's cases, its row count and checksum match the rows,
and each row starts with its case number; anything else (an empty or truncated file, a copy
of another chunk, a hand edit) is recomputed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from dcplanner.output import write_atomic

_HEADER = re.compile(
    r"# dcplanner chunk (\d+): cases (\d+)-(\d+), (\d+) rows, sha256 ([0-9a-f]{64})")


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def write_chunk(path: Path, k: int, cases: range, body: str) -> None:
    """Write chunk ``k`` (the CSV rows ``body`` of ``cases``) to ``path``, atomically."""
    header = (f"# dcplanner chunk {k}: cases {cases.start}-{cases.stop - 1}, {len(cases)} rows, "
              f"sha256 {_digest(body)}\n")
    write_atomic(path, header + body)


def chunk_problem(path: Path, k: int, cases: range) -> tuple[str | None, str]:
    """Why the file at ``path`` is not chunk ``k`` of ``cases`` (None: it is), and its rows."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # a CR inside a cell stays
            text = handle.read()
    except FileNotFoundError:
        return "missing", ""
    except (OSError, UnicodeDecodeError) as error:
        return f"unreadable ({error})", ""
    header, _, body = text.partition("\n")
    match = _HEADER.fullmatch(header)
    if match is None:
        return "no chunk header (empty, truncated or not a chunk file)", ""
    number, first, last, count, digest = match.groups()
    expected = (k, cases.start, cases.stop - 1, len(cases))
    if (int(number), int(first), int(last), int(count)) != expected:
        return (f"holds chunk {number}, cases {first}-{last}, where chunk {k} is cases "
                f"{cases.start}-{cases.stop - 1}"), ""
    if _digest(body) != digest:
        return "its rows do not match its checksum (truncated or edited)", ""
    ids = [row[0] if row else "" for row in csv.reader(io.StringIO(body, newline=""))]
    if ids != [str(i) for i in cases]:
        return "its rows are not its cases, in order", ""
    return None, body


def chunk_body(path: Path) -> str:
    """The rows of a chunk file (its header left out); the file is one this study wrote or
    verified (:func:`chunk_problem`)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read().partition("\n")[2]
