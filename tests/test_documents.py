"""Documents read within bounds: one-line errors, before any work, for what no field means."""

from __future__ import annotations

import pytest

from dcplanner.documents import MAX_DOCUMENT_BYTES, parse_text, parse_value, read_document
from dcplanner.errors import ConfigError


def _bomb(levels: int) -> str:
    """A YAML alias bomb: 10**levels values from a few lines."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, levels)]
    return "\n".join(lines) + "\n"


def _error(text: str, suffix: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_text(text, suffix, f"f{suffix}")
    (line,) = caught.value.lines()
    return line


@pytest.mark.parametrize("text, suffix, message", [
    ("a: 1\nb: 2\na: 3\n", ".yaml", "f.yaml: key 'a' is given twice (lines 1 and 3); keep one"),
    ('{"b": {"a": 1,\n "a": 2}}', ".json", "f.json: key 'a' is given twice (lines 1 and 2)"),
    ("a: " + "[" * 600 + "]" * 600, ".yaml", "nested too deeply; at most 32 levels"),
    ('{"a": ' + "[" * 1000 + "]" * 1000 + "}", ".json", "f.json: nested too deeply"),
    ("a = " + "[" * 1000 + "]" * 1000, ".toml", "f.toml: nested too deeply"),
    ("a: " + "[" * 33 + "]" * 33, ".yaml", "f.yaml: a.0.0.0.0.0.…: nested too deeply"),
    (_bomb(9), ".yaml", "expands to more than 200,000 values"),
    ("a: " + "y" * 1_000_000, ".yaml", "f.yaml: a: a value of 1,000,000 characters; at most"),
    ('a: "x\\0y"', ".yaml", "f.yaml: a: a value with a NUL character"),
    ('{"a": ["\\ud800"]}', ".json", "f.json: a.0: a value that is not valid Unicode"),
    ("a: " + "9" * 400, ".yaml", "f.yaml: a: an integer of 400 digits is too large"),
    ("a: " + "9" * 5000, ".yaml", "f.yaml: invalid number: Exceeds the limit"),
    ('{"a": ' + "9" * 5000 + "}", ".json", "f.json: invalid number"),
    ("a = " + "9" * 5000, ".toml", "f.toml: invalid number"),
    ("a: 0x" + "f" * 5000, ".yaml", "f.yaml: a: an integer of 6021 digits is too large"),
    ("a = 0b" + "1" * 20000, ".toml", "f.toml: a: an integer of 6021 digits is too large"),
], ids=["yaml-duplicate", "json-duplicate", "yaml-600-deep", "json-1000-deep",
        "toml-1000-deep", "yaml-33-deep", "alias-bomb", "1mb-string", "nul", "surrogate",
        "400-digits", "yaml-5000-digits", "json-5000-digits", "toml-5000-digits",
        "yaml-hex-digits", "toml-binary-digits"])
def test_what_no_field_means_is_one_line_naming_the_file_and_field(text, suffix, message):
    assert message in _error(text, suffix)


def test_a_merge_key_and_a_small_alias_are_not_duplicates_or_bombs():
    text = "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n"
    assert parse_text(text, ".yaml", "f.yaml")["other"] == {"x": 1, "y": 3}


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # sparse: no memory or disk spent on the test
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(ConfigError, match=r"big.yaml: file of 4.0 MiB; at most 4 MiB"):
        read_document(path)


def test_a_nul_byte_in_a_path_is_an_error_not_a_traceback():
    with pytest.raises(ConfigError, match="cannot read"):
        read_document("a\x00b.yaml")


@pytest.mark.parametrize("text, value", [("300", 300), ("0.85", 0.85), ("[1, 2]", [1, 2]),
                                         ("W32", "W32"), ("{a: [", "{a: [")])
def test_a_command_line_value_is_yaml_or_else_text(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text, message", [("{a: 1, a: 2}", "key 'a' is given twice"),
                                           ("[" * 600 + "]" * 600, "nested too deeply"),
                                           ("9" * 5000, "invalid number")],
                         ids=["duplicate", "deep", "digits"])
def test_a_command_line_value_out_of_bounds_is_refused(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_value(text)
