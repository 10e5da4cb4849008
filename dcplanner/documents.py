"""Reading YAML, TOML and JSON documents within bounds, before they cost anything.

A scenario or study file is a few kilobytes of mappings a few levels deep. Anything far beyond
that (a file of megabytes, nesting hundreds of levels deep, a YAML alias bomb that expands to
billions of values, a megabyte string, a number with thousands of digits) is refused here
with a one-line :class:`~dcplanner.errors.ConfigError` naming the file and the field, before
it is validated, copied or run; so are a key given twice (both lines named), a NUL
character and invalid Unicode (a lone surrogate), which no field can mean.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from dcplanner.errors import ConfigError, Problem
from dcplanner.validation import SAFE_LOADER

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
#: Largest scenario or study file read [bytes]; the shipped ones are 2-4 KiB.
MAX_DOCUMENT_BYTES = 4 * 2**20
#: Deepest nesting of mappings and lists; a scenario goes 5 levels deep, a study 7.
MAX_DEPTH = 32
#: Most values (mappings, lists and scalars, aliases counted each time they are used) in one
#: document: a scenario holds about 100, the largest shipped study about 200.
MAX_VALUES = 200_000
#: Longest string [characters]; the longest field, a file path, is at most 4,096 on Linux.
MAX_STRING_CHARS = 10_000
#: Largest integer magnitude: beyond 2**53 an integer is no longer exact as a float, and every
#: field is used as a float or a 64-bit integer.
MAX_INTEGER = 2**53


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, first_line: int, second_line: int):
        self.key, self.first_line, self.second_line = key, first_line, second_line


class _UniqueKeyLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """YAML's safe loader refusing a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = (key_node.tag, key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _DuplicateKeyError(key_node.value, seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:map", _UniqueKeyLoader.construct_yaml_map)


def _json_object(text: str) -> Any:
    """A ``object_pairs_hook`` refusing a key given twice (json keeps the last)."""

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                lines = [text.count("\n", 0, m.start()) + 1
                         for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
                raise _DuplicateKeyError(key, *[*lines, 0, 0][:2])
            out[key] = value
        return out

    return hook


def parse_text(text: str, suffix: str, source: str) -> Any:
    """Parse a document by its file suffix and check it is within bounds (:func:`check_tree`).

    Raises
    ------
    ConfigError
        Malformed text, a duplicate key, nesting too deep, a value out of bounds.
    """
    def problem(message: str) -> ConfigError:
        return ConfigError([Problem(source, "", message)])

    try:
        if suffix in (".yaml", ".yml"):
            data = yaml.load(text, Loader=_UniqueKeyLoader)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text, object_pairs_hook=_json_object(text))
        else:
            raise problem(f"unknown file type '{suffix}'; allowed: {', '.join(SUFFIXES)}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise problem(f"invalid YAML{where}: {reason}") from None
    except tomllib.TOMLDecodeError as error:
        raise problem(f"invalid TOML: {error}") from None
    except json.JSONDecodeError as error:
        raise problem(f"invalid JSON: {error}") from None
    except _DuplicateKeyError as error:
        lines = f"lines {error.first_line} and {error.second_line}" if error.first_line \
            else "twice"
        raise problem(f"key '{error.key}' is given twice ({lines}); keep one") from None
    except RecursionError:
        raise problem(f"nested too deeply; at most {MAX_DEPTH} levels") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise problem(f"invalid number: {str(error).split(':')[0]}") from None
    problems = list(check_tree(data))
    if problems:
        raise ConfigError(Problem(source, path, message) for path, message in problems[:1])
    return data


def check_tree(data: Any) -> Iterator[tuple[str, str]]:
    """The (dotted path, message) of the first value out of bounds in a parsed document:
    nesting, expanded size, string length and content, integer size."""
    count = 0
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack:
        node, path, depth = stack.pop()
        count += 1
        # A path through a bomb or a deep nest is itself long: its first levels say where.
        where = ".".join(map(str, path[:6])) + (".…" if len(path) > 6 else "")
        if count > MAX_VALUES:
            yield where, (f"expands to more than {MAX_VALUES:,} values (YAML aliases "
                          "repeated?); a scenario or study holds a few hundred")
            return
        if depth > MAX_DEPTH:
            yield where, f"nested too deeply; at most {MAX_DEPTH} levels"
            return
        if isinstance(node, dict):
            for key, value in node.items():
                for message in _scalar_problems(key, "key"):
                    yield where, message
                    return
                stack.append((value, (*path, key), depth + 1))
        elif isinstance(node, list):
            stack.extend((value, (*path, k), depth + 1) for k, value in enumerate(node))
        else:
            for message in _scalar_problems(node, "value"):
                yield where, message
                return


def _scalar_problems(value: Any, what: str) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) > MAX_STRING_CHARS:
            yield f"a {what} of {len(value):,} characters; at most {MAX_STRING_CHARS:,}"
        elif "\x00" in value:
            yield f"a {what} with a NUL character"
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                yield f"a {what} that is not valid Unicode (a lone surrogate)"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        # From its bits, not str(): a long integer's str() is refused beyond 4,300 digits.
        digits = int(value.bit_length() * 0.30102999566)
        digits += abs(value) >= 10**digits
        yield (f"an integer of {digits} digits is too large (over 2**53 = 9.0e15); write it "
               "with an exponent, e.g. 1e18")


def read_bounded(path: str | Path, max_bytes: int, what: str = "file",
                 errors: str = "strict") -> str:
    """The text of an input file, refused before it is read when it is over ``max_bytes``;
    :class:`ConfigError` naming the file (``what``: how to call it) if it cannot be read."""
    source = str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ConfigError([Problem(source, "", f"{what} of {size / 2**20:,.1f} MiB; at "
                                       f"most {max_bytes // 2**20} MiB")])
        return path.read_text(encoding="utf-8", errors=errors)
    except FileNotFoundError:
        raise ConfigError([Problem(source, "", f"{what} not found")]) from None
    except IsADirectoryError:
        raise ConfigError([Problem(source, "", "is a directory, not a file")]) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:  # ValueError: a NUL in the path
        raise ConfigError([Problem(source, "", f"cannot read: {error}")]) from None


def read_document(path: str | Path) -> dict:
    """The mapping at the top of a scenario or study file, within bounds."""
    source = str(path)
    text = read_bounded(path, MAX_DOCUMENT_BYTES)
    data = parse_text(text, Path(path).suffix.lower(), source)
    if not isinstance(data, dict):
        raise ConfigError([Problem(source, "", "the file must hold a mapping of fields")])
    return data


def parse_value(text: str) -> Any:
    """A value given on the command line, read as YAML (text that is not YAML stays text),
    within the bounds of a document's values."""
    try:
        value = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError:
        value = text
    except _DuplicateKeyError as error:
        raise ConfigError([Problem("", "", f"key '{error.key}' is given twice")]) from None
    except RecursionError:
        raise ConfigError([Problem("", "", f"nested too deeply; at most {MAX_DEPTH} "
                                   "levels")]) from None
    except ValueError as error:
        raise ConfigError([Problem("", "", f"invalid number: {str(error).split(':')[0]}")]
                          ) from None
    for path, message in check_tree(value):
        raise ConfigError([Problem("", path, message)])
    return value
