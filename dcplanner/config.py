"""Reading scenario files and overrides, with one-line errors naming the field.

YAML (``.yaml``/``.yml``), TOML (``.toml``) or JSON (``.json``) by extension. Overrides are
``dotted.path=value`` with the value read as YAML (``300``, ``0.85``, ``true``, ``[1, 2]``,
``W32``); list items are addressed by index (``deployments.0.count``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from dcplanner.documents import parse_text, parse_value, read_document
from dcplanner.errors import ConfigError, PathError, Problem
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.sites import inherited_defaults
from dcplanner.validation import validate

#: The scenario ``dcplanner run`` uses when no file is given (shipped as package data).
BUILTIN_SCENARIO = "paris-40mw.yaml"


def builtin_scenario_text() -> str:
    """Text of the built-in Paris 40 MW scenario."""
    folder = resources.files("dcplanner").joinpath("scenarios")
    return folder.joinpath(BUILTIN_SCENARIO).read_text(encoding="utf-8")


def parse_override(item: str) -> tuple[str, Any]:
    """``'a.b=1'`` -> ``('a.b', 1)``; the value is read as YAML."""
    path, sep, raw = item.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ConfigError([Problem("", "", "expected dotted.path=value, e.g. "
                                   "deployments.0.count=300")])
    try:
        return path, parse_value(raw)
    except ConfigError as error:
        raise ConfigError(Problem("", ".".join(filter(None, (path, p.path))), p.message)
                          for p in error.problems) from None


def _relabels(parts: list[str], node: Any, key: Any, value: Any) -> bool:
    """Whether setting ``deployments.N.system`` to ``value`` changes the system of a
    deployment that has a name: its label would then name the old system."""
    return (len(parts) == 3 and parts[0] == "deployments" and key == "system"
            and isinstance(node, dict) and node.get("name") and node.get("system") != value)


def apply_override(data: dict, path: str, value: Any) -> None:
    """Set ``value`` at dotted ``path`` inside ``data`` in place, creating missing (or unset)
    mappings on the way. A deployment whose system an override changes loses its ``name``,
    so that its label follows the new system (set ``deployments.N.name`` after the system to
    keep one).

    Raises
    ------
    PathError
        At the part of the path that leads nowhere: a list index out of range, or a value
        (a number, a string) where the path goes on below it.
    """
    parts = path.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise PathError([Problem("", where,
                                         f"no list item {part!r}; indices 0 to {len(node) - 1}")])
            key: Any = int(part)
        else:
            key = part
        if last:
            if _relabels(parts, node, key, value):
                node.pop("name")  # the label follows the new system (resolve's default)
            node[key] = value
            return
        child = node[key] if isinstance(node, list) else node.get(key)
        if child is None:
            child = node[key] = {}
        elif not isinstance(child, dict | list):
            raise PathError([Problem("", where, f"is a value ({child!r}), not a section: "
                                     f"nothing lies below it")])
        node = child


def scenario_data(path: str | Path | None = None) -> tuple[dict, str]:
    """The mapping of a scenario file (the built-in one when ``path`` is None), shorthands
    expanded and relative file paths anchored at the file's folder, and its source name."""
    if path is None:
        source = f"<built-in {BUILTIN_SCENARIO}>"
        data = parse_text(builtin_scenario_text(), ".yaml", source)
    else:
        source = str(path)
        data = read_document(path)
    prepare_data(data, None if path is None else Path(path).parent)
    return data, source


def prepare_data(data: dict, folder: Path | None) -> None:
    """Expand shorthands and anchor relative file paths at ``folder`` (None: leave them)."""
    _expand_shorthands(data)
    if folder is not None:
        _anchor_file_fields(data, folder)


#: An override: ``"dotted.path=value"``, or that with what to call it in errors (the CLI gives
#: the option: ``("site.grid_mw=100", "--grid-mw 100")``); alone it is ``override <text>``.
Override = str | tuple[str, str]


@dataclass(frozen=True)
class Loaded:
    """A resolved scenario and where its values came from: its file (or the built-in scenario)
    and the option that set each overridden path, so that a problem found later, when the
    weather is read or the phases applied, names them as a problem in the file would."""

    resolved: ResolvedScenario
    source: str
    origins: tuple[tuple[str, str], ...] = ()
    #: Paris defaults a scenario file takes without saying so (:mod:`dcplanner.sites`);
    #: none for the built-in scenario, which is the Paris site.
    inherited: tuple[str, ...] = ()

    def errors(self) -> AbstractContextManager[None]:
        """Problems raised inside are attributed as by :func:`blamed`."""
        return blamed(self.source, self.origins)


