"""`dcplanner init` and the warning for a scenario that inherits the Paris site's defaults
(dcplanner.sites, dcplanner.cli.init, the `run` warning)."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplanner.cli import main
from dcplanner.config import load
from dcplanner.sites import (
    PARIS_DEFAULTS,
    inherited_defaults,
    inherited_warning,
    slug,
    template_text,
)
from tests.conftest import CONFIGS

EVERYTHING = "the Paris weather, French prices, French carbon and EUR"


@pytest.fixture
def cli():
    runner = CliRunner()
    return lambda *args: runner.invoke(main, [str(a) for a in args])


def uncommented(text: str, section: str) -> str:
    """The template with the commented-out ``section:`` block (its ``#`` lines) restored."""
    lines, inside = [], False
    for line in text.splitlines():
        if line == f"# {section}:":
            inside = True
        elif inside and not line.startswith("#   "):
            inside = False
        lines.append(line[2:] if inside else line)
    return "\n".join(lines) + "\n"


def test_init_prints_the_template_with_the_site_name(cli):
    result = cli("init", "--site", "Lyon")
    assert result.exit_code == 0
    assert result.output == template_text("Lyon")
    lines = result.output.splitlines()
    assert lines[0] == ("# A new site for dcplanner, written by `dcplanner init`. Check it "
                        "with `dcplanner validate")
    assert 'name: "Lyon"' in lines
    assert "# weather:" in lines and "#   file: lyon.epw" in lines
    assert max(len(line) for line in lines) <= 100


def test_init_writes_a_file_that_runs_and_warns_what_it_inherits(cli, tmp_path):
    path = tmp_path / "lyon.yaml"
    result = cli("init", "--site", "Lyon", "-o", path)
    assert (result.exit_code, result.output) == (0, f"wrote {path}\n")
    run = cli("run", path, "--no-annual")
    assert run.exit_code == 0, run.output
    assert run.output.startswith(f"warning: {path} inherits {EVERYTHING}\nLyon\n"
                                 "Design point at 42.0 °C dry bulb")
    assert run.output.count("warning:") == 1


def test_the_template_says_which_fields_a_new_site_replaces():
    text = template_text("Lyon")
    # each group a new site replaces is a REPLACE comment followed by its commented section
    for section, field in (("weather", "file"), ("economics", "energy_eur_per_mwh"),
                           ("economics", "eur_per_usd"), ("carbon", "grid_intensity")):
        assert re.search(rf"^# REPLACE: .*(?:\n# .*)*\n# {section}:\n(?:#   .*\n)*#   "
                         rf"{field}:", text, flags=re.M), (section, field)
    for field in ("grid_mw", "design_ambient_c", "design_dew_point_c"):
        assert re.search(rf"^  {field}: .*\(REPLACE", text, flags=re.M), field
    assert text.count("REPLACE") >= 8
    data = yaml.safe_load(text)
    assert data["name"] == "Lyon" and "weather" not in data and "carbon" not in data


def test_the_template_uncommented_says_everything_but_the_weather(tmp_path):
    text = uncommented(uncommented(template_text("Lyon"), "economics"), "carbon")
    path = tmp_path / "lyon.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.inherited == ("the Paris weather",)
    economics = loaded.resolved.scenario.economics
    assert (economics.energy_eur_per_mwh, economics.eur_per_usd) == (70.0, 0.923)
    assert loaded.resolved.scenario.carbon.grid_intensity == 21.7


def test_init_refuses_an_existing_file_unless_forced(cli, tmp_path):
    path = tmp_path / "lyon.yaml"
    path.write_text("mine\n", encoding="utf-8")
    result = cli("init", "--site", "Lyon", "-o", path)
    assert (result.exit_code, result.output) == (
        1, f"error: --output {path}: exists; pass --force to overwrite it\n")
    assert path.read_text(encoding="utf-8") == "mine\n"
    result = cli("init", "--site", "Lyon", "-o", path, "--force")
    assert (result.exit_code, result.output) == (0, f"wrote {path}\n")
    assert path.read_text(encoding="utf-8") == template_text("Lyon")


@pytest.mark.parametrize(("args", "message"), [
    (["--site", "  "], "error: --site: must not be empty, e.g. Lyon\n"),
    (["-o", "no/such/folder/x.yaml"],
     "error: --output no/such/folder/x.yaml: cannot write: No such file or directory\n"),
])
def test_init_errors_name_the_option_and_write_nothing(cli, tmp_path, monkeypatch, args,
                                                       message):
    monkeypatch.chdir(tmp_path)
    result = cli("init", *args)
    assert (result.exit_code, result.output) == (1, message)
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(str.strip))
def test_any_site_name_gives_a_template_of_that_name(site):
    data = yaml.safe_load(template_text(site))
    assert data["name"] == site.strip()
    assert data["site"]["grid_mw"] == 40


def test_slug():
    assert slug("Lyon") == "lyon"
    assert slug("  Saint-Priest / Lyon 2 ") == "saint-priest-lyon-2"
    assert slug("???") == "site"


@pytest.mark.parametrize(("data", "inherited"), [
    ({}, tuple(what for what, _ in PARIS_DEFAULTS)),
    ({"weather": {"file": None}, "economics": {"excise_eur_per_mwh": 20.9},
      "carbon": {"intensity_file": "x.csv"}}, ("EUR",)),
    ({"weather": {"shift_k": 1.0}, "economics": {"staff_fte": 10, "eur_per_usd": 0.9},
      "carbon": {"embodied_tco2e_per_system": {}}},
     ("the Paris weather", "French prices", "French carbon")),
])
def test_inherited_defaults_are_the_groups_the_file_names_no_field_of(data, inherited):
    assert inherited_defaults(data) == inherited


def test_the_weather_shorthand_says_the_weather(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(template_text("Site") + "weather: site.epw\n", encoding="utf-8")
    assert load(path).inherited == ("French prices", "French carbon", "EUR")


def test_inherited_warning_wording():
    assert inherited_warning("a.yaml", ("EUR",)) == "a.yaml inherits EUR"
    assert inherited_warning("a.yaml", tuple(w for w, _ in PARIS_DEFAULTS)) == \
        f"a.yaml inherits {EVERYTHING}"


def test_run_says_nothing_for_the_builtin_or_a_file_that_says_so(cli, tmp_path):
    assert not cli("run", "--no-annual").output.startswith("warning")
    for config in CONFIGS.glob("*.yaml"):
        assert load(config).inherited == (), config
    path = tmp_path / "site.yaml"
    path.write_text(template_text("Site"), encoding="utf-8")
    result = cli("run", path, "--no-annual", "--weather", CONFIGS / "none.epw",
                 "--set", "carbon.grid_intensity=50", "--set", "economics.eur_per_usd=1")
    assert result.output.splitlines()[0] == f"warning: {path} inherits French prices"
    result = cli("run", path, "--no-annual", "--set", "carbon.grid_intensity=50",
                 "--set", "economics.eur_per_usd=1", "--set", "weather.file=null",
                 "--set", "economics.energy_eur_per_mwh=90")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Site\n")
