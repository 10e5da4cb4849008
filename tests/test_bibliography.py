"""The shipped bibliography: every source tag of the catalog and the scenario fields resolves,
and `dcplanner catalog sources` prints one entry or all."""

import json
import re
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from dcplanner.catalog.bibliography import bibliography, lookup, source_tags, tags_in
from dcplanner.cli import main
from dcplanner.errors import DcplannerError
from dcplanner.scenario import Scenario

CATALOG = Path(__file__).resolve().parents[1] / "dcplanner" / "catalog"


def descriptions(model: type[BaseModel], seen: set | None = None) -> list[str]:
    """Every field description of a model and of the models its fields hold."""
    seen = set() if seen is None else seen
    if model in seen:
        return []
    seen.add(model)
    found = []
    for field in model.model_fields.values():
        found.append(field.description or "")
        stack = [field.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                found += descriptions(kind, seen)
            stack += typing.get_args(kind)
    return found


def used_tags() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in CATALOG.glob("*.yaml")
             if p.name != "sources.yaml"]
    return tags_in("\n".join(texts + descriptions(Scenario)))


def test_every_tag_in_the_catalog_and_the_scenario_fields_resolves():
    tags = used_tags()
    assert {"S23", "F-S65", "hardware.md §3", "facility.md §2.2"} <= set(tags)
    for tag in tags:
        entry = lookup(tag)
        assert entry.get("reference") or entry.get("title"), tag


def test_every_numbered_source_has_its_reference():
    sources = bibliography()["sources"]
    # the hardware notes list S1-S72 but for S31 (no such entry in them)
    assert len([t for t in sources if not t.startswith("F-")]) == 71 and "S31" not in sources
    assert all(e["reference"] for e in sources.values())
    assert lookup("S23")["urls"] == ["https://docs.nvidia.com/datacenter/dps/versions/latest/"
                                     "guides/concepts/device-specifications.html"]


def test_tags_are_read_in_any_spelling():
    assert lookup("[s23]")["tag"] == "S23"
    assert lookup("hardware.md§3")["title"] == "Systems and racks"
    assert lookup("facility.md §2.9")["section"] == "2"  # a subsection not in the notes
    assert tags_in("x [S2] y hardware.md §8, [F-S20] and validation.md") == [
        "S2", "F-S20", "hardware.md §8", "validation.md"]
    with pytest.raises(DcplannerError, match=r"source 'S99': not in the bibliography"):
        lookup("S99")


def test_catalog_sources_command():
    runner = CliRunner()
    one = runner.invoke(main, ["catalog", "sources", "S23"])
    assert one.exit_code == 0
    assert one.output == (
        "S23      NVIDIA DPS docs, Device Specifications,\n"
        "         https://docs.nvidia.com/datacenter/dps/versions/latest/guides/concepts/"
        "device-specifications.html\n")
    every = runner.invoke(main, ["catalog", "sources", "--format", "json"])
    assert every.exit_code == 0
    assert [e["tag"] for e in json.loads(every.output)] == source_tags()
    bad = runner.invoke(main, ["catalog", "sources", "S99"])
    assert bad.exit_code == 1
    assert bad.output.startswith("error: source 'S99': not in the bibliography;")
    assert bad.output.count("\n") == 1


def test_readme_refers_only_to_files_in_the_repository():
    root = CATALOG.parents[1]
    text = (root / "README.md").read_text(encoding="utf-8")
    assert "../" not in text and "/work/" not in text
    links = re.findall(r"\]\(([^)#][^)]*)\)", text)
    paths = re.findall(r"`([\w.-]+(?:/[\w.-]+)+\.(?:py|yaml|npz|idf|md|toml|json))`", text)
    for target in [t for t in links if not t.startswith("http")] + paths:
        assert (root / target).exists() or (root / "dcplanner" / target).exists(), target
    assert paths  # the check sees the README's file references