@contextmanager
def blamed(source: str, origins: Sequence[tuple[str, str]] = ()) -> Iterator[None]:
    """Problems raised inside are attributed to the option that set their path, else to
    ``source``, unless they already name one (a weather or profile file)."""
    try:
        yield
    except ConfigError as error:
        raise ConfigError(
            Problem(p.source or _origin(p.path, origins) or source, p.path, p.message)
            for p in error.problems
        ) from None


def apply_overrides(data: dict, overrides: Sequence[Override]) -> list[tuple[str, str]]:
    """Apply ``path=value`` overrides to a scenario mapping in order, in place; an override's
    problem is blamed on its label (``--set site.grid_mw=…``). Returns each override's
    (dotted path, label), for :func:`blamed`."""
    origins = []
    for item in overrides:
        text, label = item if isinstance(item, tuple) else (item, f"override {item}")
        try:
            dotted_path, value = parse_override(text)
            apply_override(data, dotted_path, value)
        except ConfigError as error:
            raise ConfigError(Problem(label, p.path, p.message)
                              for p in error.problems) from None
        origins.append((dotted_path, label))
    return origins


def load(path: str | Path | None = None, overrides: Sequence[Override] = ()) -> Loaded:
    """Read, override, validate and resolve a scenario (the built-in one when ``path`` is None).
    Nothing is run: the weather and the phases are checked by the solvers that use them
    (:func:`dcplanner.solvers.check.check`).

    Raises
    ------
    ConfigError
        Every problem found, each naming its file (or the option that set it) and dotted path.
    """
    data, source = scenario_data(path)
    origins = apply_overrides(data, overrides)
    inherited = () if path is None else inherited_defaults(data)
    with blamed(source, origins):
        return Loaded(resolve(validate(Scenario, data)), source, tuple(origins), inherited)


def load_resolved(
    path: str | Path | None = None, overrides: Sequence[Override] = ()
) -> ResolvedScenario:
    """The resolved scenario of :func:`load`."""
    return load(path, overrides).resolved


#: Fields that accept a string as shorthand for a mapping, and the key the string fills.
_SHORTHANDS = {("weather",): "file", ("workload", "profile"): "kind"}
#: File paths in a scenario, read relative to the scenario file's folder.
_FILE_FIELDS = (("weather", "file"), ("workload", "profile", "file"),
                ("carbon", "intensity_file"), ("heat_reuse", "demand", "file"))


def _node(data: dict, keys: tuple[str, ...]) -> tuple[dict | None, str]:
    """The mapping holding ``keys[-1]``, or None when the path is not there."""
    node: Any = data
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    return (node if isinstance(node, dict) else None), keys[-1]


def _expand_shorthands(data: dict) -> None:
    """``weather: x.epw`` -> ``weather: {file: x.epw}``, so overrides below it can apply."""
    for keys, field in _SHORTHANDS.items():
        parent, key = _node(data, keys)
        if parent is not None and isinstance(parent.get(key), str):
            parent[key] = {field: parent[key]}


def _anchor_file_fields(data: dict, folder: Path) -> None:
    """Relative file paths in a scenario file are relative to the file, not to the shell."""
    for keys in _FILE_FIELDS:
        parent, key = _node(data, keys)
        value = parent.get(key) if parent is not None else None
        if isinstance(value, str) and not Path(value).is_absolute():
            parent[key] = str(folder / value)


def _origin(path: str, origins: Sequence[tuple[str, str]]) -> str:
    """The override that set a path when a problem lies at, below or above it (a rule across
    the fields of a model it changed, as ``deployments``: every deployment is empty), else
    ''."""
    for dotted_path, label in origins:
        if path and (path == dotted_path or path.startswith(dotted_path + ".")
                     or dotted_path.startswith(path + ".")):
            return label
    return ""


def load_scenario(path: str | Path | None = None, overrides: Sequence[Override] = ()
                  ) -> Scenario:
    """A validated :class:`~dcplanner.scenario.Scenario` from a file (see :func:`load_resolved`)."""
    return load_resolved(path, overrides).scenario
