"""One option grammar for every command (issue #15 item 6): walk the click commands and check
that each takes an optional positional CONFIG, --set, --format and -o/--output where it writes,
--grid-mw where the grid connection applies, and --brief where it prints a table; old
spellings survive only as hidden aliases."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from dcplanner.cli import main

#: Commands without a scenario CONFIG, and why.
NO_CONFIG = {
    "schema": "prints the schema of every scenario file",
    "init": "writes a new scenario file",
    "study": "takes a STUDY file, whose base names the scenario",
    "catalog sources": "prints the bibliography shipped in the package, not a scenario's",
}
#: Commands that write nothing but the result to standard output or -o... all but these.
NO_OUTPUT: dict[str, str] = {}
#: Commands where the grid connection matters to the answer.
GRID_MW = {"run", "fit", "optimize", "compare", "eed", "report"}
#: Commands whose --format has no table (so no --brief).
NO_TABLE = {"schema", "report", "init", "study"}
#: Commands that write their own text, not through --format (init: a template).
NO_FORMAT = {"init": "writes one template, a YAML file"}


def commands(group: click.Group = main, prefix: str = "") -> dict[str, click.Command]:
    """Every leaf command, by its full name ("catalog list")."""
    found = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.update(commands(command, f"{full} "))
        else:
            found[full] = command
    return found


COMMANDS = commands()


def options(command: click.Command) -> dict[str, click.Option]:
    """Visible options by each of their spellings."""
    return {name: p for p in command.params if isinstance(p, click.Option) and not p.hidden
            for name in (*p.opts, *p.secondary_opts)}


def test_the_walk_finds_every_command():
    assert set(COMMANDS) == {
        "run", "weather", "validate", "schema", "fit", "train", "optimize", "study", "report",
        "catalog list", "catalog show", "catalog sources", "compare", "init", "eed", "power"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_config_is_an_optional_positional(name):
    command = COMMANDS[name]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if name in NO_CONFIG:
        assert not any(p.name == "config" for p in command.params)
        return
    [config] = [p for p in arguments if p.name in ("config", "configs", "target")]
    assert not config.required
    assert config.human_readable_name.strip("[].") == "CONFIG"
    assert "--config" not in options(command)


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"schema", "init", "catalog sources"}))
def test_set_on_every_scenario_command(name):
    option = options(COMMANDS[name])["--set"]
    assert option.multiple


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_format_and_output(name):
    visible = options(COMMANDS[name])
    assert visible["-o"] is visible["--output"]
    assert "--out" not in visible
    if name not in NO_FORMAT:
        assert isinstance(visible["--format"].type, click.Choice)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_grid_mw_where_it_applies(name):
    assert ("--grid-mw" in options(COMMANDS[name])) == (name in GRID_MW)


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - NO_TABLE))
def test_brief_on_every_table(name):
    assert options(COMMANDS[name])["--brief"].is_flag


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help(name):
    for option in options(COMMANDS[name]).values():
        assert option.help, f"{name} {option.opts}"


def test_old_spellings_still_work(tmp_path):
    """``--out`` (report, study) and ``catalog --config`` are hidden aliases."""
    runner = CliRunner()
    new = runner.invoke(main, ["catalog", "list", "systems", "configs/paris-40mw.yaml"])
    old = runner.invoke(main, ["catalog", "list", "systems", "--config",
                               "configs/paris-40mw.yaml"])
    assert new.exit_code == old.exit_code == 0
    assert new.output == old.output
    assert old.output.startswith("systems\n  name")
    both = runner.invoke(main, ["catalog", "list", "systems", "configs/paris-40mw.yaml", "--config",
                                "configs/paris-40mw.yaml"])
    assert both.exit_code == 2
    assert "give the scenario as CONFIG or --config, not both" in both.output


def test_out_and_output_not_both(tmp_path):
    result = CliRunner().invoke(main, ["report", "-o", str(tmp_path / "a.html"), "--out",
                                       str(tmp_path / "b.html")])
    assert result.exit_code == 2
    assert "give -o/--output or --out, not both" in result.output
    assert not list(tmp_path.iterdir())


def test_report_needs_an_output(tmp_path):
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'." in result.output


def test_catalog_list_refuses_an_unknown_kind():
    result = CliRunner().invoke(main, ["catalog", "list", "gpus"])
    assert result.exit_code == 2
    assert "Invalid value for KIND: 'gpus' is not one of accelerators, systems, fabrics" \
        in result.output


def test_validate_without_config_checks_the_builtin_scenario():
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "config": "built-in paris-40mw.yaml", "valid": True,
        "scenario": "Paris 40 MW, Bruyères-le-Châtel (phase 1)", "phases": 0,
        "deployments": 1, "gpus": 18000}


def test_brief_needs_the_table():
    result = CliRunner().invoke(main, ["run", "--brief", "--format", "json"])
    assert result.exit_code == 2
    assert "--brief is a table's headline; drop --format json" in result.output


def test_brief_run_is_the_headline():
    result = CliRunner().invoke(main, ["run", "--brief"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Paris 40 MW, Bruyères-le-Châtel (phase 1)",
        "Design point at 42.0 °C dry bulb (22.9 °C wet bulb), plant sized on peak power",
        "",
        "  Facility peak        43.23 MW vs 40.00 MW grid: headroom -3.23 MW (-8.1 %), VIOLATED",
        "  Design point         does NOT fit at the 42.0 °C design hour on peak power "
        "(violated: grid)",
        "  Binding constraint   grid: facility peak vs grid connection, headroom -8.1 %",
        "  GPUs                 18,000 in 250 racks",
        "  Peak dense EFLOPS    FP4 180.00 · FP8 90.00 · BF16 45.00 · TF32 22.50 · FP64 0.72",
        "  Sustained BF16       18.00 EFLOPS at MFU 40.0 %",
        "  IT load              35.99 MW design, 29.56 MW operating",
        "  PUE at design point  1.201 (1.195 at operating load)",
        "  Simulated year       within the limits in all 8,760 simulated hours (hottest "
        "36.2 °C, at operating",
        "                       power)",
        "  Annual PUE           1.128, facility 292,142 MWh, peak 34.73 MW",
        "  TCO per year         €361.30 M, carbon 6,339 tCO2e",
    ]


def test_grid_mw_on_run_is_site_grid_mw():
    runner = CliRunner()
    by_option = runner.invoke(main, ["run", "--no-annual", "--grid-mw", "60", "--format",
                                     "json"])
    by_set = runner.invoke(main, ["run", "--no-annual", "--set", "site.grid_mw=60",
                                  "--format", "json"])
    assert by_option.exit_code == by_set.exit_code == 0
    assert by_option.output == by_set.output
    assert json.loads(by_option.output)["grid_mw"] == 60


@pytest.mark.parametrize("args", [
    ["run"], ["run", "configs/paris-100mw.yaml"], ["weather"], ["eed"],
    ["fit", "--system", "gb200-nvl72"], ["train", "--params", "405e9", "--tokens", "15.6e12"],
    ["catalog", "list"], ["catalog", "show", "gb200-nvl72"], ["validate"],
    ["compare", "--variant", "site.grid_mw=60", "--no-annual"],
])
def test_tables_fit_100_columns(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_violations_emphasised_only_on_a_terminal():
    plain = CliRunner().invoke(main, ["run", "--no-annual"])
    assert "\x1b[" not in plain.output
    coloured = CliRunner().invoke(main, ["run", "--no-annual"], color=True)
    assert "\x1b[31m\x1b[1mVIOLATED\x1b[0m" in coloured.output
    assert "does \x1b[31m\x1b[1mNOT\x1b[0m fit" in coloured.output
    assert click.unstyle(coloured.output) == plain.output


def test_no_colour_when_written_to_a_file(tmp_path):
    out = tmp_path / "run.txt"
    result = CliRunner().invoke(main, ["run", "--no-annual", "-o", str(out)], color=True)
    assert result.exit_code == 0
    assert "\x1b[" not in out.read_text(encoding="utf-8")


def test_study_set_changes_the_base_and_json_prints_the_summary(tmp_path):
    study = "configs/studies/paris-chip-cooling-redundancy.yaml"
    runner = CliRunner()
    plain = runner.invoke(main, ["study", study, "-o", str(tmp_path / "a"), "--format", "json"])
    grown = runner.invoke(main, ["study", study, "-o", str(tmp_path / "b"), "--format", "json",
                                 "--set", "site.grid_mw=60"])
    assert plain.exit_code == grown.exit_code == 0, grown.output
    a, b = (json.loads(r.stdout) for r in (plain, grown))
    assert a["manifest"]["cases"] == b["manifest"]["cases"] == 18
    gpus = {r["output"]: r["mean"] for r in a["summary"]}["fit.gpus"]
    assert {r["output"]: r["mean"] for r in b["summary"]}["fit.gpus"] > gpus


def test_study_set_errors_name_the_option(tmp_path):
    result = CliRunner().invoke(main, ["study", "configs/studies/paris-chip-cooling-redundancy"
                                       ".yaml", "-o", str(tmp_path / "o"), "--set",
                                       "site.bogus=1"])
    assert result.exit_code == 1
    assert result.output.startswith("error: --set site.bogus=1: base.site.bogus: unknown field; ")
    assert not (tmp_path / "o").exists()
