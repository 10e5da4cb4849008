"""Browsing the chip, system and fabric catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dcplanner.catalog import KINDS
from dcplanner.cli.base import SET, main, output_options, reports_errors
from dcplanner.config import Override, load

if TYPE_CHECKING:
    from dcplanner.output import View

CONFIG_OPTION = click.option("--config", type=click.Path(dir_okay=False),
                             help="Scenario whose catalog overrides and additions to include.")


@main.group()
def catalog() -> None:
    """Browse the chip, system and fabric catalog (with a scenario's overrides applied).

    \b
    Examples:
      dcplanner catalog list
      dcplanner catalog show gb300-nvl72 --set catalog.systems.gb300-nvl72.rated_w=140000
    """


@catalog.command("list")
@click.argument("kind", required=False, type=click.Choice(list(KINDS)))
@CONFIG_OPTION
@SET
@reports_errors
@output_options("table", "json")
def catalog_list(kind: str | None, config: str | None, overrides: tuple[Override, ...]) -> View:
    """List catalog entries, all kinds or one KIND (accelerators, systems, fabrics).

    \b
    Example:
      dcplanner catalog list systems
    """
    from dcplanner.output import View, catalog_table

    cat = load(config, overrides).resolved.catalog
    entries = {k: cat.kind(k) for k in ([kind] if kind else KINDS)}
    data = {k: {n: e.model_dump(exclude={"sources"}) for n, e in named.items()}
            for k, named in entries.items()}
    return View(data, lambda: catalog_table(entries))


@catalog.command("show")
@click.argument("name")
@CONFIG_OPTION
@SET
@reports_errors
@output_options("table", "json")
def catalog_show(name: str, config: str | None, overrides: tuple[Override, ...]) -> View:
    """Show one catalog entry with the source and date of every number.

    \b
    Example:
      dcplanner catalog show gb200
    """
    from dcplanner.output import View, entry_table

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
