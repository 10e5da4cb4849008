"""The command group, the options every command shares, one output decorator, and errors.

Only this package speaks in flags: library problems name the argument or the field, and the
commands map them to the option that carried it (:func:`flags`, :func:`dcplanner.config.load`
for ``--set`` and the options that become overrides).
"""

from __future__ import annotations

import errno
import functools
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from dcplanner import __version__
from dcplanner.config import Loaded, Override
from dcplanner.errors import ConfigError, DcplannerError, Problem

CONFIG = click.argument("config", required=False, type=click.Path(dir_okay=False))
SET = click.option(
    "--set", "overrides", multiple=True, metavar="PATH=VALUE",
    callback=lambda _ctx, _param, items: tuple((item, f"--set {item}") for item in items),
    help="Override a scenario field by dotted path, e.g. --set deployments.0.count=300 "
    "(repeatable; the value is read as YAML).",
)
GRID_MW = click.option("--grid-mw", type=float, metavar="MW",
                       help="Grid connection [MW] (instead of the scenario's site.grid_mw).")
class FiniteRange(click.FloatRange):
    """A float option within a range; NaN and infinity refused as a scenario field's are (a
    range alone lets NaN through: every comparison with it is false)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail("must be a finite number (NaN and infinity are not allowed)", param, ctx)
        return number


POSITIVE = FiniteRange(min=0, min_open=True)


def reports_errors(command: Callable) -> Callable:
    """Turn dcplanner's errors into one line per problem on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DcplannerError as error:
            for line in error.lines():
                click.echo(f"error: {line}", err=True)
            sys.exit(1)

    return wrapper


@contextmanager
def flags(names: dict[str, str]) -> Iterator[None]:
    """Library problems at an argument (``system``) named by the option that set it
    (``--system``), and the arguments their messages mention as well."""
    try:
        yield
    except ConfigError as error:
        raise ConfigError(Problem(names[p.path], "", p.worded(names))
                          if not p.source and p.path in names
                          else Problem(p.source, p.path, p.worded(names))
                          for p in error.problems) from None


def warn_inherited(loaded: Loaded) -> None:
    """One warning line on stderr naming the Paris defaults a scenario file inherits, and a
    note line for each thing resolution decided (a ``gpus:`` count rounded up)."""
    from dcplanner.sites import inherited_warning

    if loaded.inherited:
        click.echo(f"warning: {inherited_warning(loaded.source, loaded.inherited)}", err=True)
    say_notes(loaded)


def say_notes(loaded: Loaded) -> None:
    """A note line on stderr for each thing resolution decided (a ``gpus:`` count rounded up),
    named by the ``--set`` that gave the field, else by the file."""
    origins = dict(loaded.origins)
    for note in loaded.resolved.notes:
        field = note.split(":", 1)[0]
        click.echo(f"note: {origins.get(field, loaded.source)}: {note}", err=True)


def check_writable(output: str | None, option: str = "--output") -> None:
    """Refuse, before any work, a target file whose folder is missing or read-only (the
    write itself is still atomic: nothing is left half-written)."""
    if not output:
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        reason = os.strerror(errno.ENOENT)
    elif not os.access(folder, os.W_OK):
        reason = os.strerror(errno.EACCES)
    else:
        return
    raise DcplannerError(f"{option} {output}: cannot write: {reason}")


#: Words of a table that mark a violation, emphasised on a terminal (and only there).
VIOLATION = re.compile(r"\b(VIOLATED|NOT|NO|exceeded)\b")


def emphasised(text: str) -> str:
    """``text`` with the words that mark a violation in bold red: for a terminal only (click
    strips the styles when standard output is not one; ``NO_COLOR`` turns them off)."""
    if os.environ.get("NO_COLOR"):
        return text
    return VIOLATION.sub(lambda m: click.style(m.group(0), fg="red", bold=True), text)


def emit(text: str, output: str | None, option: str = "--output", *,
         styled: bool = False) -> None:
    """``text`` to standard output, or written atomically to ``output``; a ``styled`` table
    has its violations emphasised when standard output is a terminal."""
    from dcplanner.output import write_atomic

    if output:
        try:
            write_atomic(output, text)
        except OSError as error:
            raise DcplannerError(
                f"{option} {output}: cannot write: {error.strerror or error}"
            ) from None
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(emphasised(text) if styled else text, nl=False)


