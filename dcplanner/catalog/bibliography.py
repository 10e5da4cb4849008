"""The bibliography behind the catalog's and the scenario fields' source tags.

Numbers in ``catalog/*.yaml`` and in the scenario fields' descriptions cite their sources by
tag: ``[S23]`` (source 23 of the project's hardware notes), ``[F-S65]`` (source 65 of its
facility notes) or a section of those notes (``hardware.md §3``, ``facility.md §2.2``). The
entries (title, author or site, URL, date, as the notes give them) ship with the package in
``catalog/sources.yaml``, so that every tag resolves for a user who has only the package:
``dcplanner catalog sources [TAG]``.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from dcplanner.errors import DcplannerError

#: A numbered source tag, ``[S23]`` or ``[F-S65]``.
SOURCE_TAG = re.compile(r"\[((?:F-)?S\d+)\]")
#: A reference note, optionally with a section: ``hardware.md §3``, ``facility.md §2.2``.
NOTE_TAG = re.compile(r"\b([a-z][a-z-]*\.md)(?:\s?§\s?(\d+(?:\.\d+)*))?")


@cache
def bibliography() -> dict[str, Any]:
    """The shipped bibliography: ``sources`` (tag -> reference, urls, document) and
    ``documents`` (note -> title, sections with their titles and cited tags)."""
    text = resources.files(__package__).joinpath("sources.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def tags_in(text: str) -> list[str]:
    """The source tags cited in a text, in order, each once: ``S23``, ``F-S65``,
    ``hardware.md §3``, ``validation.md``."""
    found = [m.group(1) for m in SOURCE_TAG.finditer(text)]
    found += [f"{m.group(1)} §{m.group(2)}" if m.group(2) else m.group(1)
              for m in NOTE_TAG.finditer(text)]
    return list(dict.fromkeys(found))


def _normal(tag: str) -> str:
    tag = tag.strip().strip("[]").strip()
    note = NOTE_TAG.fullmatch(tag)
    if note:
        return f"{note.group(1)} §{note.group(2)}" if note.group(2) else note.group(1)
    return tag.upper()


def lookup(tag: str) -> dict[str, Any]:
    """One tag's entry: for a source its reference and URLs, for a note's section its title
    and the sources it cites (a subsection not in the notes resolves to its section).

    Raises
    ------
    DcplannerError
        The tag is not in the bibliography (one line naming it and what tags look like).
    """
    tag, bib = _normal(tag), bibliography()
    if tag in bib["sources"]:
        return {"tag": tag, **bib["sources"][tag]}
    note, _, section = tag.partition(" §")
    if note in bib["documents"]:
        document = bib["documents"][note]
        if not section:
            return {"tag": tag, "document": note, "title": document["title"]}
        while section and section not in document["sections"]:
            section = section.rpartition(".")[0]
        if section:
            return {"tag": tag, "document": note, "section": section,
                    **document["sections"][section]}
    raise DcplannerError(f"source {tag!r}: not in the bibliography; tags look like S23, F-S65 "
                         "or 'hardware.md §3' (list them with `dcplanner catalog sources`)")


def sources_text(entries: list[dict[str, Any]]) -> str:
    """Entries as text, one per line block: the tag, then its reference (or title) and its
    URLs or cited tags, wrapped within 100 columns."""
    import textwrap

    def wrap(text: str, first: str) -> list[str]:
        return textwrap.wrap(text, 100, initial_indent=first, subsequent_indent=" " * 9,
                             break_long_words=False, break_on_hyphens=False)

    lines = []
    for e in entries:
        tag = e["tag"]
        if len(tag) > 8:
            lines.append(tag)
            tag = ""
        lines += wrap(e.get("reference") or e.get("title", ""), f"{tag:<8} ")
        if e.get("cites"):
            lines += wrap("cites " + ", ".join(e["cites"]), " " * 9)
    return "\n".join(lines)


def source_tags() -> list[str]:
    """Every numbered source tag, hardware notes first, each in numeric order."""
    def order(tag: str) -> tuple[bool, int]:
        return tag.startswith("F-"), int(tag.rpartition("S")[2])

    return sorted(bibliography()["sources"], key=order)
