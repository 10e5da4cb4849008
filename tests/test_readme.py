"""The README's worked example is the real output of `dcplanner run`."""

from click.testing import CliRunner

from dcplanner.cli import main
from tests.conftest import ROOT


def test_readme_worked_example_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```text\n", 1)[1].split("```", 1)[0]
    assert CliRunner().invoke(main, ["run"]).output == example


def test_readme_weather_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\n$ dcplanner weather\n", 1)[1].split("```", 1)[0]
    assert CliRunner().invoke(main, ["weather"]).output == block
