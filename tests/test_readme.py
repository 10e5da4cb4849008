"""The README's examples are the real output of the commands they show."""

import shlex

import pytest
from click.testing import CliRunner

from dcplanner.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def text_blocks():
    return [block.split("```", 1)[0] for block in README.split("```text\n")[1:]]


def test_readme_worked_example_is_current():
    assert CliRunner().invoke(main, ["run"]).output == text_blocks()[0]


COMMAND_BLOCKS = [b for b in text_blocks() if b.startswith("$ dcplanner ")
                  and "broken.yaml" not in b]


@pytest.mark.parametrize("block", COMMAND_BLOCKS, ids=[b.splitlines()[0] for b in COMMAND_BLOCKS])
def test_readme_command_examples_are_current(block, monkeypatch):
    # A shown block may be an excerpt: its lines appear, in order and together, in the output.
    command, body = block.split("\n", 1)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, shlex.split(command)[2:])  # after "$ dcplanner"
    assert result.exit_code == 0, result.output
    assert body in result.output


def test_ci_runs_exactly_the_readme_test_command():
    blocks = [b.split("```", 1)[0] for b in README.split("```bash\n")[1:3]]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert blocks[1].strip() == ci
    assert blocks[0].strip() == "pip install . && dcplanner run"


PYTHON_BLOCKS = [block.split("```", 1)[0] for block in README.split("```python\n")[1:]]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"python-{i}" for i in
                                                     range(len(PYTHON_BLOCKS))])
def test_readme_python_examples_run(block, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README.md", "exec"), {})
