"""Errors raised at the boundary, each naming where the problem is.

A :class:`ConfigError` carries one :class:`Problem` per invalid field so that the CLI can print
them all at once, one line each: ``file: dotted.path: what is wrong and what is allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One invalid input: where it came from, the dotted field path, and what is wrong.

    A problem with an argument of a library function (not a scenario field) has the
    argument's name as its ``path``, and names other arguments in its message as
    ``{name}`` (listed in ``mentions``): they read as the argument's name, and the CLI renders
    them as the options that carry them (:meth:`worded`).
    """

    source: str
    path: str
    message: str
    mentions: tuple[str, ...] = ()

    @classmethod
    def at_argument(cls, argument: str, message: str) -> Problem:
        """A problem with ``argument``, its message naming others as ``{name}``."""
        return cls("", argument, message, tuple(re.findall(r"\{(\w+)\}", message)))

    def worded(self, names: dict[str, str] | None = None) -> str:
        """The message with each mentioned argument named by ``names`` (default: itself)."""
        text = self.message
        for name in self.mentions:
            text = text.replace("{" + name + "}", (names or {}).get(name, name))
        return text

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.path) if p]
        return ": ".join([*parts, self.worded()])


class DcplannerError(Exception):
    """Base class of the errors dcplanner reports to a user without a traceback."""

    def lines(self) -> list[str]:
        return [str(self)]


class ConfigError(DcplannerError):
    """Invalid scenario, catalog entry or override; holds every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class PathError(ConfigError):
    """An override's dotted path does not lead to a field: no such list item, or a value
    where the path needs a mapping."""
