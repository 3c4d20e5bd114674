"""One source of truth: the committed register docs equal what the SystemRDL generates,
and the generated headers agree with the generated RTL package."""

import re

import pytest

from conftest import REPO


@pytest.mark.parametrize("name", ["nct_csr", "nhi_bar0", "nhi_dev", "sled_dev", "hbm_csr"])
def test_register_docs_are_current(build_dir, name):
    generated = (build_dir / "gen" / "docs" / f"{name}.md").read_text()
    committed = (REPO / "docs" / "registers" / f"{name}.md").read_text()
    assert committed == generated, f"docs/registers/{name}.md is stale: run ./ncv docs"


def test_c_header_offsets_match_rtl_decoder(build_dir):
    hdr = (build_dir / "gen" / "regs" / "nct_csr_regs.h").read_text()
    rtl = (build_dir / "gen" / "regs" / "nct_csr.sv").read_text()
    for name, off in re.findall(r"#define NCT_CSR_(ID|VERSION|CONFIG0|CONFIG1|CTRL) 0x([0-9A-F]+)u", hdr):
        assert re.search(rf"cpuif_addr == 12'h{int(off, 16):x}\b", rtl), name


def test_config_reaches_rtl_and_c_from_one_file(build_dir):
    import yaml

    cfg = yaml.safe_load((REPO / "configs" / "ci.yaml").read_text())
    pkg = (build_dir / "gen" / "ci" / "nct_cfg_pkg.sv").read_text()
    hdr = (build_dir / "gen" / "ci" / "ncv_cfg.h").read_text()
    for k, v in cfg["tile"].items():
        assert f"localparam int unsigned {k} = 32'd{v};" in pkg
        assert f"#define NCV_CFG_{k} {v}u" in hdr


def test_isa_reference_is_current(build_dir):
    generated = (build_dir / "gen" / "isa" / "isa.md").read_text()
    assert (REPO / "docs" / "isa.md").read_text() == generated, "docs/isa.md is stale: run ./ncv docs"


def test_cpp_isa_header_matches_the_assembler(build_dir):
    from ncv import isa

    hdr = (build_dir / "gen" / "isa" / "nct_isa.h").read_text()
    for op in isa.load().opcodes.values():
        assert f"  {op.name} = 0x{op.code:02X}," in hdr
        for f in op.fields:
            for leaf in f.leaves:
                assert f'{{{op.name}, "{leaf.path}", {{{leaf.lsb}, {leaf.bits}}}}}' in hdr
