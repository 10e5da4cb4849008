"""What a scenario file takes from the built-in Paris site without saying so.

A field left out of a scenario file takes its default, and four defaults belong to the Paris
site of the built-in scenario rather than to a data centre in general: the weather year (the
Brétigny-sur-Orge normals), the French electricity prices and taxes, the French grid carbon
intensity and the euro as the money of every price. A file says it wants them by naming the
field (any value, ``weather: {file: null}`` included); one that names none of a group
inherits it, and ``dcplanner run`` says so in one warning line.
"""

from __future__ import annotations

import json
from typing import Any

#: What a new site inherits from Paris: (what is inherited, the fields that say so; any one of
#: them given is enough).
PARIS_DEFAULTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("the Paris weather", ("weather.file",)),
    ("French prices", ("economics.energy_eur_per_mwh",
                                   "economics.network_tariff_eur_per_mwh",
                                   "economics.network_tariff_eur_per_kw_year",
                                   "economics.excise_eur_per_mwh")),
    ("French carbon", ("carbon.grid_intensity", "carbon.intensity_file")),
    ("EUR", ("economics.eur_per_usd",)),
)


def _given(data: Any, path: str) -> bool:
    node = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def inherited_defaults(data: dict) -> tuple[str, ...]:
    """What a scenario's mapping (as read, with its overrides) leaves to the Paris defaults.

    Parameters
    ----------
    data : dict
        The scenario file's fields before validation (so that a default is not mistaken for a
        value given).

    Returns
    -------
    tuple of str
        The names of :data:`PARIS_DEFAULTS` inherited, in that order; empty when the file says
        each one.

    Examples
    --------
    >>> inherited_defaults({"weather": {"file": None}, "carbon": {"grid_intensity": 50}})
    ('French prices', 'EUR')
    """
    return tuple(what for what, paths in PARIS_DEFAULTS
                 if not any(_given(data, path) for path in paths))


def inherited_warning(source: str, inherited: tuple[str, ...]) -> str:
    """The one warning line for a scenario that inherits ``inherited`` (see
    :func:`inherited_defaults`), without the ``warning:`` prefix.

    Examples
    --------
    >>> inherited_warning("lyon.yaml", ("the Paris weather", "French prices", "EUR"))
    'lyon.yaml inherits the Paris weather, French prices and EUR'
    """
    names = list(inherited)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{source} inherits {joined}"


#: The template ``dcplanner init`` writes (package data), with ``__SITE__`` for the site's name
#: and ``__SLUG__`` for its file names.
TEMPLATE = "template.yaml"


def slug(site: str) -> str:
    """A site's name as a file name stem.

    Examples
    --------
    >>> slug("Lyon Saint-Exupéry 2")
    'lyon-saint-exupéry-2'
    """
    words = "".join(c.lower() if c.isalnum() else " " for c in site).split()
    return "-".join(words) or "site"


def template_text(site: str = "New site") -> str:
    """The commented scenario template for a new site named ``site``: it loads and runs as it
    is (on the Paris numbers) and says which fields a new site must replace.

    Raises
    ------
    ConfigError
        ``site`` is empty.
    """
    from importlib import resources

    from dcplanner.errors import ConfigError, Problem

    if not site.strip():
        raise ConfigError([Problem("", "site", "must not be empty, e.g. Lyon")])
    text = resources.files("dcplanner").joinpath("scenarios", TEMPLATE).read_text(
        encoding="utf-8")
    name = site.strip()
    quoted = "".join(c if c.isprintable() else f"\\U{ord(c):08x}"
                     for c in json.dumps(name, ensure_ascii=False))  # YAML reads the escapes
    return text.replace("__SLUG__", slug(name)).replace("__SITE__", quoted)