def output_option(*, help: str = "Write to this file (atomically) instead of standard output.",
                  required: bool = False, folder: bool = False,
                  alias: str | None = None) -> Callable:
    """``-o/--output`` (a file, or a ``folder``), with an optional hidden deprecated
    ``alias`` (``--out``) that still works; the command receives ``output``."""

    def decorate(command: Callable) -> Callable:
        kind = click.Path(file_okay=False) if folder else click.Path(dir_okay=False)
        metavar = "DIR" if folder else "FILE"
        if alias is not None:
            @functools.wraps(command)
            def wrapper(*args: Any, output: str | None, output_alias: str | None,
                        **kwargs: Any) -> Any:
                if output is not None and output_alias is not None and output != output_alias:
                    raise click.UsageError(f"give -o/--output or {alias}, not both")
                output = output if output is not None else output_alias
                if required and output is None:
                    raise click.UsageError("Missing option '-o' / '--output'.")
                return command(*args, output=output, **kwargs)

            wrapped = click.option(alias, "output_alias", type=kind, hidden=True,
                                   help="Deprecated spelling of --output.")(wrapper)
            return click.option("--output", "-o", type=kind, metavar=metavar,
                                help=help + (" Required." if required else ""))(wrapped)
        return click.option("--output", "-o", type=kind, metavar=metavar, required=required,
                            help=help)(command)

    return decorate


def output_options(*formats: str) -> Callable:
    """``--format`` (the first of ``formats`` by default), ``-o/--output`` and ``--brief`` for
    a command that returns a :class:`~dcplanner.output.View` (or text): rendered and written
    in one place."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args: Any, fmt: str, output: str | None, brief: bool,
                    **kwargs: Any) -> None:
            from dcplanner.output import View, render
            from dcplanner.output.view import fit_width, headline

            if brief and fmt != "table":
                raise click.UsageError(f"--brief is a table's headline; drop --format {fmt}")
            check_writable(output)
            result = command(*args, **kwargs)
            if isinstance(result, View):
                text = render(result, fmt, brief=brief)
            else:
                text = fit_width(headline(result)) + "\n" if brief else result
            emit(text, output, styled=fmt == "table")

        wrapper = click.option(
            "--brief", is_flag=True,
            help="Only the headline of the table (its first paragraph).")(wrapper)
        wrapper = output_option()(wrapper)
        return click.option("--format", "fmt", type=click.Choice(formats), default=formats[0],
                            show_default=True, help="Output format.")(wrapper)

    return decorate


def weather_options(command: Callable) -> Callable:
    """The options that choose and stress the weather year."""
    options = [
        click.option("--weather", "weather_file", type=click.Path(dir_okay=False),
                     help="EPW weather file (default: the scenario's weather, else the "
                     "built-in Paris-area year)."),
        click.option("--shift-k", type=float, metavar="K",
                     help="Shift the year's dry bulb and dew point by K kelvin, e.g. 1.0."),
        click.option("--heatwave", is_flag=True,
                     help="Inject a 5-day heatwave peaking at 42 °C on 25 July (the 2019 "
                     "record near the site), or as set under weather.heatwave."),
        click.option("--heatwave-peak-c", type=float, metavar="C",
                     help="Peak of the injected heatwave [°C]; implies --heatwave."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def stress_overrides(weather_file: str | None, shift_k: float | None, heatwave: bool,
                     heatwave_peak_c: float | None) -> tuple[Override, ...]:
    """The weather options as overrides, validated like any field and named in errors."""
    overrides: list[Override] = []
    if weather_file is not None:
        overrides.append((f"weather.file={json.dumps(weather_file)}",
                          f"--weather {weather_file}"))
    if shift_k is not None:
        overrides.append((f"weather.shift_k={shift_k!r}", f"--shift-k {shift_k:g}"))
    if heatwave or heatwave_peak_c is not None:
        overrides.append(("weather.heatwave.enabled=true", "--heatwave"))
    if heatwave_peak_c is not None:
        overrides.append((f"weather.heatwave.peak_c={heatwave_peak_c!r}",
                          f"--heatwave-peak-c {heatwave_peak_c:g}"))
    return tuple(overrides)


def site_overrides(grid_mw: float | None, max_racks: int | None = None
                   ) -> tuple[Override, ...]:
    """Site options as overrides, validated like any field and named in errors."""
    values = {("site.grid_mw", "--grid-mw"): grid_mw, ("site.max_racks", "--max-racks"): max_racks}
    return tuple((f"{path}={value!r}", f"{option} {value:g}")
                 for (path, option), value in values.items() if value is not None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dcplanner")
def main() -> None:
    """Capacity planner for AI data centers: grid connection -> electrical losses -> cooling in
    real weather -> GPUs -> FLOPS -> training time, energy, cost and carbon.

    \b
    Examples:
      dcplanner run                                  # built-in Paris 40 MW scenario, a year
      dcplanner run configs/paris-100mw.yaml         # the 40 -> 100 MW phase timeline
      dcplanner run --heatwave --hourly-output hours.csv
      dcplanner fit --system gb300-nvl72 --grid-mw 100
      dcplanner optimize --candidates gb200-nvl72,dgx-b200 --objective fp8
      dcplanner train --params 405e9 --tokens 15.6e12
      dcplanner study configs/studies/paris-monte-carlo.yaml -o mc --workers 2
      dcplanner report -o report.html
      dcplanner catalog show gb200-nvl72
    """
    # Results that are not finite are refused by name (Result.check, render), so
    # numpy's overflow and invalid-value warnings would only add lines to the one-line error.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"dcplanner\.")
