"""``dcplanner init``: a commented scenario template for a new site."""

from __future__ import annotations

import os

import click

from dcplanner.cli.base import check_writable, emit, flags, main, reports_errors
from dcplanner.errors import DcplannerError


@main.command()
@click.option("--site", default="New site", show_default=True, metavar="NAME",
              help="The site's name (the scenario's name).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@reports_errors
def init(site: str, output: str | None, force: bool) -> None:
    """Write a commented scenario template for a new site.

    Every field is given with its unit and meaning, on the numbers of the built-in Paris
    scenario so that the file runs as it is; the comments say which fields a new site must
    replace: its design weather and weather year, electricity prices, grid carbon and the
    currency (every price in EUR). Until those are given, `dcplanner run` warns which of them
    the file still takes from Paris.

    \b
    Examples:
      dcplanner init --site Lyon -o lyon.yaml
      dcplanner run lyon.yaml
    """
    from dcplanner.sites import template_text

    if output and os.path.exists(output) and not force:
        raise DcplannerError(f"--output {output}: exists; pass --force to overwrite it")
    check_writable(output)
    with flags({"site": "--site"}):
        text = template_text(site)
    emit(text, output)
