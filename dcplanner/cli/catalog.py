"""Browsing the chip, system and fabric catalog."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from dcplanner.catalog import KINDS
from dcplanner.cli.base import CONFIG, SET, main, output_options, reports_errors
from dcplanner.config import Override, load

if TYPE_CHECKING:
    from dcplanner.output import View

#: ``--config FILE``, the old spelling of the positional CONFIG: hidden, still accepted.
CONFIG_OPTION = click.option("--config", "config_option", type=click.Path(dir_okay=False),
                             hidden=True, help="Deprecated spelling of CONFIG.")


def _config(config: str | None, config_option: str | None) -> str | None:
    """The scenario file, given as CONFIG or (deprecated) --config, not both."""
    if config is not None and config_option is not None:
        raise click.UsageError("give the scenario as CONFIG or --config, not both")
    return config if config is not None else config_option


@main.group()
def catalog() -> None:
    """Browse the chip, system and fabric catalog (with a scenario's overrides applied).

    \b
    Examples:
      dcplanner catalog list
      dcplanner catalog show gb300-nvl72 --set catalog.systems.gb300-nvl72.rated_w=140000
    """


@catalog.command("list")
@click.argument("kind", required=False, metavar="[KIND]")
@CONFIG
@CONFIG_OPTION
@SET
@reports_errors
@output_options("table", "json")
def catalog_list(kind: str | None, config: str | None, config_option: str | None,
                 overrides: tuple[Override, ...]) -> View:
    """List catalog entries, all kinds or one KIND (accelerators, systems, fabrics), with the
    catalog overrides and additions of the scenario CONFIG (default: the built-in one).

    \b
    Examples:
      dcplanner catalog list systems
      dcplanner catalog list systems configs/paris-40mw.yaml
    """
    from dcplanner.output import View, catalog_table

    config = _config(config, config_option)
    if kind is not None and kind not in KINDS:
        if config is None and (kind.endswith((".yaml", ".yml", ".toml", ".json"))
                               or os.path.exists(kind)):
            kind, config = None, kind  # `catalog list FILE`: the scenario, every kind
        else:
            raise click.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}",
                                     param_hint="KIND")
    cat = load(config, overrides).resolved.catalog
    entries = {k: cat.kind(k) for k in ([kind] if kind else KINDS)}
    data = {k: {n: e.model_dump(exclude={"sources"}) for n, e in named.items()}
            for k, named in entries.items()}
    return View(data, lambda: catalog_table(entries))


@catalog.command("show")
@click.argument("name")
@CONFIG
@CONFIG_OPTION
@SET
@reports_errors
@output_options("table", "json")
def catalog_show(name: str, config: str | None, config_option: str | None,
                 overrides: tuple[Override, ...]) -> View:
    """Show one catalog entry with the source and date of every number (with the overrides
    of the scenario CONFIG, default the built-in one).

    \b
    Example:
      dcplanner catalog show gb200
    """
    from dcplanner.output import View, entry_table

    config = _config(config, config_option)
    kind, entry = load(config, overrides).resolved.catalog.find(name)
    return View({"name": name, "kind": kind, **entry.model_dump()},
                lambda: entry_table(name, kind, entry))


@catalog.command("sources")
@click.argument("tag", required=False)
@reports_errors
@output_options("table", "json")
def catalog_sources(tag: str | None) -> View:
    """List the bibliography behind the catalog's source tags, or resolve one TAG.

    A tag is a numbered source ([S23]: the hardware notes' source 23; [F-S65]: the facility
    notes' source 65) or a section of those notes ('hardware.md §3'); the entries ship with
    the package (catalog/sources.yaml).

    \b
    Examples:
      dcplanner catalog sources
      dcplanner catalog sources S23
      dcplanner catalog sources 'hardware.md §3'
    """
    from dcplanner.catalog.bibliography import lookup, source_tags, sources_text
    from dcplanner.output import View

    entries = [lookup(tag)] if tag else [lookup(t) for t in source_tags()]
    return View(entries if not tag else entries[0], lambda: sources_text(entries))
