"""Configurations: every shipped one loads; every bad field gets one clear error."""

import pytest

from ncv import config
from ncv.errors import UsageError


@pytest.mark.parametrize("name", ["ci", "default", "nightly", "perf"])
def test_shipped_configs_load(name):
    c = config.load(name)
    assert c.name == name
    assert c.tile["P"] in (4, 8, 16, 32)


def write(tmp_path, text):
    p = tmp_path / "c.yaml"
    p.write_text(text)
    return p


BASE = (config.CONFIG_DIR / "ci.yaml").read_text()


@pytest.mark.parametrize(
    "edit, field, expect",
    [
        (("  P: 4", "  P: 6"), "tile.P", "a power of 2"),
        (("  P: 4", "  P: 4\n  Q: 1"), "tile.Q", "unknown key"),
        (("chips: 2", "chips: 2\nbogus: 1"), "bogus", "unknown key"),
        (("chips: 2", "chips: many"), "chips", "expected int"),
        (("mode: rtl", "mode: fast"), "mode", "one of rtl, golden, lockstep"),
        (("  NSEM: 32\n", ""), "tile.NSEM", "missing required key"),
    ],
)
def test_bad_fields_name_file_field_and_expectation(tmp_path, edit, field, expect):
    p = write(tmp_path, BASE.replace(*edit))
    with pytest.raises(UsageError) as e:
        config.load_file(p)
    msg = str(e.value)
    assert str(p) in msg and f"field '{field}'" in msg and expect in msg
    assert "\n" not in msg


def test_malformed_yaml_gives_line_and_column(tmp_path):
    p = write(tmp_path, "name: ci\ntile: {P: 4\n")
    with pytest.raises(UsageError) as e:
        config.load_file(p)
    assert "malformed YAML at line" in str(e.value)


def test_unknown_config_name():
    with pytest.raises(UsageError) as e:
        config.load("nosuch")
    assert "unknown configuration 'nosuch'" in str(e.value)
