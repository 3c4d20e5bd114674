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
        (("  delay_ns: 5", "  delay_ns: 0"), "link.delay_ns", "int in 1..100000"),
        (("  delay_ns: 5", "  delay_ns: 2.5"), "link.delay_ns", "expected int"),
        (("  ber: 0.0", "  ber: 1.5"), "link.ber", "float in 0.0..1.0"),
        (("  ber: 0.0", "  ber: high"), "link.ber", "expected float"),
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


def test_link_section_reaches_the_c_header(tmp_path):
    """The sled's link models take their defaults from the generated header (fabric.h)."""
    from ncv.gen import params

    p = write(tmp_path, BASE.replace("  delay_ns: 5", "  delay_ns: 12").replace("  ber: 0.0", "  ber: 1.0e-5"))
    header = params.c_header(config.load_file(p)).splitlines()
    assert "#define NCV_CFG_LINK_DELAY_NS 12u" in header
    assert "#define NCV_CFG_LINK_BER 1e-05" in header
